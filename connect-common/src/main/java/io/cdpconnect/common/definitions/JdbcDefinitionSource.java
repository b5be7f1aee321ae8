/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.types.Password;

/**
 * Definitions kept in a database table, read with a configurable query whose columns are, by position:
 * event type, name (a version number for schemas), body text and, optionally, an updated-at timestamp. Defaults
 * match the {@code event_schemas} / {@code event_templates} tables of the design notes.
 *
 * <p>One connection is kept and reused across loads (checked with {@code isValid} first, reopened after any
 * failure), so the database sees one session per source, not one per refresh. When the query returns an
 * updated-at column, a load first asks only {@code count(*)} and {@code max(updated_at)} of the query's rows; when
 * both are unchanged the rows are not read again. Rows must bump {@code updated_at} when they change (the default
 * tables do, with the upserts of the docs); as a safety net every {@value #FULL_READ_EVERY}th load reads all rows
 * anyway.
 *
 * <p>The JDBC driver is looked up through the plugin's own class loader first: under Connect's plugin isolation
 * {@link DriverManager} does not always see drivers shipped in a plugin's {@code lib/} folder.
 */
public final class JdbcDefinitionSource implements DefinitionSource {

    /** The session's application name (PostgreSQL {@code pg_stat_activity.application_name}). */
    public static final String APPLICATION_NAME = "cdp-connect-definitions";

    static final int FULL_READ_EVERY = 10;
    private static final int QUERY_TIMEOUT_SECONDS = 30;
    private static final int VALID_TIMEOUT_SECONDS = 5;

    private final String url;
    private final String user;
    private final Password password;
    private final String query;
    private Connection connection;
    /** Result of the last full read and its change marker (row count and max updated_at), or null. */
    private List<Definition> last;

    private String lastMarker;
    private String updatedColumn;
    private int loadsSinceFullRead;
    private long fullReads;

    public JdbcDefinitionSource(String url, String user, Password password, String query) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.query = query;
    }

    @Override
    public synchronized List<Definition> load() throws SQLException {
        try {
            Connection c = connection();
            if (last != null && updatedColumn != null && ++loadsSinceFullRead < FULL_READ_EVERY) {
                String marker = marker(c);
                if (marker.equals(lastMarker)) {
                    return last;
                }
            }
            String markerBefore = updatedColumn == null ? null : marker(c);
            List<Definition> rows = readAll(c);
            last = rows;
            // the marker read before the rows: a change between the two shows on the next load
            lastMarker = markerBefore != null ? markerBefore : updatedColumn == null ? null : marker(c);
            loadsSinceFullRead = 0;
            fullReads++;
            return rows;
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            throw e;
        }
    }

    /** How many loads read every row (for tests and metrics). */
    public synchronized long fullReads() {
        return fullReads;
    }

    private List<Definition> readAll(Connection c) throws SQLException {
        List<Definition> out = new ArrayList<>();
        try (Statement statement = c.createStatement()) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet rows = statement.executeQuery(query)) {
                int columns = rows.getMetaData().getColumnCount();
                if (columns < 3) {
                    throw new SQLException("definitions query must return event type, name and body (and optionally"
                            + " updated_at); it returns " + columns + " column(s)");
                }
                updatedColumn = columns >= 4 ? rows.getMetaData().getColumnLabel(4) : null;
                while (rows.next()) {
                    String eventType = rows.getString(1);
                    String name = rows.getString(2);
                    String body = rows.getString(3);
                    if (eventType == null || body == null) {
                        continue; // a half-written row is not a definition
                    }
                    Timestamp updated = columns >= 4 ? rows.getTimestamp(4) : null;
                    out.add(new Definition(
                            eventType, name == null ? "" : name, body, updated == null ? null : updated.toInstant()));
                }
            }
        }
        return out;
    }

    /** Row count and latest updated_at of the query's rows: what changes when a row is added, changed or removed. */
    private String marker(Connection c) throws SQLException {
        String column = "\"" + updatedColumn.replace("\"", "\"\"") + "\"";
        try (Statement statement = c.createStatement()) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet rows = statement.executeQuery(
                    "SELECT count(*), max(" + column + ") FROM (" + query + ") AS cdp_definitions")) {
                rows.next();
                Timestamp max = rows.getTimestamp(2);
                return rows.getLong(1) + "|"
                        + (max == null ? "" : max.toInstant().toString());
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection != null) {
            try {
                if (connection.isValid(VALID_TIMEOUT_SECONDS)) {
                    return connection;
                }
            } catch (SQLException ignored) {
                // reconnect below
            }
            closeConnection();
        }
        connection = connect();
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // read-only use; the driver's default is fine
        }
        return connection;
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // it is gone either way
            }
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", APPLICATION_NAME);
        if (user != null && !user.isEmpty()) {
            props.setProperty("user", user);
        }
        if (password != null && password.value() != null) {
            props.setProperty("password", password.value());
        }
        Driver driver = findDriver(JdbcDefinitionSource.class.getClassLoader());
        if (driver == null) {
            driver = findDriver(Thread.currentThread().getContextClassLoader());
        }
        if (driver != null) {
            Connection connection = driver.connect(url, props);
            if (connection != null) {
                return connection;
            }
        }
        return DriverManager.getConnection(url, props);
    }

    private Driver findDriver(ClassLoader loader) {
        if (loader == null) {
            return null;
        }
        for (Driver driver : ServiceLoader.load(Driver.class, loader)) {
            try {
                if (driver.acceptsURL(url)) {
                    return driver;
                }
            } catch (SQLException ignored) {
                // a driver that cannot judge the URL is not ours
            }
        }
        return null;
    }

    @Override
    public String describe() {
        int params = url.indexOf('?');
        return "jdbc " + (params < 0 ? url : url.substring(0, params)); // parameters may carry credentials
    }
}
