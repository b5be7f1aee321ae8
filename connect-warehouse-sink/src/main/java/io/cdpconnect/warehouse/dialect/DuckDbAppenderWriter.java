/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import io.cdpconnect.warehouse.schema.TableId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB's Appender for plain inserts: rows go straight into the table's storage instead of through SQL. The
 * Appender fills every column of the table in order and accepts only the exact Java type of each column, so
 * values are converted by the table's declared types; a table with a column type it does not cover, and every
 * upsert, goes through {@link JdbcBulkWriter}. A value that does not convert fails the batch, which the caller
 * then replays row by row through JDBC (with DuckDB's casts) to isolate it.
 *
 * <p>The Appender joins the connection's transaction only once one is open, so a statement runs first: rows
 * and offsets still commit or roll back together.
 */
public final class DuckDbAppenderWriter implements BulkWriter {

    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

    private final Dialect dialect;
    private final JdbcBulkWriter jdbc;

    public DuckDbAppenderWriter(Dialect dialect) {
        this.dialect = dialect;
        this.jdbc = new JdbcBulkWriter(dialect);
    }

    @Override
    public void write(
            Connection connection, TableId table, List<String> columns, List<Object[]> rows, List<String> upsertKey)
            throws SQLException {
        if (!upsertKey.isEmpty()) {
            jdbc.write(connection, table, columns, rows, upsertKey);
            return;
        }
        // Reading the table's columns is also the statement that opens the transaction the Appender joins.
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(dialect.columnsQuery())) {
            s.setString(1, table.schema());
            s.setString(2, table.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    types.add(rs.getString(2).toUpperCase(Locale.ROOT));
                }
            }
        }
        int[] source = new int[names.size()];
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            position.put(columns.get(i), i);
        }
        for (int i = 0; i < names.size(); i++) {
            source[i] = position.getOrDefault(names.get(i), -1);
            if (!supported(types.get(i))) {
                jdbc.write(connection, table, columns, rows, upsertKey);
                return;
            }
        }
        int[] scales = new int[types.size()];
        for (int i = 0; i < types.size(); i++) {
            Matcher m = DECIMAL.matcher(types.get(i));
            scales[i] = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        }
        try (DuckDBAppender appender =
                connection.unwrap(DuckDBConnection.class).createAppender(table.schema(), table.name())) {
            for (Object[] row : rows) {
                appender.beginRow();
                for (int c = 0; c < source.length; c++) {
                    append(appender, types.get(c), scales[c], source[c] < 0 ? null : row[source[c]]);
                }
                appender.endRow();
            }
        }
        verifyTransaction(connection, table, rows.size());
    }

    /**
     * DuckDB (1.4) does not raise a constraint violation of appended rows (a duplicate key): closing the Appender
     * silently aborts the transaction, and the commit that follows "succeeds" having written nothing. Any
     * statement tells: it fails on an aborted transaction. That becomes a record error, so the caller isolates
     * the offending row through JDBC, which does report the violation, instead of losing the whole batch.
     */
    private static void verifyTransaction(Connection connection, TableId table, int rows) throws SQLException {
        try (Statement check = connection.createStatement()) {
            check.executeQuery("SELECT 1").close();
        } catch (SQLException aborted) {
            SQLException e = new SQLException(
                    "DuckDB's Appender rejected " + rows + " rows for " + table
                            + " without saying why (a constraint violation such as a duplicate key aborts its transaction)",
                    "23000");
            e.initCause(aborted);
            throw e;
        }
    }

    private static boolean supported(String type) {
        switch (type) {
            case "BOOLEAN":
            case "SMALLINT":
            case "INTEGER":
            case "BIGINT":
            case "FLOAT":
            case "DOUBLE":
            case "VARCHAR":
            case "JSON":
            case "DATE":
            case "TIME":
            case "TIMESTAMP WITH TIME ZONE":
                return true;
            default:
                return DECIMAL.matcher(type).matches();
        }
    }

    private static void append(DuckDBAppender appender, String type, int scale, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (type) {
            case "VARCHAR":
            case "JSON":
                appender.append(value.toString());
                return;
            case "BOOLEAN":
                appender.append((boolean) require(value, Boolean.class));
                return;
            case "SMALLINT":
                appender.append(require(value, Number.class).shortValue());
                return;
            case "INTEGER":
                appender.append(require(value, Number.class).intValue());
                return;
            case "BIGINT":
                appender.append(require(value, Number.class).longValue());
                return;
            case "FLOAT":
                appender.append(require(value, Number.class).floatValue());
                return;
            case "DOUBLE":
                appender.append(require(value, Number.class).doubleValue());
                return;
            case "DATE":
                appender.append(require(value, LocalDate.class));
                return;
            case "TIME":
                appender.append(require(value, LocalTime.class));
                return;
            case "TIMESTAMP WITH TIME ZONE":
                appender.append(OffsetDateTime.ofInstant(require(value, Instant.class), ZoneOffset.UTC));
                return;
            default:
                BigDecimal decimal = value instanceof BigDecimal d
                        ? d
                        : new BigDecimal(require(value, Number.class).toString());
                appender.append(decimal.setScale(scale, RoundingMode.HALF_EVEN));
        }
    }

    private static <T> T require(Object value, Class<T> type) throws SQLException {
        if (!type.isInstance(value)) {
            throw new SQLException(
                    "cannot append " + value.getClass().getSimpleName() + " to a column of " + type.getSimpleName(),
                    "22000");
        }
        return type.cast(value);
    }
}
