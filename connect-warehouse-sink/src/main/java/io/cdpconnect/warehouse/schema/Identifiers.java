/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

import java.util.Locale;
import org.apache.kafka.connect.errors.DataException;

/** Validation and sanitising of SQL identifiers. Quoting is the dialect's job; this decides what is legal. */
public final class Identifiers {

    /** PostgreSQL truncates identifiers beyond 63 bytes; longer names would silently collide, so they are refused. */
    public static final int MAX_LENGTH = 63;

    private Identifiers() {}

    /** A table name from routing: lower-cased, anything but [a-z0-9_] replaced by _, length checked. */
    public static String tableName(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new DataException("empty table name");
        }
        String lower = raw.trim().toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return checkLength(out.toString(), "table");
    }

    /** A column name taken from a field: kept as written (quoted later), refused when it cannot be an identifier. */
    public static String columnName(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new DataException("empty column name");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == 0 || Character.isISOControl(c)) {
                throw new DataException("column name contains a control character: " + printable(raw));
            }
        }
        return checkLength(raw, "column");
    }

    private static String checkLength(String name, String what) {
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new DataException(what + " name longer than " + MAX_LENGTH + " bytes: " + printable(name));
        }
        return name;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /** Double-quotes an identifier, doubling embedded quotes: the same rule in PostgreSQL and DuckDB. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
