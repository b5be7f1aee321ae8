/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.schema.ColumnType;
import io.cdpconnect.warehouse.schema.TableId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.Driver;

/** PostgreSQL: JSONB, declarative range partitions, COPY for bulk loads, savepoints for record isolation. */
public final class PostgresDialect extends Dialect {

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public Connection connect(ConnectionSettings settings) throws SQLException {
        Properties props = new Properties();
        if (!settings.user().isEmpty()) {
            props.setProperty("user", settings.user());
        }
        String password = settings.password();
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("sslmode", settings.tlsMode());
        setIfPresent(props, "sslrootcert", settings.tlsRootCert());
        setIfPresent(props, "sslcert", settings.tlsCert());
        setIfPresent(props, "sslkey", settings.tlsKey());
        setIfPresent(props, "sslpassword", settings.tlsKeyPassword());
        // Strings are sent untyped so the server casts them to the column's type (timestamptz, jsonb, numeric).
        props.setProperty("stringtype", "unspecified");
        props.setProperty("ApplicationName", "cdp-connect-warehouse-sink");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", Integer.toString(settings.connectTimeoutSeconds()));
        // A dead server or a cut network must end in an error we can retry, never a hung task.
        props.setProperty("socketTimeout", Integer.toString(settings.socketTimeoutSeconds()));
        // Instantiated directly: DriverManager does not see drivers that live in a plugin's class loader.
        Connection connection = new Driver().connect(settings.url(), props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + settings.url());
        }
        return connection;
    }

    private static void setIfPresent(Properties props, String key, String value) {
        if (value != null && !value.isBlank()) {
            props.setProperty(key, value.trim());
        }
    }

    @Override
    public String sqlType(ColumnType type) {
        switch (type) {
            case BOOLEAN:
                return "boolean";
            case INT16:
                return "smallint";
            case INT32:
                return "integer";
            case INT64:
                return "bigint";
            case FLOAT32:
                return "real";
            case FLOAT64:
                return "double precision";
            case DECIMAL:
                return "numeric";
            case STRING:
                return "text";
            case BYTES:
                return "bytea";
            case DATE:
                return "date";
            case TIME:
                return "time";
            case TIMESTAMP:
                return "timestamptz";
            case JSON:
                return "jsonb";
            default:
                throw new IllegalArgumentException(type.name());
        }
    }

    @Override
    public boolean supportsSavepoints() {
        return true;
    }

    @Override
    public boolean supportsPartitions() {
        return true;
    }

    @Override
    public BulkWriter bulkWriter(WarehouseSinkConfig.WriteMethod method) {
        return method == WarehouseSinkConfig.WriteMethod.JDBC ? new JdbcBulkWriter(this) : new PgCopyWriter(this);
    }

    /** Range-partitioned on {@code partitionColumn}; the key must then include that column (PostgreSQL rule). */
    @Override
    public String createTable(
            TableId table, Map<String, ColumnType> columns, List<String> key, String partitionColumn) {
        String sql = super.createTable(table, columns, key, partitionColumn);
        return partitionColumn == null
                ? sql
                : sql + " PARTITION BY RANGE (" + io.cdpconnect.warehouse.schema.Identifiers.quote(partitionColumn)
                        + ")";
    }

    @Override
    public String createPartition(TableId parent, TableId partition, LocalDateTime fromUtc, LocalDateTime toUtc) {
        return "CREATE TABLE IF NOT EXISTS " + partition.sql() + " PARTITION OF " + parent.sql() + " FOR VALUES FROM ("
                + timestampLiteral(fromUtc) + ") TO (" + timestampLiteral(toUtc) + ")";
    }

    /**
     * By SQLSTATE (PostgreSQL appendix A): the two-character class first, then the codes whose class alone would
     * mislead (resource errors that are either passing or permanent, the missing ON CONFLICT target).
     */
    @Override
    protected SqlFailure classifyDatabaseError(SQLException e) {
        String state = null;
        for (Throwable t = e; t != null && state == null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                state = sql.getSQLState();
            }
        }
        if (state == null || state.length() != 5) {
            // no code at all is the driver's own complaint about one value (e.g. a type it cannot send)
            return new SqlFailure(ErrorClass.RECORD, "without SQLSTATE", null, e);
        }
        String reason = "SQLSTATE " + state;
        switch (state) {
            case "42P01":
            case "42703":
            case "3F000":
                return new SqlFailure(ErrorClass.SCHEMA_DRIFT, reason, null, e);
            case "42501":
                return new SqlFailure(
                        ErrorClass.SYSTEMIC,
                        reason,
                        "grant the connector's user the privileges it needs "
                                + "on the table, e.g. GRANT INSERT, UPDATE, DELETE ON <table> TO <user> (INSERT for inserts, "
                                + "UPDATE for upsert, DELETE for deletes, CREATE on the schema for auto.create), then restart "
                                + "the task",
                        e);
            case "42P10":
                return new SqlFailure(
                        ErrorClass.SYSTEMIC,
                        reason,
                        "insert.mode=upsert needs a PRIMARY KEY or UNIQUE "
                                + "constraint on exactly the key columns (pk.fields): ALTER TABLE <table> ADD PRIMARY KEY "
                                + "(<key columns>), or use insert.mode=insert, then restart the task",
                        e);
            case "53100":
                return new SqlFailure(
                        ErrorClass.SYSTEMIC,
                        reason,
                        "free disk space on the database server, then " + "restart the task",
                        e);
            case "53300":
                return new SqlFailure(
                        ErrorClass.SYSTEMIC,
                        reason,
                        "the server refuses more connections: raise "
                                + "max_connections or lower tasks.max / other clients, then restart the task",
                        e);
            case "53400":
                return new SqlFailure(
                        ErrorClass.SYSTEMIC,
                        reason,
                        "a server configuration limit was hit: raise it, " + "then restart the task",
                        e);
            case "55P03":
            case "55006":
            case "25006":
            case "25P03":
                // lock timeout, object in use, read-only transaction (standby / recovery), idle-in-transaction timeout
                return new SqlFailure(ErrorClass.TRANSIENT, reason, null, e);
            default:
                break;
        }
        switch (state.substring(0, 2)) {
            case "08":
            case "40":
            case "53":
            case "57":
            case "58":
                // connection, rollback (deadlock, serialization), resources, operator intervention, system
                return new SqlFailure(ErrorClass.TRANSIENT, reason, null, e);
            case "22":
            case "23":
            case "54":
            case "P0":
                // data exception, integrity violation, a value beyond a limit, raised by a trigger
                return new SqlFailure(ErrorClass.RECORD, reason, null, e);
            case "28":
                return new SqlFailure(ErrorClass.SYSTEMIC, reason, "check warehouse.user and warehouse.password", e);
            case "3D":
                return new SqlFailure(ErrorClass.SYSTEMIC, reason, "create the database or correct warehouse.url", e);
            case "42":
                if (state.equals("42804") || state.equals("42846")) {
                    return new SqlFailure(ErrorClass.RECORD, reason, null, e); // one value of the wrong type
                }
                return new SqlFailure(
                        ErrorClass.SYSTEMIC,
                        reason,
                        "the statement does not fit the table's "
                                + "definition; compare the table with the connector's mapping, then restart the task",
                        e);
            default:
                return new SqlFailure(
                        ErrorClass.SYSTEMIC,
                        reason,
                        "see the database's message; fix the database " + "or the configuration, then restart the task",
                        e);
        }
    }

    @Override
    public String tableCommentQuery() {
        return "SELECT obj_description(c.oid, 'pg_class') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ?";
    }

    @Override
    public String commentedTablesQuery() {
        return "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p') "
                + "AND obj_description(c.oid, 'pg_class') LIKE ?";
    }

    @Override
    public String ddlLockQuery() {
        return "SELECT pg_advisory_xact_lock(hashtext(?))";
    }

    /** The attached partitions of a table (bound: the qualified, quoted parent): name, bound expression. */
    public String attachedPartitionsQuery() {
        return "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(?)";
    }

    /**
     * What a relation of a given name is (bound: qualified quoted parent, schema, name): whether it is attached to
     * that parent, and its comment; no row when there is no such relation.
     */
    public String relationQuery() {
        return "SELECT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid AND i.inhparent = to_regclass(?)), "
                + "obj_description(c.oid, 'pg_class') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ?";
    }

    public String detachPartition(TableId parent, TableId partition) {
        return "ALTER TABLE " + parent.sql() + " DETACH PARTITION " + partition.sql();
    }

    public String dropTable(TableId table) {
        return "DROP TABLE " + table.sql();
    }

    /** Session-level advisory lock taken without waiting (bound: key text); one task does the retention. */
    public String tryLockQuery() {
        return "SELECT pg_try_advisory_lock(hashtext(?))";
    }

    public String unlockQuery() {
        return "SELECT pg_advisory_unlock(hashtext(?))";
    }

    /** Whether an existing table is partitioned (bound parameter: the qualified, quoted name). */
    public String isPartitionedQuery() {
        return "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = to_regclass(?)";
    }
}
