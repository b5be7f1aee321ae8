/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SQLSTATE classes (PostgreSQL) map to the documented error classes; the errors a real DuckDB raises are
 * {@code it.inprocess.DuckDbErrorClassificationIT}.
 */
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
}
