/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SQLSTATE classes (PostgreSQL) and error types raised by a real DuckDB map to the documented error classes. */
class ErrorClassificationTest {

    @ParameterizedTest
    @CsvSource({
        "22003, RECORD",
        "22P02, RECORD",
        "23502, RECORD",
        "23514, RECORD",
        "23505, RECORD",
        "23503, RECORD",
        "42804, RECORD",
        "54000, RECORD",
        "42P01, SCHEMA_DRIFT",
        "42703, SCHEMA_DRIFT",
        "3F000, SCHEMA_DRIFT",
        "08006, TRANSIENT",
        "40001, TRANSIENT",
        "40P01, TRANSIENT",
        "57P01, TRANSIENT",
        "57P03, TRANSIENT",
        "25006, TRANSIENT",
        "55P03, TRANSIENT",
        "53200, TRANSIENT",
        "42501, SYSTEMIC",
        "42P10, SYSTEMIC",
        "53100, SYSTEMIC",
        "53300, SYSTEMIC",
        "28P01, SYSTEMIC",
        "3D000, SYSTEMIC",
        "42601, SYSTEMIC",
        "XX000, SYSTEMIC"
    })
    void postgresBySqlState(String state, ErrorClass expected) {
        SqlFailure failure = new PostgresDialect().classify(new SQLException("boom", state), null);
        assertThat(failure.errorClass()).isEqualTo(expected);
        assertThat(failure.reason()).isEqualTo("SQLSTATE " + state);
        if (expected == ErrorClass.SYSTEMIC) {
            assertThat(failure.fix()).isNotBlank();
        }
    }

    @Test
    void theStateOfAWrappedCauseCounts() {
        SQLException outer = new SQLException("batch failed", (String) null);
        outer.initCause(new SQLException("permission denied for table t", "42501"));
        assertThat(new PostgresDialect().classify(outer, null).errorClass()).isEqualTo(ErrorClass.SYSTEMIC);
    }

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
