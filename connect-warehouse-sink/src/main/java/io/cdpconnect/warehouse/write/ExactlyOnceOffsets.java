/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.write;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.record.Row;
import io.cdpconnect.warehouse.schema.TableManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once: the warehouse's offsets table is the truth. Rows and their next offsets commit in one
 * transaction; on every assignment the task rewinds to the stored offsets and skips what the warehouse holds. A
 * write that finds the stored offsets changed by another task is fenced: everything is consumed again from the
 * re-read offsets.
 */
public final class ExactlyOnceOffsets extends AtLeastOnceOffsets {

    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceOffsets.class);

    private final WarehouseSinkConfig config;
    private final TableManager tables;
    private final OffsetStore store;
    private final SinkTaskContext context;

    /** The next offsets stored in the warehouse, as this task last read or wrote them. */
    private final Map<TopicPartition, Long> stored = new HashMap<>();
    /** Records below this offset are already in the warehouse and skipped. */
    private final Map<TopicPartition, Long> skipBelow = new HashMap<>();
    /**
     * Partitions rewound to their stored offset whose first record has not come yet. Connect seeks before it
     * fetches, so that record is at or after the stored offset, unless the offset was out of range: the topic was
     * deleted and re-created, or its offsets reset, and the consumer started over elsewhere.
     */
    private final Map<TopicPartition, Long> awaitingFirst = new HashMap<>();

    public ExactlyOnceOffsets(
            WarehouseSinkConfig config,
            BatchWriter writer,
            TableManager tables,
            OffsetStore store,
            SinkTaskContext context) {
        super(writer);
        this.config = config;
        this.tables = tables;
        this.store = store;
        this.context = context;
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        super.open(partitions);
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
                return store.load(c, tables.schema(c), partitions);
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
    public boolean consume(TopicPartition tp, long offset) {
        Long rewoundTo = awaitingFirst.remove(tp);
        if (rewoundTo != null && offset < rewoundTo) {
            offsetReset(tp, offset, rewoundTo);
        }
        if (offset < skipBelow.getOrDefault(tp, OffsetStore.NONE)) {
            return false; // already in the warehouse: redelivered after a rewind or a rebalance
        }
        return super.consume(tp, offset);
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
        throw new ConnectException(what + ". Nothing was skipped or written. If the partition's records really "
                + "start over, stop the connector and reset its offsets (DELETE /connectors/<name>/offsets, or PATCH "
                + "them to where to start), which also updates the offsets table, or set "
                + WarehouseSinkConfig.EXACTLY_ONCE_ON_OFFSET_RESET + "=continue; then resume it.");
    }

    /** Even without rows the offsets are stored, so the table moves past skipped and dead-lettered records. */
    @Override
    public void write(List<Row> rows, ErrantRecords errant) {
        writer.write(rows, new HashMap<>(pending), stored, errant);
    }

    @Override
    public void written() {
        stored.putAll(pending);
        skipBelow.putAll(pending);
        super.written();
    }

    @Override
    public void fenced() {
        pending.clear();
        Set<TopicPartition> mine = new HashSet<>(assigned);
        stored.clear();
        skipBelow.clear();
        awaitingFirst.clear();
        open(mine);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        super.close(partitions);
        stored.keySet().removeAll(partitions);
        skipBelow.keySet().removeAll(partitions);
        awaitingFirst.keySet().removeAll(partitions);
    }

    /**
     * Connect's alterOffsets (PATCH/DELETE /connectors/{name}/offsets, connector stopped): the offsets table is
     * updated too, or the tasks would rewind to the old offsets on their next start.
     */
    public static void alterStored(
            WarehouseSinkConfig config, String connector, Dialect dialect, Map<TopicPartition, Long> offsets) {
        OffsetStore store = new OffsetStore(dialect, connector, config.offsetsTable());
        Connection connection = null;
        try {
            connection = dialect.connect(config.connectionSettings());
            store.alter(connection, new TableManager(config, dialect).schema(connection), offsets);
            log.info("offsets of connector {} in {} set to {}", connector, config.offsetsTable(), offsets);
        } catch (SQLException e) {
            throw new ConnectException(
                    "could not update the offsets table " + config.offsetsTable() + " of the warehouse: "
                            + e.getMessage(),
                    e);
        } finally {
            if (connection != null) {
                dialect.release(connection);
            }
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
