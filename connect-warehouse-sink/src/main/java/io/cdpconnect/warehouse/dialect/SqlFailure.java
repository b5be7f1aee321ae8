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

    static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
