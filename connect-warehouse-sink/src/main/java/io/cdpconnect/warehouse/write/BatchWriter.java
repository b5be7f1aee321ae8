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
import io.cdpconnect.warehouse.schema.TableManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
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
    private final TableWrite.Settings settings;
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
        this.bulk = dialect.bulkWriter(config.writeMethod());
        this.probeWriter = new JdbcBulkWriter(dialect);
        this.tables = tables;
        this.mapper = mapper;
        this.offsets = offsets;
        this.upsert = config.insertMode() == WarehouseSinkConfig.InsertMode.UPSERT;
        this.deletes = config.deleteEnabled();
        this.keepMissing = upsert && config.upsertMissingFields() == WarehouseSinkConfig.MissingFields.KEEP;
        this.nullMissing = upsert && !keepMissing;
        this.softColumn = mapper.softDeleteColumn();
        this.settings = new TableWrite.Settings(
                dialect,
                tables,
                mapper,
                upsert,
                deletes,
                keepMissing,
                nullMissing,
                softColumn,
                config.partitionColumn());
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
                connection = dialect.connect(config.connectionSettings());
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
                w.writeBulk(c, bulk, Collections.emptySet());
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
                for (TableWrite.Op op : w.ops()) {
                    if (bad.containsKey(op.row())) {
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
                        bad.put(op.row(), failure);
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
            TableWrite w = new TableWrite(settings, e.getValue());
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

    @Override
    public void close() {
        if (connection != null) {
            dialect.release(connection);
            connection = null;
        }
    }

    /** Another task committed offsets of a partition this task wrote: drop the work and re-read offsets. */
    public static final class FencedWrite extends ConnectException {
        public FencedWrite(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
