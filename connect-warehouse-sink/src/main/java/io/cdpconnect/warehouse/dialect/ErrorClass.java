/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

/**
 * What a database error says about the batch, and so what the sink does with it (see the README's error classes).
 * Decided from the SQLSTATE class (PostgreSQL) or the error type (DuckDB), never from message text.
 */
public enum ErrorClass {
    /** One record's value cannot be stored (data exception, constraint violation): that record goes to the DLQ. */
    RECORD,
    /** The table or a column is not what the cache says (dropped or changed elsewhere): refresh, fix, retry once. */
    SCHEMA_DRIFT,
    /** The connection or the server's state (lost connection, deadlock, shutdown, read-only): retry with back-off. */
    TRANSIENT,
    /** The database or the configuration is wrong for every record (privilege, missing key, disk full): fail. */
    SYSTEMIC
}
