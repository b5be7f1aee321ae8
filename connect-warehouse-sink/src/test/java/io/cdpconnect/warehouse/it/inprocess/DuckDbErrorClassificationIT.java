/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.warehouse.dialect.DuckDbDialect;
import io.cdpconnect.warehouse.dialect.ErrorClass;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

/** Error types raised by a real (in-memory) DuckDB map to the documented error classes. */
class DuckDbErrorClassificationIT {

    @Test
    void duckDbErrorsRaisedByTheEngine() throws SQLException {
        DuckDbDialect duck = new DuckDbDialect();
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id VARCHAR PRIMARY KEY, n BIGINT NOT NULL, chk INTEGER CHECK (chk > 0))");
            s.execute("CREATE TABLE nokey (id VARCHAR, n BIGINT)");
            s.execute("INSERT INTO t VALUES ('a', 1, 1)");
            assertClass(duck, c, "INSERT INTO t VALUES ('a', 1, 1)", ErrorClass.RECORD);
            assertClass(duck, c, "INSERT INTO t VALUES ('b', NULL, 1)", ErrorClass.RECORD);
            assertClass(duck, c, "INSERT INTO t VALUES ('c', 'x', 1)", ErrorClass.RECORD);
            assertClass(duck, c, "INSERT INTO t VALUES ('d', 1, -1)", ErrorClass.RECORD);
            assertClass(duck, c, "INSERT INTO t VALUES ('f', 99999999999999999999999, 1)", ErrorClass.RECORD);
            assertClass(duck, c, "INSERT INTO missing VALUES (1)", ErrorClass.SCHEMA_DRIFT);
            assertClass(duck, c, "INSERT INTO t (zzz) VALUES (1)", ErrorClass.SCHEMA_DRIFT);
            assertClass(
                    duck,
                    c,
                    "INSERT INTO nokey VALUES ('a', 1) ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n",
                    ErrorClass.SYSTEMIC);
        }
    }

    private static void assertClass(DuckDbDialect duck, Connection c, String sql, ErrorClass expected) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            throw new AssertionError("expected an error from " + sql);
        } catch (SQLException e) {
            assertThat(duck.classify(e, c).errorClass())
                    .as(sql + " -> " + e.getMessage())
                    .isEqualTo(expected);
        }
    }
}
