/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests.
 *
 * <p>Default: an embedded PostgreSQL 17 (zonky binaries from Maven Central) started once per JVM, so the test
 * command works on a fresh machine with nothing installed. Set {@code PG_URL} (a JDBC URL of a database the
 * user may create databases from), {@code PG_USER} and {@code PG_PASSWORD} to use any other server instead.
 * Every test class gets a database of its own from {@link #createDatabase(String)}.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres instance;

    private final String adminUrl;
    private final String user;
    private final String password;

    private TestPostgres(String adminUrl, String user, String password) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
    }

    public static synchronized TestPostgres get() {
        if (instance == null) {
            String url = System.getenv("PG_URL");
            if (url != null && !url.isBlank()) {
                instance = new TestPostgres(url, envOr("PG_USER", "postgres"), envOr("PG_PASSWORD", "postgres"));
            } else {
                instance = startEmbedded();
            }
        }
        return instance;
    }

    private static TestPostgres startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the data directory is temporary
                }
            }));
            return new TestPostgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        } catch (IOException e) {
            throw new IllegalStateException("could not start embedded PostgreSQL; set PG_URL to use a server", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Creates a new empty database and returns its JDBC URL. */
    public String createDatabase(String prefix) {
        String name = (prefix.replaceAll("[^a-zA-Z0-9_]", "_") + "_"
                        + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet())
                .toLowerCase();
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\"");
            s.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + " on " + adminUrl, e);
        }
        return replaceDatabase(adminUrl, name);
    }

    /**
     * A fresh database (as {@link #createDatabase(String)}) with {@code statements} run in it, e.g. the tables of
     * {@link DefinitionTables} or a pipeline's SQL file.
     */
    public String createDatabase(String prefix, String... statements) {
        String url = createDatabase(prefix);
        try (Connection c = connect(url);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not set up test database " + url, e);
        }
        return url;
    }

    public Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    static String replaceDatabase(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + params;
    }
}
