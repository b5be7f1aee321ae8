/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import io.cdpconnect.warehouse.schema.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Multi-row {@code INSERT ... VALUES (...),(...)} statements with bound parameters: one round trip per chunk
 * instead of per row. Used on DuckDB and when write.method=jdbc.
 */
public final class JdbcBulkWriter implements BulkWriter {

    /** PostgreSQL's protocol allows 32767 bind parameters per statement; stay below for every dialect. */
    private static final int MAX_PARAMETERS = 30_000;

    private static final int MAX_ROWS = 1_000;

    private final Dialect dialect;

    public JdbcBulkWriter(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public void write(
            Connection connection, TableId table, List<String> columns, List<Object[]> rows, List<String> upsertKey)
            throws SQLException {
        int perStatement = Math.max(1, Math.min(MAX_ROWS, MAX_PARAMETERS / Math.max(1, columns.size())));
        int full = rows.size() / perStatement;
        if (full > 0) {
            try (PreparedStatement statement =
                    connection.prepareStatement(dialect.insert(table, columns, perStatement, upsertKey))) {
                for (int chunk = 0; chunk < full; chunk++) {
                    bindRows(statement, rows, chunk * perStatement, perStatement);
                    statement.executeUpdate();
                }
            }
        }
        int rest = rows.size() - full * perStatement;
        if (rest > 0) {
            try (PreparedStatement statement =
                    connection.prepareStatement(dialect.insert(table, columns, rest, upsertKey))) {
                bindRows(statement, rows, full * perStatement, rest);
                statement.executeUpdate();
            }
        }
    }

    private void bindRows(PreparedStatement statement, List<Object[]> rows, int from, int count) throws SQLException {
        int index = 1;
        for (int r = from; r < from + count; r++) {
            for (Object value : rows.get(r)) {
                dialect.bind(statement, index++, value);
            }
        }
    }
}
