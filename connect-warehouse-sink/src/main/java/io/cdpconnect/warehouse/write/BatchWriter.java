/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.write;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.dialect.BulkWriter;
import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.dialect.ErrorClass;
import io.cdpconnect.warehouse.dialect.JdbcBulkWriter;
import io.cdpconnect.warehouse.dialect.SqlFailure;
import io.cdpconnect.warehouse.record.Row;
import io.cdpconnect.warehouse.record.RowMapper;
import io.cdpconnect.warehouse.schema.ColumnType;
import io.cdpconnect.warehouse.schema.TableDefinition;
import io.cdpconnect.warehouse.schema.TableManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** upsert.missing.fields=keep: each row updates only the columns it carries. */
    private final boolean keepMissing;
    /** upsert.missing.fields=null: each row writes every column of the table, NULL where it has no value. */
    private final boolean nullMissing;
    /** cdc.delete.mode=soft: deletes set this column instead of removing the row; null for hard deletes. */
    private final String softColumn;

    private Connection connection;
    /** Bound multi-row INSERTs, for the probes that locate rejected rows where there are no savepoints. */
    private final BulkWriter probeWriter;

    private long batchAttempts;
    private long isolationProbes;

    public BatchWriter(
            WarehouseSinkConfig config, Dialect dialect, TableManager tables, RowMapper mapper, OffsetStore offsets) {
        this.config = config;
        this.dialect = dialect;
        this.bulk = dialect.bulkWriter(config);
        this.probeWriter = new JdbcBulkWriter(dialect);
        this.tables = tables;
        this.mapper = mapper;
        this.offsets = offsets;
        this.upsert = config.insertMode() == WarehouseSinkConfig.InsertMode.UPSERT;
        this.deletes = config.deleteEnabled();
        this.keepMissing = upsert && config.upsertMissingFields() == WarehouseSinkConfig.MissingFields.KEEP;
        this.nullMissing = upsert && !keepMissing;
        this.softColumn = mapper.softDeleteColumn();
    }

    /** Transactions that wrote a whole batch: first attempts, retries and row-by-row isolation passes. */
    public long batchAttempts() {
        return batchAttempts;
    }

    /** Throw-away transactions that located rows the database rejects without restarting the batch. */
    public long isolationProbes() {
        return isolationProbes;
    }

    /** The open connection, connecting first if needed; connection failures are retriable. */
    public Connection connection() {
        if (connection == null) {
            try {
                connection = dialect.connect(config);
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                connection = null;
                SqlFailure failure = dialect.classify(e, null);
                if (failure.errorClass() == ErrorClass.SYSTEMIC) {
                    // wrong credentials or a missing database do not heal by retrying
                    throw new ConnectException("cannot connect to " + failure.describe(dialect.name()), e);
                }
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
    public void write(
            List<Row> rows, Map<TopicPartition, Long> next, Map<TopicPartition, Long> expected, ErrantRecords errant) {
        long reportMark = errant.mark();
        for (int attempt = 0; ; attempt++) {
            Connection c = connection();
            try {
                writeOnce(c, rows, next, expected, errant);
                return;
            } catch (OffsetStore.FencedException e) {
                rollback(c);
                throw new FencedWrite(e);
            } catch (SQLException e) {
                rollback(c);
                SqlFailure failure = dialect.classify(e, c);
                switch (failure.errorClass()) {
                    case SCHEMA_DRIFT:
                        // someone else dropped or changed the table: what the cache says is wrong
                        tables.forget();
                        bulk.forget();
                        errant.discardFrom(reportMark);
                        if (attempt == 0) {
                            log.warn(
                                    "{}: the table changed under the connector; refreshing it and retrying once",
                                    failure.describe(dialect.name()));
                            continue;
                        }
                        reset();
                        throw new ConnectException(
                                failure.describe(dialect.name()) + ". The table still does not "
                                        + "match after refreshing it"
                                        + (tables.autoEvolve() ? "" : " (auto.evolve is false)")
                                        + ": create or alter it to match the records, then restart the task",
                                e);
                    case TRANSIENT:
                        reset();
                        throw new RetriableException(dialect.name() + " unavailable: " + e.getMessage(), e);
                    case SYSTEMIC:
                        reset();
                        throw new ConnectException(
                                failure.describe(dialect.name())
                                        + ". Nothing of this batch was written or dead-lettered.",
                                e);
                    default:
                        // RECORD errors are isolated row by row inside writeOnce; one escaping here is unexpected
                        reset();
                        throw new RetriableException(dialect.name() + " write failed: " + e.getMessage(), e);
                }
            } catch (RuntimeException e) {
                reset();
                throw e;
            }
        }
    }

    /** One attempt: bulk, and row by row when the bulk load hits a record error. */
    private void writeOnce(
            Connection c,
            List<Row> rows,
            Map<TopicPartition, Long> next,
            Map<TopicPartition, Long> expected,
            ErrantRecords errant)
            throws SQLException {
        List<TableWrite> writes = prepare(c, rows, errant);
        try {
            batchAttempts++;
            c.setAutoCommit(false);
            for (TableWrite w : writes) {
                w.writeBulk(c);
            }
            commit(c, next, expected, errant);
        } catch (SQLException e) {
            if (e instanceof OffsetStore.FencedException
                    || dialect.classify(e, c).errorClass() != ErrorClass.RECORD) {
                throw e;
            }
            rollback(c);
            log.warn(
                    "bulk write of {} rows failed ({}); writing row by row to isolate the bad ones",
                    rows.size(),
                    e.getMessage());
            writeIsolated(c, writes, next, expected, errant);
        }
    }

    private void commit(
            Connection c, Map<TopicPartition, Long> next, Map<TopicPartition, Long> expected, ErrantRecords errant)
            throws SQLException {
        if (next != null && offsets != null) {
            offsets.save(c, next, expected);
        }
        // Offsets past a dead-lettered record may only be committed once its report is durable.
        errant.awaitReported();
        c.commit();
        bulk.transactionEnded();
        c.setAutoCommit(true);
    }

    private void rollback(Connection c) {
        bulk.transactionEnded();
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a broken connection rolls back by itself
        }
    }

    /** Row-by-row pass; a failing row is reported and left out, the rest commit together. */
    private void writeIsolated(
            Connection c,
            List<TableWrite> writes,
            Map<TopicPartition, Long> next,
            Map<TopicPartition, Long> expected,
            ErrantRecords errant)
            throws SQLException {
        Map<Row, SqlFailure> bad = new IdentityHashMap<>();
        if (!dialect.supportsSavepoints() && locateByProbing(c, writes, bad)) {
            // the rejected rows are known: write the others in bulk, once
            try {
                batchAttempts++;
                c.setAutoCommit(false);
                for (TableWrite w : writes) {
                    w.writeBulk(c, bulk, bad.keySet());
                }
                finishIsolated(c, writes, bad, next, expected, errant);
                return;
            } catch (SQLException e) {
                if (e instanceof OffsetStore.FencedException
                        || dialect.classify(e, c).errorClass() != ErrorClass.RECORD) {
                    throw e;
                }
                // rows that fail only together (two inserts of one key): the sequential pass below finds them
                rollback(c);
                log.warn("rows that passed one by one fail together ({}); writing row by row", e.getMessage());
            }
        }
        boolean savepoints = dialect.supportsSavepoints();
        restart:
        while (true) {
            batchAttempts++;
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
                        SqlFailure failure = dialect.classify(e, c);
                        if (failure.errorClass() != ErrorClass.RECORD) {
                            throw e;
                        }
                        bad.put(op.row, failure);
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
            finishIsolated(c, writes, bad, next, expected, errant);
            return;
        }
    }

    private void finishIsolated(
            Connection c,
            List<TableWrite> writes,
            Map<Row, SqlFailure> bad,
            Map<TopicPartition, Long> next,
            Map<TopicPartition, Long> expected,
            ErrantRecords errant)
            throws SQLException {
        tripCircuitBreaker(c, writes, bad);
        for (Map.Entry<Row, SqlFailure> e : bad.entrySet()) {
            SQLException cause = e.getValue().cause();
            errant.report(
                    e.getKey().record(),
                    new DataException(
                            "cannot write to table " + e.getKey().table() + ": " + cause.getMessage(), cause));
        }
        commit(c, next, expected, errant);
    }

    /**
     * Without savepoints (DuckDB) a rejected statement aborts the transaction, so finding the bad rows one at a
     * time would restart the batch once per bad row (rows x bad rows). Instead each table's rows are tried in
     * throw-away transactions (rolled back), after the table's deletes as in the real write, halving the groups
     * that fail until the rejected rows are single: about 2 x bad x log2(rows / bad) small probes, then one write.
     *
     * @return false when the deletes themselves fail (the sequential pass handles that)
     */
    private boolean locateByProbing(Connection c, List<TableWrite> writes, Map<Row, SqlFailure> bad)
            throws SQLException {
        for (TableWrite w : writes) {
            List<Integer> all = new ArrayList<>(w.writeRows.size());
            for (int i = 0; i < w.writeRows.size(); i++) {
                all.add(i);
            }
            if (probe(c, w, List.of()) != null) {
                return false;
            }
            bisect(c, w, all, bad);
        }
        return true;
    }

    private void bisect(Connection c, TableWrite w, List<Integer> group, Map<Row, SqlFailure> bad) throws SQLException {
        if (group.isEmpty()) {
            return;
        }
        SqlFailure failure = probe(c, w, group);
        if (failure == null) {
            return;
        }
        if (group.size() == 1) {
            bad.put(w.writeRows.get(group.get(0)), failure);
            return;
        }
        int half = group.size() / 2;
        bisect(c, w, group.subList(0, half), bad);
        bisect(c, w, group.subList(half, group.size()), bad);
    }

    /** The table's deletes and these of its rows in a transaction that is rolled back: the failure, or null. */
    private SqlFailure probe(Connection c, TableWrite w, List<Integer> group) throws SQLException {
        isolationProbes++;
        try {
            c.setAutoCommit(false);
            w.writeSubset(c, probeWriter, group);
            return null;
        } catch (SQLException e) {
            SqlFailure failure = dialect.classify(e, c);
            if (failure.errorClass() != ErrorClass.RECORD) {
                throw e;
            }
            return failure;
        } finally {
            rollback(c);
        }
    }

    /**
     * Most rows of a batch rejected for one reason is not a batch of bad records but a table or database that
     * is wrong for all of them (a new CHECK, a foreign key to an emptied table): fail instead of dead-lettering.
     */
    private void tripCircuitBreaker(Connection c, List<TableWrite> writes, Map<Row, SqlFailure> bad) {
        if (bad.size() < config.circuitBreakerMinFailures()) {
            return;
        }
        int total = 0;
        for (TableWrite w : writes) {
            total += w.deleteRows.size() + w.writeRows.size() + w.softDeleteRows.size();
        }
        Map<String, Integer> byReason = new HashMap<>();
        SqlFailure worst = null;
        int worstCount = 0;
        for (SqlFailure f : bad.values()) {
            int n = byReason.merge(f.reason(), 1, Integer::sum);
            if (n > worstCount) {
                worstCount = n;
                worst = f;
            }
        }
        if (worstCount >= config.circuitBreakerMinFailures() && worstCount >= config.circuitBreakerRatio() * total) {
            rollback(c);
            throw new ConnectException(
                    worstCount + " of " + total + " rows of the batch were rejected with "
                            + worst.describe(dialect.name())
                            + ". So many rows failing for one reason means the table or "
                            + "the database is wrong, not the records: nothing was written or dead-lettered. Fix the table "
                            + "(constraint, type, trigger) and restart the task, or raise "
                            + WarehouseSinkConfig.CIRCUIT_BREAKER_RATIO + " if such batches really are bad data.",
                    worst.cause());
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
                w.prepare(c, errant);
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

    /** A delete (no line) or a write of the row's converted values. */
    private record Op(Row row, Object[] line, boolean soft) {
        Op(Row row, Object[] line) {
            this(row, line, false);
        }

        boolean delete() {
            return line == null && !soft;
        }
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
        /** Soft deletes (cdc.delete.mode=soft), applied after the writes: the row stays, marked deleted. */
        final List<Row> softDeleteRows = new ArrayList<>();

        final List<Row> writeRows = new ArrayList<>();
        /** The converted values of {@link #writeRows}, index by index. */
        final List<Object[]> writeLines = new ArrayList<>();

        TableWrite(List<Row> rows) {
            this.rows = rows;
        }

        void prepare(Connection c, ErrantRecords errant) throws SQLException {
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
            if (softColumn != null) {
                columnTypes.putIfAbsent(softColumn, ColumnType.TIMESTAMP); // also when the batch only deletes
            }
            String table = rows.get(0).table();
            // A column seen only with nulls so far has no type to create it with: it appears with its first value.
            Map<String, ColumnType> typed = new LinkedHashMap<>(columnTypes);
            typed.values().removeIf(type -> type == null);
            def = tables.prepare(c, table, typed, key);
            if (nullMissing) {
                for (String column : def.columns().keySet()) {
                    columnTypes.putIfAbsent(column, null); // written as NULL by the rows that lack it
                }
            }
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
                Map<java.time.LocalDateTime, String> refused = tables.ensurePartitions(c, def, times);
                if (!refused.isEmpty()) {
                    // no partition to hold them (older than partition.retention keeps, or archived): record errors
                    rows.removeIf(row -> {
                        String why = row.isDelete() || !(row.value(partitionColumn) instanceof Instant t)
                                ? null
                                : refused.get(tables.periodStart(t));
                        if (why != null) {
                            errant.report(
                                    row.record(), new DataException("cannot write to table " + def.id() + ": " + why));
                        }
                        return why != null;
                    });
                }
            }
        }

        /** Plans the operations and converts every written row to its columns once, for every write path. */
        void planOps(ErrantRecords errant) {
            planRows(errant);
            convert(errant);
        }

        /**
         * Each row's values as its columns store them ({@link ColumnValues}); a row with a value that does not
         * fit is reported and left out, before any path writes, so bulk and row-by-row agree.
         */
        private void convert(ErrantRecords errant) {
            ColumnValues.Kind[] kinds = new ColumnValues.Kind[columns.size()];
            int[][] decimals = new int[columns.size()][];
            for (int i = 0; i < kinds.length; i++) {
                String type = def.columns().get(columns.get(i));
                kinds[i] = type == null ? ColumnValues.Kind.OTHER : ColumnValues.kindOf(type);
                decimals[i] = def.decimal(columns.get(i));
            }
            List<Row> fitting = new ArrayList<>(writeRows.size());
            writeLines.clear();
            for (Row row : writeRows) {
                Object[] line = values(row);
                Object[] out = line;
                int i = 0;
                try {
                    for (; i < line.length; i++) {
                        Object fitted = ColumnValues.fit(line[i], kinds[i], decimals[i], columns.get(i));
                        if (fitted != line[i]) {
                            if (out == line) {
                                out = line.clone(); // the row's own values stay as mapped
                            }
                            out[i] = fitted;
                        }
                    }
                } catch (DataException misfit) {
                    errant.report(
                            row.record(),
                            new DataException(
                                    "cannot write to table " + def.id() + ": "
                                            + misfit.getMessage() + " (column " + columns.get(i) + " is "
                                            + def.columns().get(columns.get(i)) + ")",
                                    misfit));
                    continue;
                }
                fitting.add(row);
                writeLines.add(out);
            }
            writeRows.clear();
            writeRows.addAll(fitting);
        }

        /** Sequential semantics per key: deletes first, then the last written value of each key. */
        private void planRows(ErrantRecords errant) {
            List<Row> candidates = rows;
            if (!tables.autoEvolve()) {
                candidates = new ArrayList<>(rows.size());
                for (Row row : rows) {
                    String unknown = unknownColumn(row);
                    if (unknown != null) {
                        errant.report(
                                row.record(),
                                new DataException("column " + unknown + " does not exist in " + def.id()
                                        + " and auto.evolve is false"));
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
            if (softColumn != null) {
                // the row stays: a delete marks the state after the key's last write, a later write unmarks it
                Map<Object, Row> softDeleted = new LinkedHashMap<>();
                for (Row row : candidates) {
                    softDeleted.remove(row.key());
                    if (row.isDelete()) {
                        softDeleted.put(row.key(), row);
                    } else {
                        lastWrite.remove(row.key());
                        lastWrite.put(row.key(), row);
                    }
                }
                writeRows.addAll(lastWrite.values());
                softDeleteRows.addAll(softDeleted.values());
                return;
            }
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
            deleteRows.forEach(r -> ops.add(new Op(r, null)));
            for (int i = 0; i < writeRows.size(); i++) {
                ops.add(new Op(writeRows.get(i), writeLines.get(i)));
            }
            softDeleteRows.forEach(r -> ops.add(new Op(r, null, true)));
            return ops;
        }

        void writeBulk(Connection c) throws SQLException {
            writeBulk(c, bulk, Collections.emptySet());
        }

        /** The deletes, then every written row except {@code skip}, through {@code via}. */
        void writeBulk(Connection c, BulkWriter via, java.util.Set<Row> skip) throws SQLException {
            List<Integer> rowsToWrite = new ArrayList<>(writeRows.size());
            for (int i = 0; i < writeRows.size(); i++) {
                if (!skip.contains(writeRows.get(i))) {
                    rowsToWrite.add(i);
                }
            }
            writeSubset(c, via, rowsToWrite);
        }

        /** The deletes, then the written rows at these indexes (in order), through {@code via}. */
        void writeSubset(Connection c, BulkWriter via, List<Integer> subset) throws SQLException {
            if (!deleteRows.isEmpty()) {
                try (PreparedStatement delete = c.prepareStatement(dialect.delete(def.id(), deleteKey))) {
                    for (Row row : deleteRows) {
                        bindKey(delete, row);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
            }
            writeRowsAt(c, via, subset);
            if (!softDeleteRows.isEmpty()) {
                try (PreparedStatement mark = c.prepareStatement(dialect.softDelete(def.id(), deleteKey, softColumn))) {
                    for (Row row : softDeleteRows) {
                        bindSoftDelete(mark, row);
                        mark.addBatch();
                    }
                    mark.executeBatch();
                }
            }
        }

        private void writeRowsAt(Connection c, BulkWriter via, List<Integer> subset) throws SQLException {
            if (subset.isEmpty()) {
                return;
            }
            if (!keepMissing) {
                List<Object[]> lines = subset.size() == writeLines.size() ? writeLines : new ArrayList<>(subset.size());
                if (lines != writeLines) {
                    for (int i : subset) {
                        lines.add(writeLines.get(i));
                    }
                }
                via.write(c, def.id(), columns, lines, upsert ? key : Collections.emptyList());
                return;
            }
            // one statement per set of carried columns, so no row's update depends on the others
            Map<BitSet, List<Object[]>> groups = new LinkedHashMap<>();
            for (int i : subset) {
                groups.computeIfAbsent(carried(writeRows.get(i)), g -> new ArrayList<>())
                        .add(writeLines.get(i));
            }
            for (Map.Entry<BitSet, List<Object[]>> g : groups.entrySet()) {
                int[] slots = g.getKey().stream().toArray();
                List<Object[]> lines = new ArrayList<>(g.getValue().size());
                for (Object[] line : g.getValue()) {
                    lines.add(project(line, slots));
                }
                via.write(c, def.id(), project(slots), lines, key);
            }
        }

        /** Slots of the columns a row carries, keys always included (keep mode). */
        private BitSet carried(Row row) {
            BitSet present = new BitSet(columns.size());
            for (int i = 0; i < row.size(); i++) {
                Integer at = index.get(row.column(i));
                if (at != null) {
                    present.set(at);
                }
            }
            for (String k : key) {
                Integer at = index.get(k);
                if (at != null) {
                    present.set(at);
                }
            }
            return present;
        }

        private List<String> project(int[] slots) {
            List<String> out = new ArrayList<>(slots.length);
            for (int slot : slots) {
                out.add(columns.get(slot));
            }
            return out;
        }

        private static Object[] project(Object[] line, int[] slots) {
            if (slots.length == line.length) {
                return line;
            }
            Object[] out = new Object[slots.length];
            for (int i = 0; i < slots.length; i++) {
                out[i] = line[slots[i]];
            }
            return out;
        }

        void writeOne(Connection c, Op op) throws SQLException {
            if (op.soft()) {
                try (PreparedStatement mark = c.prepareStatement(dialect.softDelete(def.id(), deleteKey, softColumn))) {
                    bindSoftDelete(mark, op.row);
                    mark.executeUpdate();
                }
                return;
            }
            if (op.delete()) {
                try (PreparedStatement delete = c.prepareStatement(dialect.delete(def.id(), deleteKey))) {
                    bindKey(delete, op.row);
                    delete.executeUpdate();
                }
                return;
            }
            List<String> targets = columns;
            Object[] line = op.line();
            if (keepMissing) {
                int[] slots = carried(op.row()).stream().toArray();
                targets = project(slots);
                line = project(line, slots);
            }
            try (PreparedStatement insert =
                    c.prepareStatement(dialect.insert(def.id(), targets, 1, upsert ? key : Collections.emptyList()))) {
                for (int i = 0; i < line.length; i++) {
                    dialect.bind(insert, i + 1, line[i]);
                }
                insert.executeUpdate();
            }
        }

        private void bindSoftDelete(PreparedStatement statement, Row row) throws SQLException {
            dialect.bind(statement, 1, row.value(softColumn));
            for (int i = 0; i < deleteKey.size(); i++) {
                dialect.bind(statement, i + 2, row.value(deleteKey.get(i)));
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
