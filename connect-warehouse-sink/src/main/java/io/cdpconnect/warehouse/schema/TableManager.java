/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

import io.cdpconnect.common.metrics.Counter;
import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.WarehouseSinkConfig.PartitionInterval;
import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.dialect.PostgresDialect;
import io.cdpconnect.warehouse.dialect.SqlFailure;
import io.cdpconnect.warehouse.record.TableRouter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and evolves tables (auto.create, auto.evolve) and creates partitions on demand. Columns are only ever
 * added, nullable; nothing is dropped or narrowed. DDL runs outside the data transaction and tolerates another task
 * having done the same DDL a moment earlier.
 *
 * <p>Every name the sink derives is checked before anything is written to it: a table remembers the source name it
 * was created for ({@link TableMarker}, its comment), so a second source sanitised to the same name fails the task;
 * a partition name is verified to be a partition of its own table after {@code CREATE ... IF NOT EXISTS} (which
 * silently skips a name taken by anything else), and names shortened to 63 bytes carry a hash of the full table name.
 */
public final class TableManager {

    private static final Logger log = LoggerFactory.getLogger(TableManager.class);

    private final Dialect dialect;
    private final boolean autoCreate;
    private final boolean autoEvolve;
    private final String partitionColumn;
    private final PartitionInterval interval;
    private final Map<String, TableDefinition> tables = new HashMap<>();
    /** Partitioned tables this manager has used: what partition maintenance looks after (read by its thread). */
    private final Set<String> partitionedTables = ConcurrentHashMap.newKeySet();

    private final String connector;
    private final TableRouter router;
    private final int maxTables;
    private final int retention;
    private final Clock clock;
    private Counter partitionsCreated = new Counter();
    private Runnable onNewPartitionedTable = () -> {};
    private String schema;

    public TableManager(WarehouseSinkConfig config, Dialect dialect) {
        this(config, dialect, null, null, Clock.systemUTC());
    }

    /**
     * @param connector the connector's name, stored with the tables it creates
     * @param router    the router whose source names are checked against the tables', null when not routing
     */
    public TableManager(
            WarehouseSinkConfig config, Dialect dialect, String connector, TableRouter router, Clock clock) {
        this.dialect = dialect;
        this.connector = connector == null ? "" : connector;
        this.router = router;
        this.maxTables = config.routingMaxTables();
        this.retention = config.partitionRetention();
        this.clock = clock;
        this.autoCreate = config.autoCreate();
        this.autoEvolve = config.autoEvolve();
        this.schema = config.schema().isEmpty() ? null : config.schema();
        boolean partitions = config.partitionInterval() != PartitionInterval.NONE;
        if (partitions && !dialect.supportsPartitions()) {
            log.warn("{} has no declarative partitions: partition.interval is ignored", dialect.name());
        }
        this.partitionColumn = partitions && dialect.supportsPartitions() ? config.partitionColumn() : null;
        this.interval = config.partitionInterval();
    }

    public boolean autoEvolve() {
        return autoEvolve;
    }

    /** Counts the partitions this manager creates ({@code partitions-created}). */
    public void countPartitionsIn(Counter created) {
        this.partitionsCreated = created;
    }

    /** Called (on the task's thread) when a partitioned table is first used, so maintenance can look at it now. */
    public void onNewPartitionedTable(Runnable listener) {
        this.onNewPartitionedTable = listener;
    }

    /** Names of the partitioned tables used so far; safe to read from another thread. */
    public Set<String> partitionedTables() {
        return partitionedTables;
    }

    public PartitionInterval interval() {
        return interval;
    }

    public TableId tableId(Connection connection, String table) throws SQLException {
        return new TableId(schema(connection), table);
    }

    public String schema(Connection connection) throws SQLException {
        if (schema == null) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery(dialect.currentSchemaQuery())) {
                rs.next();
                schema = rs.getString(1);
            }
        }
        return schema;
    }

    /**
     * The table, created or evolved so it has {@code columns} (evolution only with auto.evolve).
     *
     * @throws DataException when the table is missing and auto.create is off
     */
    public TableDefinition prepare(
            Connection connection, String table, Map<String, ColumnType> columns, List<String> key)
            throws SQLException {
        TableDefinition def = tables.get(table);
        if (def == null) {
            def = load(connection, table);
            if (def == null) {
                if (!autoCreate) {
                    throw new DataException("table " + table + " does not exist and auto.create is false");
                }
                def = create(connection, table, columns, key);
            }
            tables.put(table, def);
            if (def.partitioned() && partitionedTables.add(table)) {
                onNewPartitionedTable.run();
            }
        }
        if (autoEvolve) {
            List<String> missing = new ArrayList<>();
            for (String column : columns.keySet()) {
                if (!def.hasColumn(column)) {
                    missing.add(column);
                }
            }
            if (!missing.isEmpty()) {
                def = evolve(connection, def, missing, columns);
                tables.put(table, def);
            }
        }
        return def;
    }

    /** Forgets what is known about tables, e.g. after a failure that may come from a table changed elsewhere. */
    public void forget() {
        tables.clear();
    }

    /** The table as it exists, or null; its source is checked against the router's. */
    public TableDefinition load(Connection connection, String table) throws SQLException {
        TableId id = tableId(connection, table);
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, int[]> scales = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement(dialect.columnsQuery())) {
            s.setString(1, id.schema());
            s.setString(2, id.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String type = rs.getString(2);
                    columns.put(name, type);
                    int precision = rs.getInt(3);
                    boolean noPrecision = rs.wasNull();
                    int scale = rs.getInt(4);
                    boolean noScale = rs.wasNull();
                    // integers report a precision and scale too; only declared decimals have limits to respect
                    String lower = type.toLowerCase(java.util.Locale.ROOT);
                    if (!noPrecision && !noScale && (lower.startsWith("numeric") || lower.startsWith("decimal"))) {
                        scales.put(name, new int[] {precision, scale});
                    }
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        boolean partitioned = false;
        if (dialect instanceof PostgresDialect pg) {
            try (PreparedStatement s = connection.prepareStatement(pg.isPartitionedQuery())) {
                s.setString(1, id.sql());
                try (ResultSet rs = s.executeQuery()) {
                    partitioned = rs.next() && rs.getLong(1) > 0;
                }
            }
        }
        checkSource(connection, id);
        TableDefinition def = new TableDefinition(id, columns, scales, partitioned && partitionColumn != null);
        if (def.partitioned()) {
            refreshPartitions(connection, def);
        }
        return def;
    }

    /** A table created for another source name (its marker) must not receive this router's records. */
    private void checkSource(Connection connection, TableId id) throws SQLException {
        String source = router == null ? null : router.sourceOf(id.name());
        if (source == null) {
            return;
        }
        TableMarker marker = TableMarker.parse(comment(connection, id));
        if (marker != null && !marker.source().equals(source)) {
            throw new ConnectException("the table " + id + " was created by connector '" + marker.connector()
                    + "' for '" + marker.source() + "' (its comment says so). "
                    + TableRouter.collision(router.format(), id.name(), marker.source(), source)
                            .getMessage());
        }
    }

    private String comment(Connection connection, TableId id) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(dialect.tableCommentQuery())) {
            s.setString(1, id.schema());
            s.setString(2, id.name());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Tables of the schema created by this connector (their marker), by name. */
    public Map<String, TableMarker> markedTables(Connection connection) throws SQLException {
        Map<String, TableMarker> out = new TreeMap<>();
        try (PreparedStatement s = connection.prepareStatement(dialect.commentedTablesQuery())) {
            s.setString(1, schema(connection));
            s.setString(2, TableMarker.likePattern());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    TableMarker marker = TableMarker.parse(rs.getString(2));
                    if (marker != null && marker.connector().equals(connector)) {
                        out.put(rs.getString(1), marker);
                    }
                }
            }
        }
        return out;
    }

    private TableDefinition create(
            Connection connection, String table, Map<String, ColumnType> columns, List<String> key)
            throws SQLException {
        TableId id = tableId(connection, table);
        Map<String, ColumnType> typed = new LinkedHashMap<>();
        for (Map.Entry<String, ColumnType> c : columns.entrySet()) {
            // A column seen only with null values yet: text is the type that takes anything later.
            typed.put(c.getKey(), c.getValue() == null ? ColumnType.STRING : c.getValue());
        }
        List<String> primaryKey = new ArrayList<>(key);
        if (partitionColumn != null) {
            typed.put(partitionColumn, ColumnType.TIMESTAMP);
            if (!primaryKey.isEmpty() && !primaryKey.contains(partitionColumn)) {
                primaryKey.add(partitionColumn);
            }
        }
        String source = router == null ? null : router.sourceOf(table);
        String ddl = dialect.createTable(id, typed, primaryKey, partitionColumn);
        // One transaction, serialised per schema where the engine needs it: whoever creates the table stores its
        // source with it, a task that comes second finds the table (and its source) instead of overwriting it.
        boolean created = false;
        connection.setAutoCommit(false);
        try {
            String lock = dialect.ddlLockQuery();
            if (lock != null) {
                try (PreparedStatement s = connection.prepareStatement(lock)) {
                    s.setString(1, "cdp-connect ddl " + id.schema());
                    s.execute();
                }
            }
            if (load(connection, table) == null) {
                checkTableCap(connection, table, source);
                try (Statement s = connection.createStatement()) {
                    s.execute(ddl);
                    if (source != null) {
                        s.execute(dialect.commentOnTable(id, new TableMarker(connector, source).comment()));
                    }
                }
                created = true;
            }
            connection.commit();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            rollbackQuietly(connection);
            if (dialect.isTransient(e, connection) || load(connection, table) == null) {
                throw e;
            }
            created = false; // another task created it first (DuckDB reports the conflict at commit)
        } catch (RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        }
        if (created) {
            log.info(
                    "created table {} ({} columns{})",
                    id,
                    typed.size(),
                    partitionColumn == null
                            ? ""
                            : ", partitioned by " + interval.name().toLowerCase() + " on " + partitionColumn);
        }
        TableDefinition def = load(connection, table);
        if (def == null) {
            throw new SQLException("table " + id + " not visible after CREATE TABLE");
        }
        return def;
    }

    /** Rolls back and returns to auto-commit; a broken connection has rolled back by itself. */
    static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the caller reports the original failure
        }
    }

    /** table.routing.max.tables, counted over the tables this connector created (all tasks, all restarts). */
    private void checkTableCap(Connection connection, String table, String source) throws SQLException {
        if (router == null || !router.usesValueFields()) {
            return;
        }
        int existing = markedTables(connection).size();
        if (existing >= maxTables) {
            throw new ConnectException("connector '" + connector + "' already created " + existing + " tables "
                    + "(table.routing.max.tables=" + maxTables + "); creating " + table + " for '" + source + "' "
                    + "would exceed it. Routing on a field with unbounded values (an id rather than a type) would "
                    + "create a table per value, so the task stops; nothing of this record was written. Fix the "
                    + "routing field, or raise table.routing.max.tables if that many tables are intended (or drop "
                    + "tables no longer needed), then restart the task.");
        }
    }

    private TableDefinition evolve(
            Connection connection, TableDefinition def, List<String> missing, Map<String, ColumnType> columns)
            throws SQLException {
        for (String column : missing) {
            ColumnType type = columns.get(column) == null ? ColumnType.STRING : columns.get(column);
            executeDdl(connection, dialect.addColumn(def.id(), column, type), () -> false);
            log.info("added column {} {} to {}", column, dialect.sqlType(type), def.id());
        }
        TableDefinition reloaded = load(connection, def.id().name());
        reloaded.knownPartitions().addAll(def.knownPartitions());
        return reloaded;
    }

    /**
     * Creates the partitions the event times fall into, when the table is partitioned.
     *
     * @return the period starts (UTC) whose rows cannot be written, with the reason: older than
     *         partition.retention keeps, or in a partition that retention archived. Their records are record errors.
     * @throws ConnectException when a partition name is taken by a relation that is not a partition of this table
     */
    public Map<LocalDateTime, String> ensurePartitions(
            Connection connection, TableDefinition def, Collection<Instant> times) throws SQLException {
        if (!def.partitioned()) {
            return Map.of();
        }
        LocalDateTime oldestKept = retention > 0 ? oldestKept(clock.instant()) : null;
        Map<LocalDateTime, String> refused = new HashMap<>();
        TreeSet<LocalDateTime> starts = new TreeSet<>();
        for (Instant time : times) {
            LocalDateTime start = periodStart(time);
            if (refused.containsKey(start)) {
                continue;
            }
            // before the cache: a partition known here may have been archived by maintenance since
            if (oldestKept != null && start.isBefore(oldestKept)) {
                refused.put(
                        start,
                        "its event time falls before the " + retention + " " + unit() + " that "
                                + "partition.retention keeps (from " + oldestKept + " UTC on): it is not written into "
                                + def.id() + ", whose older partitions are archived");
                continue;
            }
            if (!def.knownPartitions().contains(start)) {
                starts.add(start);
            }
        }
        if (!starts.isEmpty()) {
            refreshPartitions(connection, def); // maintenance may have created them already: then no DDL at all
        }
        for (LocalDateTime start : starts) {
            if (!def.knownPartitions().contains(start)) {
                String archived = createPartition(connection, def, start);
                if (archived != null) {
                    refused.put(start, archived);
                }
            }
        }
        return refused;
    }

    /**
     * Creates the partition of one period unless it exists, then verifies that the name really is a partition of
     * this table.
     *
     * @return null when the partition is attached, else why its rows cannot be written (archived partition)
     */
    public String createPartition(Connection connection, TableDefinition def, LocalDateTime start) throws SQLException {
        PostgresDialect pg = (PostgresDialect) dialect;
        TableId partition =
                new TableId(def.id().schema(), partitionName(def.id().name(), start));
        LocalDateTime end = periodEnd(start);
        Relation before = relation(connection, pg, def, partition);
        if (before == null) {
            executeDdl(connection, dialect.createPartition(def.id(), partition, start, end), () -> false);
        }
        Relation after = before != null ? before : relation(connection, pg, def, partition);
        if (after != null && after.attached) {
            def.knownPartitions().add(start);
            if (before == null) {
                partitionsCreated.increment();
                log.info("created partition {} of {} for [{}, {}) UTC", partition, def.id(), start, end);
            }
            return null;
        }
        if (after != null && TableMarker.isArchiveOf(after.comment, def.id())) {
            return "its partition " + partition + " was archived (detached) by partition.retention; re-attach it "
                    + "to write there (ALTER TABLE " + def.id().sql() + " ATTACH PARTITION " + partition.sql()
                    + " FOR VALUES FROM (...) TO (...)) and raise partition.retention so it is kept";
        }
        throw new ConnectException("the partition name " + partition + " for " + def.id() + " [" + start + ", " + end
                + ") UTC is taken by "
                + (after == null
                        ? "a relation that vanished while it was created"
                        : "another relation that is not a partition of " + def.id()
                                + " (a table of its own, or a partition " + "of another table)")
                + "; rows of that period cannot be placed and nothing was written. Fix: "
                + "rename or drop that relation (or, if it holds this table's rows, attach it: ALTER TABLE "
                + def.id().sql() + " ATTACH PARTITION " + partition.sql() + " FOR VALUES FROM ("
                + "'" + start + "+00') TO ('" + end + "+00')), then restart the task.");
    }

    private record Relation(boolean attached, String comment) {}

    private static Relation relation(Connection connection, PostgresDialect pg, TableDefinition def, TableId name)
            throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(pg.relationQuery())) {
            s.setString(1, def.id().sql());
            s.setString(2, name.schema());
            s.setString(3, name.name());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Relation(rs.getBoolean(1), rs.getString(2)) : null;
            }
        }
    }

    /** Re-reads which periods the table's attached partitions cover. */
    public void refreshPartitions(Connection connection, TableDefinition def) throws SQLException {
        for (AttachedPartition p : attachedPartitions(connection, def)) {
            for (LocalDateTime start = periodStart(p.from().toInstant(ZoneOffset.UTC));
                    !start.isBefore(p.from()) && !periodEnd(start).isAfter(p.to());
                    start = periodEnd(start)) {
                def.knownPartitions().add(start);
            }
        }
    }

    /** An attached partition and its range (UTC); DEFAULT and unbounded partitions are left out. */
    public record AttachedPartition(TableId id, LocalDateTime from, LocalDateTime to) {}

    public List<AttachedPartition> attachedPartitions(Connection connection, TableDefinition def) throws SQLException {
        List<AttachedPartition> out = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(((PostgresDialect) dialect).attachedPartitionsQuery())) {
            s.setString(1, def.id().sql());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    LocalDateTime[] range = PartitionBounds.parse(rs.getString(2));
                    if (range != null) {
                        out.add(new AttachedPartition(
                                new TableId(def.id().schema(), rs.getString(1)), range[0], range[1]));
                    }
                }
            }
        }
        return out;
    }

    /** The start (UTC) of the oldest period partition.retention keeps at {@code now}: the current one counts. */
    public LocalDateTime oldestKept(Instant now) {
        LocalDateTime current = periodStart(now);
        return interval == PartitionInterval.DAY
                ? current.minusDays(retention - 1L)
                : current.minusMonths(retention - 1L);
    }

    public LocalDateTime periodEnd(LocalDateTime start) {
        return interval == PartitionInterval.DAY ? start.plusDays(1) : start.plusMonths(1);
    }

    private String unit() {
        return interval == PartitionInterval.DAY ? "days" : "months";
    }

    public LocalDateTime periodStart(Instant time) {
        // called for every row of a partitioned table, whose events mostly fall into one period: the last period
        // answers them without date arithmetic (LocalDateTime.ofInstant builds a ZoneRules per call)
        long second = time.getEpochSecond();
        Period last = lastPeriod;
        if (last != null && second >= last.fromSecond() && second < last.toSecond()) {
            return last.start();
        }
        LocalDateTime utc = LocalDateTime.ofInstant(time, ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        LocalDateTime start = interval == PartitionInterval.DAY ? utc : utc.withDayOfMonth(1);
        lastPeriod =
                new Period(start.toEpochSecond(ZoneOffset.UTC), periodEnd(start).toEpochSecond(ZoneOffset.UTC), start);
        return start;
    }

    /** A period [from, to) in epoch seconds and its start; immutable, so threads may share the last one. */
    private record Period(long fromSecond, long toSecond, LocalDateTime start) {}

    /** The period {@link #periodStart} found last (the task and the maintenance thread both ask). */
    private volatile Period lastPeriod;

    /**
     * {@code events_p2026_11} or {@code events_p2026_11_23}. A table name too long for that within 63 bytes is
     * shortened and followed by 8 hex digits of a hash of the whole name, so two long names with a common prefix
     * still get distinct partitions (plain truncation gave them one name, and the second table no partition).
     */
    String partitionName(String table, LocalDateTime start) {
        String suffix = interval == PartitionInterval.DAY
                ? String.format("_p%04d_%02d_%02d", start.getYear(), start.getMonthValue(), start.getDayOfMonth())
                : String.format("_p%04d_%02d", start.getYear(), start.getMonthValue());
        if (table.getBytes(StandardCharsets.UTF_8).length + suffix.length() <= Identifiers.MAX_LENGTH) {
            return table + suffix;
        }
        String hash = String.format("_%08x", table.hashCode());
        // routed table names are [a-z0-9_]: one byte per character
        return table.substring(0, Identifiers.MAX_LENGTH - suffix.length() - hash.length()) + hash + suffix;
    }

    private interface Check {
        boolean done() throws SQLException;
    }

    /** Runs DDL; when it fails because a concurrent task got there first, that is success. */
    private void executeDdl(Connection connection, String ddl, Check alreadyDone) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(ddl);
        } catch (SQLException e) {
            if (dialect.isTransient(e, connection)) {
                throw e;
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            if (ddl.contains("IF NOT EXISTS") && SqlFailure.isConcurrentDdl(e)) {
                log.debug("concurrent DDL already done: {}", ddl);
                return;
            }
            if (alreadyDone.done()) {
                return;
            }
            throw e;
        }
    }
}
