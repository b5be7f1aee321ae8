package io.cdpconnect.warehouse.schema;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.WarehouseSinkConfig.PartitionInterval;
import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.dialect.PostgresDialect;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import java.util.TreeSet;

/**
 * Creates and evolves tables (auto.create, auto.evolve) and creates partitions on demand. Columns are only ever
 * added, nullable; nothing is dropped or narrowed. DDL runs in auto-commit, outside the data transaction, and
 * tolerates another task having done the same DDL a moment earlier.
 */
public final class TableManager {

    private static final Logger log = LoggerFactory.getLogger(TableManager.class);

    private final Dialect dialect;
    private final boolean autoCreate;
    private final boolean autoEvolve;
    private final String partitionColumn;
    private final PartitionInterval interval;
    private final Map<String, TableDefinition> tables = new HashMap<>();
    private String schema;

    public TableManager(WarehouseSinkConfig config, Dialect dialect) {
        this.dialect = dialect;
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
    public TableDefinition prepare(Connection connection, String table, Map<String, ColumnType> columns,
                                   List<String> key) throws SQLException {
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

    private TableDefinition load(Connection connection, String table) throws SQLException {
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
        return new TableDefinition(id, columns, scales, partitioned && partitionColumn != null);
    }

    private TableDefinition create(Connection connection, String table, Map<String, ColumnType> columns,
                                   List<String> key) throws SQLException {
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
        String ddl = dialect.createTable(id, typed, primaryKey, partitionColumn);
        executeDdl(connection, ddl, () -> load(connection, table) != null);
        log.info("created table {} ({} columns{})", id, typed.size(),
                partitionColumn == null ? "" : ", partitioned by " + interval.name().toLowerCase() + " on " + partitionColumn);
        TableDefinition def = load(connection, table);
        if (def == null) {
            throw new SQLException("table " + id + " not visible after CREATE TABLE");
        }
        return def;
    }

    private TableDefinition evolve(Connection connection, TableDefinition def, List<String> missing,
                                   Map<String, ColumnType> columns) throws SQLException {
        for (String column : missing) {
            ColumnType type = columns.get(column) == null ? ColumnType.STRING : columns.get(column);
            executeDdl(connection, dialect.addColumn(def.id(), column, type), () -> false);
            log.info("added column {} {} to {}", column, dialect.sqlType(type), def.id());
        }
        TableDefinition reloaded = load(connection, def.id().name());
        reloaded.knownPartitions().addAll(def.knownPartitions());
        return reloaded;
    }

    /** Creates the partitions the event times fall into, when the table is partitioned. */
    public void ensurePartitions(Connection connection, TableDefinition def, Collection<Instant> times)
            throws SQLException {
        if (!def.partitioned()) {
            return;
        }
        TreeSet<LocalDateTime> starts = new TreeSet<>();
        for (Instant time : times) {
            LocalDateTime start = periodStart(time);
            if (!def.knownPartitions().contains(start)) {
                starts.add(start);
            }
        }
        for (LocalDateTime start : starts) {
            TableId partition = new TableId(def.id().schema(), partitionName(def.id().name(), start));
            LocalDateTime end = interval == PartitionInterval.DAY ? start.plusDays(1) : start.plusMonths(1);
            executeDdl(connection, dialect.createPartition(def.id(), partition, start, end), () -> false);
            def.knownPartitions().add(start);
        }
    }

    LocalDateTime periodStart(Instant time) {
        LocalDateTime utc = LocalDateTime.ofInstant(time, ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        return interval == PartitionInterval.DAY ? utc : utc.withDayOfMonth(1);
    }

    /** {@code events_p2026_11} or {@code events_p2026_11_23}; the table part is shortened to fit 63 bytes. */
    String partitionName(String table, LocalDateTime start) {
        String suffix = interval == PartitionInterval.DAY
                ? String.format("_p%04d_%02d_%02d", start.getYear(), start.getMonthValue(), start.getDayOfMonth())
                : String.format("_p%04d_%02d", start.getYear(), start.getMonthValue());
        String base = table.length() + suffix.length() > Identifiers.MAX_LENGTH
                ? table.substring(0, Identifiers.MAX_LENGTH - suffix.length()) : table;
        return base + suffix;
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
            if (ddl.contains("IF NOT EXISTS") && isDuplicate(e)) {
                log.debug("concurrent DDL already done: {}", ddl);
                return;
            }
            if (alreadyDone.done()) {
                return;
            }
            throw e;
        }
    }

    private static boolean isDuplicate(SQLException e) {
        String state = e.getSQLState();
        // 23505 unique violation on the catalog, 42P07 duplicate table, 42701 duplicate column
        return "23505".equals(state) || "42P07".equals(state) || "42701".equals(state);
    }
}
