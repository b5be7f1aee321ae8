/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import static io.cdpconnect.warehouse.schema.Identifiers.quote;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.schema.ColumnType;
import io.cdpconnect.warehouse.schema.TableId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * What differs between warehouses: connecting, SQL types, DDL, upsert syntax, bulk loading and which errors
 * are worth a retry. Statements are generated here with quoted identifiers and {@code ?} placeholders only;
 * values are always bound. MySQL/MariaDB or ClickHouse would be further subclasses.
 */
public abstract class Dialect {

    /** The dialect of a JDBC URL, with its type options (decimal.scale: DuckDB's DECIMAL scale). */
    public static Dialect forUrl(String url, int decimalScale) {
        Dialect dialect = forUrl(url);
        if (dialect instanceof DuckDbDialect duck) {
            return new DuckDbDialect(decimalScale);
        }
        return dialect;
    }

    /** A dialect for a JDBC URL. */
    public static Dialect forUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        if (url.startsWith("jdbc:duckdb:")) {
            return new DuckDbDialect();
        }
        throw new IllegalArgumentException("unsupported warehouse URL (jdbc:postgresql: or jdbc:duckdb:): " + url);
    }

    public abstract String name();

    /** Opens a connection in auto-commit mode. */
    public abstract Connection connect(ConnectionSettings settings) throws SQLException;

    /** Gives a connection back; dialects that share an engine instance between tasks override it. */
    public void release(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing left to do
        }
    }

    public abstract String sqlType(ColumnType type);

    /** True when a failed statement can be undone to a savepoint while the transaction goes on. */
    public abstract boolean supportsSavepoints();

    /** True when tables can be range-partitioned (partition.interval). */
    public abstract boolean supportsPartitions();

    /** A writer for whole batches: COPY on PostgreSQL, multi-row INSERTs elsewhere. */
    public abstract BulkWriter bulkWriter(WarehouseSinkConfig.WriteMethod method);

    /** Whether a failure is about the connection or the server's state: the batch is retried later. */
    public boolean isTransient(SQLException e, Connection connection) {
        return classify(e, connection).errorClass() == ErrorClass.TRANSIENT;
    }

    /**
     * The error class of a failure (see {@link ErrorClass}). Network and driver-level transient exceptions and a
     * connection that no longer answers are transient in every dialect; the rest is the dialect's call.
     */
    public SqlFailure classify(SQLException e, Connection connection) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException
                    || t instanceof java.sql.SQLTransientException
                    || t instanceof java.sql.SQLRecoverableException) {
                return new SqlFailure(ErrorClass.TRANSIENT, t.getClass().getSimpleName(), null, e);
            }
        }
        SqlFailure failure = classifyDatabaseError(e);
        if (connection != null && failure.errorClass() != ErrorClass.TRANSIENT && !usable(connection)) {
            return new SqlFailure(ErrorClass.TRANSIENT, "connection lost", null, e);
        }
        return failure;
    }

    /** The class of an error the database itself reported. */
    protected abstract SqlFailure classifyDatabaseError(SQLException e);

    /** Whether the connection still works after an error; overridden where a check query would mislead. */
    protected boolean usable(Connection connection) {
        try {
            return !connection.isClosed() && connection.isValid(5);
        } catch (SQLException closed) {
            return false;
        }
    }

    public String currentSchemaQuery() {
        return "SELECT current_schema()";
    }

    /** Column names, types, numeric precisions and scales of a table, in order; parameters: schema, table. */
    public String columnsQuery() {
        return "SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
    }

    /** The comment of one table (bound: schema, table); no row when the table does not exist. */
    public abstract String tableCommentQuery();

    /** Tables of a schema whose comment matches a LIKE pattern (bound: schema, pattern): name, comment. */
    public abstract String commentedTablesQuery();

    /** {@code COMMENT ON TABLE}: the text is generated by the sink (a {@code TableMarker}), quoted here. */
    public String commentOnTable(TableId table, String comment) {
        return "COMMENT ON TABLE " + table.sql() + " IS '" + comment.replace("'", "''") + "'";
    }

    /**
     * A statement that serialises the sink's table creation in a schema until the transaction ends (bound: a
     * key text), so "does it exist, how many are there, create it with its marker" is one step; null where the
     * engine serialises conflicting DDL itself (DuckDB fails the later transaction at commit).
     */
    public String ddlLockQuery() {
        return null;
    }

    public String createTable(
            TableId table, Map<String, ColumnType> columns, List<String> key, String partitionColumn) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(table.sql())
                .append(" (");
        boolean first = true;
        for (Map.Entry<String, ColumnType> c : columns.entrySet()) {
            if (!first) {
                sql.append(", ");
            }
            first = false;
            sql.append(quote(c.getKey())).append(' ').append(sqlType(c.getValue()));
            if (key.contains(c.getKey())) {
                sql.append(" NOT NULL");
            }
        }
        if (!key.isEmpty()) {
            sql.append(", PRIMARY KEY (").append(columnList(key)).append(')');
        }
        sql.append(')');
        return sql.toString();
    }

    public String addColumn(TableId table, String column, ColumnType type) {
        return "ALTER TABLE " + table.sql() + " ADD COLUMN IF NOT EXISTS " + quote(column) + ' ' + sqlType(type);
    }

    /** {@code INSERT INTO t (c...) VALUES (?...),(?...)} for {@code rows} rows; upsert when key is non-empty. */
    public String insert(TableId table, List<String> columns, int rows, List<String> upsertKey) {
        StringBuilder sql = new StringBuilder(64 + rows * columns.size() * 3)
                .append("INSERT INTO ")
                .append(table.sql())
                .append(" (")
                .append(columnList(columns))
                .append(") VALUES ");
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                sql.append(',');
            }
            sql.append('(');
            for (int c = 0; c < columns.size(); c++) {
                sql.append(c == 0 ? "?" : ",?");
            }
            sql.append(')');
        }
        if (!upsertKey.isEmpty()) {
            sql.append(onConflict(columns, upsertKey));
        }
        return sql.toString();
    }

    /** {@code ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c}: the same in PostgreSQL and DuckDB. */
    public String onConflict(List<String> columns, List<String> key) {
        StringBuilder sql =
                new StringBuilder(" ON CONFLICT (").append(columnList(key)).append(") DO ");
        boolean any = false;
        for (String c : columns) {
            if (!key.contains(c)) {
                sql.append(any ? ", " : "UPDATE SET ")
                        .append(quote(c))
                        .append(" = EXCLUDED.")
                        .append(quote(c));
                any = true;
            }
        }
        if (!any) {
            sql.append("NOTHING");
        }
        return sql.toString();
    }

    public String delete(TableId table, List<String> key) {
        StringBuilder sql =
                new StringBuilder("DELETE FROM ").append(table.sql()).append(" WHERE ");
        for (int i = 0; i < key.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append(quote(key.get(i))).append(" = ?");
        }
        return sql.toString();
    }

    /** cdc.delete.mode=soft: marks the row of a key deleted; parameters: the time, then the key columns. */
    public String softDelete(TableId table, List<String> key, String column) {
        StringBuilder sql = new StringBuilder("UPDATE ")
                .append(table.sql())
                .append(" SET ")
                .append(quote(column))
                .append(" = ? WHERE ");
        for (int i = 0; i < key.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append(quote(key.get(i))).append(" = ?");
        }
        return sql.toString();
    }

    public String createOffsetsTable(TableId table) {
        return "CREATE TABLE IF NOT EXISTS " + table.sql() + " (connector VARCHAR NOT NULL, topic VARCHAR NOT NULL, "
                + "kafka_partition INTEGER NOT NULL, next_offset BIGINT NOT NULL, "
                + "updated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (connector, topic, kafka_partition))";
    }

    public static String columnList(List<String> columns) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(quote(columns.get(i)));
        }
        return out.toString();
    }

    /** Binds one value in its {@code ColumnType} Java representation. */
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setObject(index, null);
        } else if (value instanceof String s) {
            statement.setString(index, s);
        } else if (value instanceof Long l) {
            statement.setLong(index, l);
        } else if (value instanceof Integer i) {
            statement.setInt(index, i);
        } else if (value instanceof Short s) {
            statement.setShort(index, s);
        } else if (value instanceof Double d) {
            statement.setDouble(index, d);
        } else if (value instanceof Float f) {
            statement.setFloat(index, f);
        } else if (value instanceof Boolean b) {
            statement.setBoolean(index, b);
        } else if (value instanceof BigDecimal d) {
            statement.setBigDecimal(index, d);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else if (value instanceof Instant instant) {
            bindInstant(statement, index, instant);
        } else { // LocalDate, LocalTime and the rest: the driver maps them
            statement.setObject(index, value);
        }
    }

    protected void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** Text of a timestamp literal for DDL bounds (partition ranges): generated, never user input. */
    protected static String timestampLiteral(LocalDateTime utc) {
        return "'" + utc.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + "+00'";
    }

    /** DDL creating a partition of a range-partitioned table; only where {@link #supportsPartitions()}. */
    public String createPartition(TableId parent, TableId partition, LocalDateTime fromUtc, LocalDateTime toUtc) {
        throw new UnsupportedOperationException(name() + " has no declarative partitions");
    }
}
