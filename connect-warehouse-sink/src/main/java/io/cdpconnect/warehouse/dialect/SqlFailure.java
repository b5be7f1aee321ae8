/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import java.sql.SQLException;

/**
 * A classified database error: its class, a short reason that groups errors of the same kind (the SQLSTATE or the
 * DuckDB error type) and, for systemic errors, what to do about it.
 */
public record SqlFailure(ErrorClass errorClass, String reason, String fix, SQLException cause) {

    /** Message for a failed task: the cause as the database said it, then the fix. */
    public String describe(String dialect) {
        return dialect + " error " + reason + ": " + firstLine(cause.getMessage())
                + (fix == null || fix.isEmpty() ? "" : ". Fix: " + fix);
    }

    /**
     * Whether a failed {@code CREATE ... IF NOT EXISTS} / {@code ADD COLUMN IF NOT EXISTS} lost a race against
     * another session doing the same DDL: PostgreSQL's IF NOT EXISTS is not safe against a concurrent creation,
     * the loser fails on the catalog's unique index (23505), as a duplicate table (42P07), column (42701) or row
     * type (42710, seen in CI), though the object exists by then.
     */
    public static boolean isConcurrentDdl(SQLException e) {
        String state = e.getSQLState();
        return "23505".equals(state) || "42P07".equals(state) || "42701".equals(state) || "42710".equals(state);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
