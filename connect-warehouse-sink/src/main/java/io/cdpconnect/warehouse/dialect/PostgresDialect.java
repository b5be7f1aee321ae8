package io.cdpconnect.warehouse.dialect;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.schema.ColumnType;
import io.cdpconnect.warehouse.schema.TableId;
import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** PostgreSQL: JSONB, declarative range partitions, COPY for bulk loads, savepoints for record isolation. */
public final class PostgresDialect extends Dialect {

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public Connection connect(WarehouseSinkConfig config) throws SQLException {
        Properties props = new Properties();
        if (!config.user().isEmpty()) {
            props.setProperty("user", config.user());
        }
        String password = config.password().value();
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("sslmode", config.getString(WarehouseSinkConfig.TLS_MODE));
        setIfPresent(props, "sslrootcert", config.getString(WarehouseSinkConfig.TLS_ROOT_CERT));
        setIfPresent(props, "sslcert", config.getString(WarehouseSinkConfig.TLS_CERT));
        setIfPresent(props, "sslkey", config.getString(WarehouseSinkConfig.TLS_KEY));
        setIfPresent(props, "sslpassword", config.getPassword(WarehouseSinkConfig.TLS_KEY_PASSWORD).value());
        // Strings are sent untyped so the server casts them to the column's type (timestamptz, jsonb, numeric).
        props.setProperty("stringtype", "unspecified");
        props.setProperty("ApplicationName", "cdp-connect-warehouse-sink");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "10");
        // A dead server or a cut network must end in an error we can retry, never a hung task.
        props.setProperty("socketTimeout", "120");
        // Instantiated directly: DriverManager does not see drivers that live in a plugin's class loader.
        Connection connection = new Driver().connect(config.url(), props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + config.url());
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
            case BOOLEAN: return "boolean";
            case INT16: return "smallint";
            case INT32: return "integer";
            case INT64: return "bigint";
            case FLOAT32: return "real";
            case FLOAT64: return "double precision";
            case DECIMAL: return "numeric";
            case STRING: return "text";
            case BYTES: return "bytea";
            case DATE: return "date";
            case TIME: return "time";
            case TIMESTAMP: return "timestamptz";
            case JSON: return "jsonb";
            default: throw new IllegalArgumentException(type.name());
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
    public BulkWriter bulkWriter(WarehouseSinkConfig config) {
        return config.writeMethod() == WarehouseSinkConfig.WriteMethod.JDBC
                ? new JdbcBulkWriter(this) : new PgCopyWriter(this);
    }

    /** Range-partitioned on {@code partitionColumn}; the key must then include that column (PostgreSQL rule). */
    @Override
    public String createTable(TableId table, Map<String, ColumnType> columns, List<String> key,
                              String partitionColumn) {
        String sql = super.createTable(table, columns, key, partitionColumn);
        return partitionColumn == null ? sql
                : sql + " PARTITION BY RANGE (" + io.cdpconnect.warehouse.schema.Identifiers.quote(partitionColumn) + ")";
    }

    @Override
    public String createPartition(TableId parent, TableId partition, LocalDateTime fromUtc, LocalDateTime toUtc) {
        return "CREATE TABLE IF NOT EXISTS " + partition.sql() + " PARTITION OF " + parent.sql()
                + " FOR VALUES FROM (" + timestampLiteral(fromUtc) + ") TO (" + timestampLiteral(toUtc) + ")";
    }

    /** Whether an existing table is partitioned (bound parameter: the qualified, quoted name). */
    public String isPartitionedQuery() {
        return "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = to_regclass(?)";
    }
}
