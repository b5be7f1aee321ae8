/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.schema.ColumnType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * DuckDB, an embedded file: the zero-setup warehouse. A file can be opened by one database instance per
 * process, so every task of this worker writing to the same file shares one instance (a {@code duplicate()}
 * connection each) and the instance closes with its last user.
 */
public final class DuckDbDialect extends Dialect {

    private static final Map<String, Shared> INSTANCES = new HashMap<>();
    private static final Map<Connection, String> URLS = new IdentityHashMap<>();

    private static final class Shared {
        final DuckDBConnection root;
        int users;

        Shared(DuckDBConnection root) {
            this.root = root;
        }
    }

    /** Default of decimal.scale. */
    public static final int DEFAULT_DECIMAL_SCALE = 18;

    private final int decimalScale;

    public DuckDbDialect() {
        this(DEFAULT_DECIMAL_SCALE);
    }

    public DuckDbDialect(int decimalScale) {
        this.decimalScale = decimalScale;
    }

    @Override
    public String name() {
        return "DuckDB";
    }

    @Override
    public Connection connect(ConnectionSettings settings) throws SQLException {
        String url = settings.url();
        synchronized (INSTANCES) {
            Shared shared = INSTANCES.get(url);
            if (shared == null || shared.root.isClosed()) {
                Connection root = new DuckDBDriver().connect(url, new Properties());
                if (root == null) {
                    throw new SQLException("the DuckDB driver does not accept " + url);
                }
                shared = new Shared(root.unwrap(DuckDBConnection.class));
                INSTANCES.put(url, shared);
            }
            Connection connection = shared.root.duplicate();
            shared.users++;
            URLS.put(connection, url);
            return connection;
        }
    }

    @Override
    public void release(Connection connection) {
        super.release(connection);
        synchronized (INSTANCES) {
            String url = URLS.remove(connection);
            Shared shared = url == null ? null : INSTANCES.get(url);
            if (shared != null && --shared.users <= 0) {
                INSTANCES.remove(url);
                try {
                    shared.root.close();
                } catch (SQLException ignored) {
                    // the file lock goes with the instance either way
                }
            }
        }
    }

    @Override
    public String sqlType(ColumnType type) {
        switch (type) {
            case BOOLEAN:
                return "BOOLEAN";
            case INT16:
                return "SMALLINT";
            case INT32:
                return "INTEGER";
            case INT64:
                return "BIGINT";
            case FLOAT32:
                return "FLOAT";
            case FLOAT64:
                return "DOUBLE";
            // DuckDB decimals need a precision (max 38) and a fixed scale (decimal.scale); a value with more
            // fractional digits is a record error, never rounded
            case DECIMAL:
                return "DECIMAL(38," + decimalScale + ")";
            case STRING:
                return "VARCHAR";
            case BYTES:
                return "BLOB";
            case DATE:
                return "DATE";
            case TIME:
                return "TIME";
            case TIMESTAMP:
                return "TIMESTAMPTZ";
            case JSON:
                return "JSON";
            default:
                throw new IllegalArgumentException(type.name());
        }
    }

    @Override
    public boolean supportsSavepoints() {
        return false;
    }

    @Override
    public boolean supportsPartitions() {
        return false;
    }

    @Override
    public BulkWriter bulkWriter(WarehouseSinkConfig.WriteMethod method) {
        return method == WarehouseSinkConfig.WriteMethod.JDBC
                ? new JdbcBulkWriter(this)
                : new DuckDbAppenderWriter(this);
    }

    /** Embedded: no network to lose, and a check query fails inside an aborted transaction. */
    @Override
    protected boolean usable(Connection connection) {
        try {
            return !connection.isClosed();
        } catch (SQLException closed) {
            return false;
        }
    }

    /**
     * DuckDB's JDBC driver sets no SQLSTATE; every message starts with the engine's error type
     * ({@code Constraint Error: ...}), which is what is classified here.
     */
    @Override
    protected SqlFailure classifyDatabaseError(SQLException e) {
        if (e.getSQLState() != null
                && (e.getSQLState().startsWith("22") || e.getSQLState().startsWith("23"))) {
            return new SqlFailure(ErrorClass.RECORD, "SQLSTATE " + e.getSQLState(), null, e); // raised by this sink
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        int colon = message.indexOf(':');
        String type = colon < 0 ? "" : message.substring(0, colon).trim();
        if (message.startsWith("Appender error")) {
            // a value the Appender cannot take (the JDBC replay isolates and names it)
            return new SqlFailure(ErrorClass.RECORD, "Appender error", null, e);
        }
        switch (type) {
            case "Constraint Error":
            case "Conversion Error":
            case "Invalid Input Error":
            case "Out of Range Error":
            case "Mismatch Type Error":
                return new SqlFailure(ErrorClass.RECORD, type, null, e);
            case "Catalog Error":
                return new SqlFailure(ErrorClass.SCHEMA_DRIFT, type, null, e);
            case "Binder Error":
                if (message.contains("conflict target")) {
                    return new SqlFailure(
                            ErrorClass.SYSTEMIC,
                            type,
                            "insert.mode=upsert needs a PRIMARY KEY or "
                                    + "UNIQUE constraint on exactly the key columns (pk.fields); re-create the table with it "
                                    + "or use insert.mode=insert, then restart the task",
                            e);
                }
                if (message.contains("does not have a column")) {
                    return new SqlFailure(ErrorClass.SCHEMA_DRIFT, type, null, e);
                }
                return new SqlFailure(
                        ErrorClass.SYSTEMIC, type, "the statement does not fit the table's definition", e);
            case "Transaction Error":
            case "TransactionContext Error":
            case "Interrupt Error":
                // write-write conflicts with another connection of the same instance: retry
                return new SqlFailure(ErrorClass.TRANSIENT, type, null, e);
            case "IO Error":
            case "Permission Error":
            case "Out of Memory Error":
            case "FATAL Error":
                return new SqlFailure(
                        ErrorClass.SYSTEMIC,
                        type,
                        "check the DuckDB file, its directory and the "
                                + "disk (space, permissions, another process holding the file), then restart the task",
                        e);
            default:
                return new SqlFailure(
                        ErrorClass.SYSTEMIC,
                        type.isEmpty() ? "(untyped)" : type,
                        "see DuckDB's message; fix the file or the configuration, then restart the task",
                        e);
        }
    }

    @Override
    public String tableCommentQuery() {
        return "SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?";
    }

    @Override
    public String commentedTablesQuery() {
        return "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = ? AND comment LIKE ?";
    }
}
