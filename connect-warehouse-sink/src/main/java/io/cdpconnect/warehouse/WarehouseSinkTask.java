/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse;

import io.cdpconnect.common.ErrantReporting;
import io.cdpconnect.common.PluginVersion;
import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.MetricsScope;
import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.record.RecordOrigin;
import io.cdpconnect.warehouse.record.Row;
import io.cdpconnect.warehouse.record.RowMapper;
import io.cdpconnect.warehouse.schema.PartitionMaintenance;
import io.cdpconnect.warehouse.schema.TableManager;
import io.cdpconnect.warehouse.write.AtLeastOnceOffsets;
import io.cdpconnect.warehouse.write.BatchWriter;
import io.cdpconnect.warehouse.write.ErrantRecords;
import io.cdpconnect.warehouse.write.ExactlyOnceOffsets;
import io.cdpconnect.warehouse.write.OffsetStore;
import io.cdpconnect.warehouse.write.OffsetTracker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows and writes them in batches ({@code batch.size}, and at every offset commit). Offsets returned to
 * Connect never pass a record that is not in the warehouse or the dead-letter queue. With exactly-once the
 * warehouse's offsets table is the truth: the task rewinds to it on every assignment and skips what it holds.
 */
public class WarehouseSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(WarehouseSinkTask.class);

    private WarehouseSinkConfig config;
    private RowMapper mapper;
    private TableManager tables;
    private BatchWriter writer;
    private int batchSize;
    private ErrantRecords errant;
    private CdpMetrics metrics;
    private SinkMetrics stats;
    /** Background partition pre-creation and retention; null when the tables are not partitioned. */
    private PartitionMaintenance maintenance;

    private final List<Row> buffer = new ArrayList<>();
    /** What Connect may commit; with exactly-once also the warehouse's offsets, the rewind and the skipping. */
    private OffsetTracker offsets;

    private int failures;
    /**
     * A systemic failure met outside put() (at an offset commit): Connect only logs exceptions from preCommit and
     * rewinds, so it is kept and thrown from the next put(), which fails the task.
     */
    private ConnectException fatal;

    private long flushIntervalNanos;
    /** The consumer's max.poll.records: a put() with fewer records means the consumer has caught up. */
    private int pollRecords;
    /** When the oldest unwritten record arrived (System.nanoTime), meaningful while records are pending. */
    private long pendingSince;

    @Override
    public String version() {
        return PluginVersion.of(WarehouseSinkTask.class);
    }

    @Override
    public void start(Map<String, String> props) {
        config = new WarehouseSinkConfig(props);
        Dialect dialect = Dialect.forUrl(config.url(), config.decimalScale());
        mapper = new RowMapper(config);
        String connector = props.getOrDefault("name", "warehouse-sink");
        tables = new TableManager(config, dialect, connector, mapper.router(), java.time.Clock.systemUTC());
        boolean exactlyOnce = config.exactlyOnce();
        OffsetStore offsetStore = exactlyOnce ? new OffsetStore(dialect, connector, config.offsetsTable()) : null;
        writer = new BatchWriter(config, dialect, tables, mapper, offsetStore);
        offsets = exactlyOnce
                ? new ExactlyOnceOffsets(config, writer, tables, offsetStore, context)
                : new AtLeastOnceOffsets(writer);
        batchSize = config.batchSize();
        flushIntervalNanos = config.flushIntervalMs() * 1_000_000L;
        pollRecords = maxPollRecords(props);
        errant = new ErrantRecords(reporterOrNull());
        metrics = CdpMetrics.open(MetricsScope.fromLoggingContext(SinkMetrics.PLUGIN, null, connector));
        metrics.bindPluginMetrics(context);
        stats = new SinkMetrics(metrics, buffer::size, writer::batchAttempts, writer::isolationProbes);
        tables.countPartitionsIn(stats.partitionsCreated);
        maintenance = PartitionMaintenance.startIfPartitioned(
                config,
                dialect,
                connector,
                tables,
                stats.partitionsCreated,
                stats.partitionsDetached,
                stats.partitionsDropped);
        log.info(
                "warehouse sink task started: {} {}, insert.mode={}, exactly.once={}",
                dialect.name(),
                redact(config.url()),
                config.insertMode(),
                exactlyOnce);
    }

    /** consumer.override.max.poll.records when the connector sets it, else the consumer's default (500). */
    static int maxPollRecords(Map<String, String> props) {
        String override = props.get("consumer.override.max.poll.records");
        try {
            return override == null ? 500 : Math.max(1, Integer.parseInt(override.trim()));
        } catch (NumberFormatException e) {
            return 500;
        }
    }

    private ErrantRecordReporter reporterOrNull() {
        return ErrantReporting.reporterOf(context);
    }

    private static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        offsets.open(partitions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (fatal != null) {
            throw fatal;
        }
        stats.recordsPut.add(records.size());
        int mark = buffer.size();
        long reportMark = errant.mark();
        Map<TopicPartition, Long> pendingBefore = offsets.pendingSnapshot();
        for (SinkRecord record : records) {
            TopicPartition tp = RecordOrigin.partition(record);
            long offset = RecordOrigin.offset(record);
            boolean firstPending = !offsets.hasPending();
            try {
                if (!offsets.consume(tp, offset)) {
                    continue; // already in the warehouse: redelivered after a rewind or a rebalance
                }
            } catch (ConnectException e) {
                fatal = e; // the stored offsets cannot be right: nothing more is written
                throw e;
            }
            if (firstPending) {
                pendingSince = System.nanoTime();
            }
            try {
                Row row = mapper.map(record);
                if (row != null) {
                    buffer.add(row);
                } else {
                    stats.recordsSkipped.increment();
                }
            } catch (DataException e) {
                errant.report(record, e);
            } catch (ConnectException e) {
                // systemic (two names for one table, the routing cap): its offset is pending already, so nothing
                // more may be written or stored, not even by the flush Connect's closing commit asks for
                fatal = e;
                throw e;
            }
        }
        // A poll that came back with less than max.poll.records means the consumer has caught up: nothing more is
        // waiting, so write now (latency at low rates) instead of waiting for flush.interval.ms; full polls keep
        // filling the batch (throughput at high rates). put() also comes empty while the topic is idle, so a small
        // batch still leaves within flush.interval.ms.
        boolean caughtUp = !records.isEmpty() && records.size() < pollRecords;
        if (buffer.size() >= batchSize
                || (caughtUp && offsets.hasPending())
                || (offsets.hasPending() && System.nanoTime() - pendingSince >= flushIntervalNanos)) {
            try {
                flush();
            } catch (RetriableException e) {
                // Connect redelivers this same collection: forget it so it is not buffered twice.
                buffer.subList(mark, buffer.size()).clear();
                errant.discardFrom(reportMark); // mapped again, and reported once, on redelivery
                offsets.restorePending(pendingBefore);
                context.timeout(config.retryBackoffMs());
                throw e;
            } catch (ConnectException e) {
                fatal = e; // the task fails; nothing more is written, not even at close
                throw e;
            }
        }
        if (offsets.hasPending() && context != null) {
            // Connect polls for up to offset.flush.interval.ms when the topic is idle; bound that wait so the
            // next (possibly empty) put() comes in time to write what is buffered.
            long dueInMs = (flushIntervalNanos - (System.nanoTime() - pendingSince)) / 1_000_000L;
            context.timeout(Math.max(1L, dueInMs));
        }
    }

    /** Writes the buffer; on success everything buffered counts as written. */
    private void flush() {
        if (buffer.isEmpty() && !offsets.hasPending()) {
            return;
        }
        long reportMark = errant.mark();
        long start = System.nanoTime();
        long sentBefore = errant.sentTotal();
        int rows = buffer.size();
        int unmappable = errant.queued(); // reported before the write: their records never became rows
        try {
            offsets.write(buffer, errant);
            failures = 0;
        } catch (BatchWriter.FencedWrite fenced) {
            log.warn("exactly-once: {}; re-reading offsets and rewinding", fenced.getMessage());
            buffer.clear();
            errant.discardFrom(Long.MIN_VALUE); // everything is consumed again after the rewind
            offsets.fenced();
            return;
        } catch (RetriableException e) {
            // the rows stay buffered (or are redelivered): what the failed write found bad is found again
            errant.discardFrom(reportMark);
            stats.retries.increment();
            if (++failures > config.maxRetries()) {
                throw new ConnectException("giving up after " + config.maxRetries() + " retries: " + e.getMessage(), e);
            }
            log.warn("write failed (attempt {} of {}), will retry: {}", failures, config.maxRetries(), e.getMessage());
            throw e;
        }
        int failed = (int) (errant.sentTotal() - sentBefore);
        // what the database rejected was dead-lettered beside the unmappable records; the rest of the rows landed
        stats.committed(rows - Math.max(0, failed - unmappable), failed, start);
        offsets.written();
        buffer.clear();
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            if (fatal == null) {
                flush();
            }
        } catch (RetriableException e) {
            // The buffer is kept and retried; only what is written is committed meanwhile.
            log.warn("flush at offset commit failed, keeping {} buffered rows: {}", buffer.size(), e.getMessage());
        } catch (ConnectException e) {
            log.error("flush at offset commit failed; the task fails at the next put: {}", e.getMessage());
            fatal = e;
        }
        return offsets.committable(currentOffsets);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        try {
            if (fatal != null) {
                throw fatal;
            }
            flush();
        } catch (RuntimeException e) {
            // Whatever is buffered for partitions going away is consumed again by their next owner.
            log.warn(
                    "flush on partition revocation failed, {} buffered rows will be redelivered: {}",
                    buffer.size(),
                    e.getMessage());
            Set<TopicPartition> closing = new HashSet<>(partitions);
            buffer.removeIf(row -> closing.contains(RecordOrigin.partition(row.record())));
            offsets.discardPending(closing);
            errant.discardIf(record -> closing.contains(RecordOrigin.partition(record)));
        }
        offsets.close(partitions);
    }

    @Override
    public void stop() {
        if (maintenance != null) {
            maintenance.close();
        }
        if (writer != null) {
            writer.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
