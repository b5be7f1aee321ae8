/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Small JDBC helpers for assertions in integration tests (no plugin classes: ITs see the plugin only via REST). */
public final class Sql {

    private final Supplier<Connection> connections;

    public Sql(Supplier<Connection> connections) {
        this.connections = connections;
    }

    public static Sql of(String url, String user, String password) {
        return new Sql(() -> {
            try {
                return DriverManager.getConnection(url, user, password);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A DuckDB file (opened per query: the file has one owner per process while a task holds it). */
    public static Sql duckDb(String url) {
        return new Sql(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public List<Map<String, Object>> rows(String query) {
        try (Connection c = connections.get();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    public long count(String query) {
        return ((Number) rows(query).get(0).values().iterator().next()).longValue();
    }

    /** count(*) of a table, or -1 while it does not exist yet. */
    public long countOrMissing(String table) {
        try {
            return count("SELECT count(*) FROM " + table);
        } catch (IllegalStateException missing) {
            return -1;
        }
    }

    public void execute(String sql) {
        try (Connection c = connections.get();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** column name to data_type from information_schema. */
    public Map<String, String> columns(String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> row : rows("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
            out.put((String) row.get("column_name"), (String) row.get("data_type"));
        }
        return out;
    }
}
