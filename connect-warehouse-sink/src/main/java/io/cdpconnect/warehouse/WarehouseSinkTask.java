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
import io.cdpconnect.warehouse.write.BatchWriter;
import io.cdpconnect.warehouse.write.ErrantRecords;
import io.cdpconnect.warehouse.write.OffsetStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
    private OffsetStore offsetStore;
    private boolean exactlyOnce;
    private int batchSize;
    private ErrantRecords errant;
    private CdpMetrics metrics;
    private SinkMetrics stats;
    /** Background partition pre-creation and retention; null when the tables are not partitioned. */
    private PartitionMaintenance maintenance;

    private final List<Row> buffer = new ArrayList<>();
    /** Next offset per partition of everything buffered (rows, skipped tombstones, dead-lettered records). */
    private final Map<TopicPartition, Long> pending = new HashMap<>();
    /** Next offset per partition that is safely written: what Connect may commit. */
    private final Map<TopicPartition, Long> written = new HashMap<>();
    /** Exactly-once: the next offsets stored in the warehouse, as this task last read or wrote them. */
    private final Map<TopicPartition, Long> stored = new HashMap<>();
    /** Exactly-once: records below this offset are already in the warehouse and skipped. */
    private final Map<TopicPartition, Long> skipBelow = new HashMap<>();
    /**
     * Exactly-once: partitions rewound to their stored offset whose first record has not come yet. Connect seeks
     * before it fetches, so that record is at or after the stored offset, unless the offset was out of range: the
     * topic was deleted and re-created, or its offsets reset, and the consumer started over elsewhere.
     */
    private final Map<TopicPartition, Long> awaitingFirst = new HashMap<>();

    private final Set<TopicPartition> assigned = new HashSet<>();
    private int failures;
    /**
     * A systemic failure met outside put() (at an offset commit): Connect only logs exceptions from preCommit and
     * rewinds, so it is kept and thrown from the next put(), which fails the task.
     */
    private ConnectException fatal;

    private long flushIntervalNanos;
    /** The consumer's max.poll.records: a put() with fewer records means the consumer has caught up. */
    private int pollRecords;
    /** When the oldest unwritten record arrived (System.nanoTime), meaningful while {@link #pending} is non-empty. */
    private long pendingSince;

    @Override
    public String version() {
        return PluginVersion.of(WarehouseSinkTask.class);
    }

    @Override
    public void start(Map<String, String> props) {
        config = new WarehouseSinkConfig(props);
        Dialect dialect = Dialect.forConfig(config);
        mapper = new RowMapper(config);
        String connector = props.getOrDefault("name", "warehouse-sink");
        tables = new TableManager(config, dialect, connector, mapper.router(), java.time.Clock.systemUTC());
        exactlyOnce = config.exactlyOnce();
        offsetStore = exactlyOnce ? new OffsetStore(dialect, connector, config.offsetsTable()) : null;
        writer = new BatchWriter(config, dialect, tables, mapper, offsetStore);
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
        assigned.addAll(partitions);
        if (!exactlyOnce) {
            return;
        }
        Map<TopicPartition, Long> offsets = loadStoredOffsets(partitions);
        Map<TopicPartition, Long> rewind = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            stored.put(e.getKey(), e.getValue());
            skipBelow.put(e.getKey(), e.getValue());
            if (e.getValue() >= 0) {
                awaitingFirst.put(e.getKey(), e.getValue());
                rewind.put(e.getKey(), e.getValue());
                written.put(e.getKey(), e.getValue());
            }
        }
        if (!rewind.isEmpty()) {
            log.info("exactly-once: rewinding to the warehouse's offsets {}", rewind);
            context.offset(rewind);
        }
    }

    private Map<TopicPartition, Long> loadStoredOffsets(Collection<TopicPartition> partitions) {
        SQLException last = null;
        for (int attempt = 0; attempt <= config.offsetsReadMaxRetries(); attempt++) {
            try {
                Connection c = writer.connection();
                return offsetStore.load(c, tables.schema(c), partitions);
            } catch (SQLException e) {
                last = e;
                writer.reset();
            } catch (RetriableException e) {
                last = new SQLException(e.getMessage(), e);
            }
            log.warn("cannot read stored offsets (attempt {}): {}", attempt + 1, last.getMessage());
            sleep(config.retryBackoffMs());
        }
        throw new ConnectException("cannot read the stored offsets from the warehouse", last);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (fatal != null) {
            throw fatal;
        }
        stats.recordsPut.add(records.size());
        int mark = buffer.size();
        long reportMark = errant.mark();
        Map<TopicPartition, Long> pendingBefore = new HashMap<>(pending);
        for (SinkRecord record : records) {
            TopicPartition tp = RecordOrigin.partition(record);
            long offset = RecordOrigin.offset(record);
            if (exactlyOnce) {
                Long rewoundTo = awaitingFirst.remove(tp);
                if (rewoundTo != null && offset < rewoundTo) {
                    offsetReset(tp, offset, rewoundTo);
                }
                if (offset < skipBelow.getOrDefault(tp, OffsetStore.NONE)) {
                    continue; // already in the warehouse: redelivered after a rewind or a rebalance
                }
            }
            if (pending.isEmpty()) {
                pendingSince = System.nanoTime();
            }
            pending.merge(tp, offset + 1, Math::max);
            try {
                Row row = mapper.map(record);
                if (row != null) {
                    buffer.add(row);
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
                || (caughtUp && !pending.isEmpty())
                || (!pending.isEmpty() && System.nanoTime() - pendingSince >= flushIntervalNanos)) {
            try {
                flush();
            } catch (RetriableException e) {
                // Connect redelivers this same collection: forget it so it is not buffered twice.
                buffer.subList(mark, buffer.size()).clear();
                errant.discardFrom(reportMark); // mapped again, and reported once, on redelivery
                pending.clear();
                pending.putAll(pendingBefore);
                context.timeout(config.retryBackoffMs());
                throw e;
            } catch (ConnectException e) {
                fatal = e; // the task fails; nothing more is written, not even at close
                throw e;
            }
        }
        if (!pending.isEmpty() && context != null) {
            // Connect polls for up to offset.flush.interval.ms when the topic is idle; bound that wait so the
            // next (possibly empty) put() comes in time to write what is buffered.
            long dueInMs = (flushIntervalNanos - (System.nanoTime() - pendingSince)) / 1_000_000L;
            context.timeout(Math.max(1L, dueInMs));
        }
    }

    /**
     * The first record after rewinding to the stored offset is before it: the stored offset is beyond what the
     * partition holds now. Skipping everything below it (as already written) would silently drop new records.
     */
    private void offsetReset(TopicPartition tp, long offset, long storedNext) {
        String what = "exactly-once: the warehouse's offsets table says the next offset of " + tp + " is " + storedNext
                + " but the partition now delivers offset " + offset + " first: the topic was deleted and re-created, "
                + "or its offsets were reset, since the warehouse last wrote it";
        if (config.offsetResetPolicy() == WarehouseSinkConfig.OffsetResetPolicy.CONTINUE) {
            log.warn(
                    "{}; {}=continue: writing from offset {} on",
                    what,
                    WarehouseSinkConfig.EXACTLY_ONCE_ON_OFFSET_RESET,
                    offset);
            skipBelow.put(tp, offset);
            written.put(tp, offset);
            return;
        }
        fatal = new ConnectException(what + ". Nothing was skipped or written. If the partition's records really "
                + "start over, stop the connector and reset its offsets (DELETE /connectors/<name>/offsets, or PATCH "
                + "them to where to start), which also updates the offsets table, or set "
                + WarehouseSinkConfig.EXACTLY_ONCE_ON_OFFSET_RESET + "=continue; then resume it.");
        throw fatal;
    }

    /** Writes the buffer; on success everything buffered counts as written. */
    private void flush() {
        if (buffer.isEmpty() && pending.isEmpty()) {
            return;
        }
        long reportMark = errant.mark();
        long start = System.nanoTime();
        long sentBefore = errant.sentTotal();
        int rows = buffer.size();
        int unmappable = errant.queued(); // reported before the write: their records never became rows
        try {
            if (buffer.isEmpty() && !exactlyOnce) {
                // only skipped or dead-lettered records: nothing to write, their offsets may simply advance
                errant.awaitReported();
            } else {
                Map<TopicPartition, Long> next = exactlyOnce ? new HashMap<>(pending) : null;
                writer.write(buffer, next, stored, errant);
            }
            failures = 0;
        } catch (BatchWriter.FencedWrite fenced) {
            log.warn("exactly-once: {}; re-reading offsets and rewinding", fenced.getMessage());
            buffer.clear();
            pending.clear();
            errant.discardFrom(Long.MIN_VALUE); // everything is consumed again after the rewind
            Set<TopicPartition> mine = new HashSet<>(assigned);
            stored.clear();
            skipBelow.clear();
            awaitingFirst.clear();
            open(mine);
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
        written.putAll(pending);
        if (exactlyOnce) {
            stored.putAll(pending);
            skipBelow.putAll(pending);
        }
        buffer.clear();
        pending.clear();
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
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : currentOffsets.entrySet()) {
            TopicPartition tp = e.getKey();
            if (!assigned.contains(tp)) {
                continue;
            }
            if (pending.containsKey(tp)) {
                Long safe = written.get(tp);
                if (safe != null) {
                    commit.put(tp, new OffsetAndMetadata(safe));
                }
            } else {
                // Nothing of this partition waits in the buffer. Connect's offset also covers records that never
                // reached put() (dropped or dead-lettered by an SMT or converter), which are done too; without
                // this, a trailing invalid record would keep the partition's committed offset behind forever.
                commit.put(tp, e.getValue());
            }
        }
        return commit;
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
            pending.keySet().removeAll(closing);
            errant.discardIf(record -> closing.contains(RecordOrigin.partition(record)));
        }
        assigned.removeAll(partitions);
        written.keySet().removeAll(partitions);
        stored.keySet().removeAll(partitions);
        skipBelow.keySet().removeAll(partitions);
        awaitingFirst.keySet().removeAll(partitions);
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted", e);
        }
    }
}
