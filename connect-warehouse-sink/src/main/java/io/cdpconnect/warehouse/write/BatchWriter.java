package io.cdpconnect.warehouse.write;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.dialect.BulkWriter;
import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.record.Row;
import io.cdpconnect.warehouse.record.RowMapper;
import io.cdpconnect.warehouse.schema.ColumnType;
import io.cdpconnect.warehouse.schema.TableDefinition;
import io.cdpconnect.warehouse.schema.TableManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch of rows, table by table, in one transaction (with the consumed offsets when exactly-once).
 * The fast path loads each table in bulk. When the database rejects the data, the batch is rolled back and
 * written again row by row (with savepoints where the dialect has them) so the rows that fail are reported as
 * errant and every other row still lands. Connection failures become {@link RetriableException}s with nothing
 * committed.
 */
public final class BatchWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    private final WarehouseSinkConfig config;
    private final Dialect dialect;
    private final BulkWriter bulk;
    private final TableManager tables;
    private final RowMapper mapper;
    private final OffsetStore offsets;
    private final boolean upsert;
    private final boolean deletes;
    private Connection connection;

    public BatchWriter(WarehouseSinkConfig config, Dialect dialect, TableManager tables, RowMapper mapper,
                       OffsetStore offsets) {
        this.config = config;
        this.dialect = dialect;
        this.bulk = dialect.bulkWriter(config);
        this.tables = tables;
        this.mapper = mapper;
        this.offsets = offsets;
        this.upsert = config.insertMode() == WarehouseSinkConfig.InsertMode.UPSERT;
        this.deletes = config.deleteEnabled();
    }

    /** The open connection, connecting first if needed; connection failures are retriable. */
    public Connection connection() {
        if (connection == null) {
            try {
                connection = dialect.connect(config);
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw new RetriableException("cannot connect to " + dialect.name() + ": " + e.getMessage(), e);
            }
        }
        return connection;
    }

    /** Drops the connection after a failure so the next attempt starts on a fresh one. */
    public void reset() {
        if (connection != null) {
            try {
                if (!connection.isClosed() && !connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException ignored) {
                // the connection is going away
            }
            dialect.release(connection);
            connection = null;
        }
        tables.forget();
    }

    /**
     * Writes the rows and, when {@code next} is given, stores those offsets in the same transaction.
     *
     * @param next     next offsets to store (exactly-once), or null
     * @param expected the offsets this task believes are stored (exactly-once)
     * @throws RetriableException           when the database is unreachable; nothing was committed
     * @throws OffsetStore.FencedException  (wrapped in ConnectException) when another task owns the offsets
     */
    public void write(List<Row> rows, Map<TopicPartition, Long> next, Map<TopicPartition, Long> expected,
                      ErrantRecords errant) {
        Connection c = connection();
        try {
            List<TableWrite> writes = prepare(c, rows, errant);
            try {
                c.setAutoCommit(false);
                for (TableWrite w : writes) {
                    w.writeBulk(c);
                }
                commit(c, next, expected, errant);
            } catch (SQLException e) {
                rollback(c);
                if (e instanceof OffsetStore.FencedException || dialect.isTransient(e, c)) {
                    throw e;
                }
                log.warn("bulk write of {} rows failed ({}); writing row by row to isolate the bad ones",
                        rows.size(), e.getMessage());
                writeIsolated(c, writes, next, expected, errant);
            }
        } catch (OffsetStore.FencedException e) {
            rollback(c);
            throw new FencedWrite(e);
        } catch (SQLException e) {
            boolean unavailable = dialect.isTransient(e, c);
            reset();
            // Not a problem of one record (those are isolated above): the whole write is retried later, and the
            // task fails once max.retries is exhausted.
            throw new RetriableException(dialect.name() + (unavailable ? " unavailable: " : " write failed: ")
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            reset();
            throw e;
        }
    }

    private void commit(Connection c, Map<TopicPartition, Long> next, Map<TopicPartition, Long> expected,
                        ErrantRecords errant) throws SQLException {
        if (next != null && offsets != null) {
            offsets.save(c, next, expected);
        }
        // Offsets past a dead-lettered record may only be committed once its report is durable.
        errant.awaitReported();
        c.commit();
        c.setAutoCommit(true);
    }

    private void rollback(Connection c) {
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a broken connection rolls back by itself
        }
    }

    /** Row-by-row pass; a failing row is reported and left out, the rest commit together. */
    private void writeIsolated(Connection c, List<TableWrite> writes, Map<TopicPartition, Long> next,
                               Map<TopicPartition, Long> expected, ErrantRecords errant) throws SQLException {
        Map<Row, SQLException> bad = new IdentityHashMap<>();
        boolean savepoints = dialect.supportsSavepoints();
        restart:
        while (true) {
            c.setAutoCommit(false);
            for (TableWrite w : writes) {
                for (Op op : w.ops()) {
                    if (bad.containsKey(op.row)) {
                        continue;
                    }
                    Savepoint sp = savepoints ? c.setSavepoint() : null;
                    try {
                        w.writeOne(c, op);
                        if (sp != null) {
                            c.releaseSavepoint(sp);
                        }
                    } catch (SQLException e) {
                        if (dialect.isTransient(e, c)) {
                            throw e;
                        }
                        bad.put(op.row, e);
                        if (sp != null) {
                            c.rollback(sp);
                        } else {
                            // Without savepoints the transaction is lost: start over without the bad rows.
                            rollback(c);
                            continue restart;
                        }
                    }
                }
            }
            for (Map.Entry<Row, SQLException> e : bad.entrySet()) {
                errant.report(e.getKey().record(), new DataException("cannot write to table "
                        + e.getKey().table() + ": " + e.getValue().getMessage(), e.getValue()));
            }
            commit(c, next, expected, errant);
            return;
        }
    }

    /** Groups rows by table and runs the DDL they need; rows that cannot be placed are reported. */
    private List<TableWrite> prepare(Connection c, List<Row> rows, ErrantRecords errant) throws SQLException {
        Map<String, List<Row>> byTable = new LinkedHashMap<>();
        for (Row row : rows) {
            byTable.computeIfAbsent(row.table(), t -> new ArrayList<>()).add(row);
        }
        List<TableWrite> writes = new ArrayList<>(byTable.size());
        for (Map.Entry<String, List<Row>> e : byTable.entrySet()) {
            TableWrite w = new TableWrite(e.getValue());
            try {
                w.prepare(c);
            } catch (DataException rejected) {
                for (Row row : e.getValue()) {
                    errant.report(row.record(), rejected);
                }
                continue;
            }
            w.planOps(errant);
            writes.add(w);
        }
        return writes;
    }

    private String partitionColumnName() {
        return config.partitionColumn();
    }

    @Override
    public void close() {
        if (connection != null) {
            dialect.release(connection);
            connection = null;
        }
    }

    private record Op(Row row, boolean delete) {
    }

    /** The rows of one table: their common columns, the table, the deletes and the rows to write. */
    private final class TableWrite {
        final List<Row> rows;
        final Map<String, ColumnType> columnTypes = new LinkedHashMap<>();
        List<String> columns;
        Map<String, Integer> index;
        List<String> key = List.of();
        /** The record's own key: tombstones carry no partition column value, so deletes match on this. */
        List<String> deleteKey = List.of();
        TableDefinition def;
        final List<Row> deleteRows = new ArrayList<>();
        final List<Row> writeRows = new ArrayList<>();

        TableWrite(List<Row> rows) {
            this.rows = rows;
        }

        void prepare(Connection c) throws SQLException {
            Row sample = null;
            for (Row row : rows) {
                if (sample == null || (sample.isDelete() && !row.isDelete())) {
                    sample = row;
                }
                if (row.isDelete()) {
                    continue;
                }
                for (int i = 0; i < row.size(); i++) {
                    ColumnType known = columnTypes.get(row.column(i));
                    if (known == null) {
                        columnTypes.put(row.column(i), row.type(i));
                    }
                }
            }
            key = mapper.keyColumns(sample);
            deleteKey = key;
            for (String k : key) {
                columnTypes.putIfAbsent(k, ColumnType.STRING);
            }
            String table = rows.get(0).table();
            // A column seen only with nulls so far has no type to create it with: it appears with its first value.
            Map<String, ColumnType> typed = new LinkedHashMap<>(columnTypes);
            typed.values().removeIf(type -> type == null);
            def = tables.prepare(c, table, typed, key);
            columnTypes.keySet().removeIf(column -> columnTypes.get(column) == null && !def.hasColumn(column));
            if (def.partitioned() && !key.isEmpty() && !key.contains(partitionColumnName())) {
                // a partitioned table's primary key includes the partition column, so the conflict target must too
                List<String> withPartition = new ArrayList<>(key);
                withPartition.add(partitionColumnName());
                key = withPartition;
            }
            List<Instant> times = new ArrayList<>();
            String partitionColumn = config.partitionColumn();
            if (def.partitioned()) {
                for (Row row : rows) {
                    if (!row.isDelete() && row.value(partitionColumn) instanceof Instant t) {
                        times.add(t);
                    }
                }
                tables.ensurePartitions(c, def, times);
            }
        }

        /** Sequential semantics per key: deletes first, then the last written value of each key. */
        void planOps(ErrantRecords errant) {
            List<Row> candidates = rows;
            if (!tables.autoEvolve()) {
                candidates = new ArrayList<>(rows.size());
                for (Row row : rows) {
                    String unknown = unknownColumn(row);
                    if (unknown != null) {
                        errant.report(row.record(), new DataException("column " + unknown + " does not exist in "
                                + def.id() + " and auto.evolve is false"));
                    } else {
                        candidates.add(row);
                    }
                }
                columnTypes.keySet().removeIf(column -> !def.hasColumn(column));
            }
            columns = new ArrayList<>(columnTypes.keySet());
            index = new HashMap<>(columns.size() * 2);
            for (int i = 0; i < columns.size(); i++) {
                index.put(columns.get(i), i);
            }
            if (key.isEmpty() || (!upsert && !deletes)) {
                writeRows.addAll(candidates);
                return;
            }
            Map<Object, Row> lastWrite = new LinkedHashMap<>();
            Map<Object, Row> deleted = new LinkedHashMap<>();
            for (Row row : candidates) {
                if (row.isDelete()) {
                    lastWrite.remove(row.key());
                    deleted.put(row.key(), row);
                } else if (upsert) {
                    lastWrite.remove(row.key());
                    lastWrite.put(row.key(), row);
                } else {
                    writeRows.add(row);
                }
            }
            deleteRows.addAll(deleted.values());
            if (upsert) {
                writeRows.addAll(lastWrite.values());
            } else if (!deleted.isEmpty()) {
                // insert mode: an insert before a later delete of the same key is gone by the end of the batch
                Map<Object, Integer> lastDelete = new HashMap<>();
                for (int i = 0; i < candidates.size(); i++) {
                    if (candidates.get(i).isDelete()) {
                        lastDelete.put(candidates.get(i).key(), i);
                    }
                }
                writeRows.clear();
                for (int i = 0; i < candidates.size(); i++) {
                    Row row = candidates.get(i);
                    if (!row.isDelete() && lastDelete.getOrDefault(row.key(), -1) < i) {
                        writeRows.add(row);
                    }
                }
            }
        }

        private String unknownColumn(Row row) {
            if (row.isDelete()) {
                return null;
            }
            for (int i = 0; i < row.size(); i++) {
                if (!def.hasColumn(row.column(i)) && row.value(i) != null) {
                    return row.column(i);
                }
            }
            return null;
        }

        private String[] lastColumns;
        private int[] lastSlots;

        /** The row's values aligned with the table write's columns; rows of one schema share the slot map. */
        Object[] values(Row row) {
            String[] rowColumns = row.columns();
            int[] slots;
            if (rowColumns == lastColumns) {
                slots = lastSlots;
            } else {
                slots = new int[rowColumns.length];
                for (int i = 0; i < rowColumns.length; i++) {
                    Integer at = index.get(rowColumns[i]);
                    slots[i] = at == null ? -1 : at;
                }
                lastColumns = rowColumns;
                lastSlots = slots;
            }
            if (slots.length == columns.size() && row.rawValues().length == slots.length && identity(slots)) {
                return row.rawValues();
            }
            Object[] line = new Object[columns.size()];
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] >= 0) {
                    line[slots[i]] = row.value(i);
                }
            }
            return line;
        }

        private boolean identity(int[] slots) {
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != i) {
                    return false;
                }
            }
            return true;
        }

        List<Op> ops() {
            List<Op> ops = new ArrayList<>(deleteRows.size() + writeRows.size());
            deleteRows.forEach(r -> ops.add(new Op(r, true)));
            writeRows.forEach(r -> ops.add(new Op(r, false)));
            return ops;
        }

        void writeBulk(Connection c) throws SQLException {
            if (!deleteRows.isEmpty()) {
                try (PreparedStatement delete = c.prepareStatement(dialect.delete(def.id(), deleteKey))) {
                    for (Row row : deleteRows) {
                        bindKey(delete, row);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
            }
            if (!writeRows.isEmpty()) {
                List<Object[]> lines = new ArrayList<>(writeRows.size());
                for (Row row : writeRows) {
                    lines.add(values(row));
                }
                bulk.write(c, def.id(), columns, lines, upsert ? key : Collections.emptyList());
            }
        }

        void writeOne(Connection c, Op op) throws SQLException {
            if (op.delete) {
                try (PreparedStatement delete = c.prepareStatement(dialect.delete(def.id(), deleteKey))) {
                    bindKey(delete, op.row);
                    delete.executeUpdate();
                }
                return;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    dialect.insert(def.id(), columns, 1, upsert ? key : Collections.emptyList()))) {
                Object[] line = values(op.row);
                for (int i = 0; i < line.length; i++) {
                    dialect.bind(insert, i + 1, line[i]);
                }
                insert.executeUpdate();
            }
        }

        private void bindKey(PreparedStatement statement, Row row) throws SQLException {
            for (int i = 0; i < deleteKey.size(); i++) {
                dialect.bind(statement, i + 1, row.value(deleteKey.get(i)));
            }
        }
    }

    /** Another task committed offsets of a partition this task wrote: drop the work and re-read offsets. */
    public static final class FencedWrite extends ConnectException {
        public FencedWrite(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
