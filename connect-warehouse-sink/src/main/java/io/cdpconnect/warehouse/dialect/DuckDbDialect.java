package io.cdpconnect.warehouse.dialect;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.schema.ColumnType;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;

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

    @Override
    public String name() {
        return "DuckDB";
    }

    @Override
    public Connection connect(WarehouseSinkConfig config) throws SQLException {
        String url = config.url();
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
            case BOOLEAN: return "BOOLEAN";
            case INT16: return "SMALLINT";
            case INT32: return "INTEGER";
            case INT64: return "BIGINT";
            case FLOAT32: return "FLOAT";
            case FLOAT64: return "DOUBLE";
            // DuckDB decimals need a precision (max 38); 9 fractional digits covers money and prices.
            case DECIMAL: return "DECIMAL(38,9)";
            case STRING: return "VARCHAR";
            case BYTES: return "BLOB";
            case DATE: return "DATE";
            case TIME: return "TIME";
            case TIMESTAMP: return "TIMESTAMPTZ";
            case JSON: return "JSON";
            default: throw new IllegalArgumentException(type.name());
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
    public BulkWriter bulkWriter(WarehouseSinkConfig config) {
        return config.writeMethod() == WarehouseSinkConfig.WriteMethod.JDBC
                ? new JdbcBulkWriter(this) : new DuckDbAppenderWriter(this);
    }

    @Override
    public boolean isTransient(SQLException e, Connection connection) {
        // An embedded engine has no network to lose: only a closed connection is worth a retry.
        try {
            return connection == null || connection.isClosed();
        } catch (SQLException closed) {
            return true;
        }
    }
}
