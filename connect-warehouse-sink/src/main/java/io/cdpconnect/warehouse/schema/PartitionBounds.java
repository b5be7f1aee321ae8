/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a range partition's bounds from PostgreSQL's {@code pg_get_expr(relpartbound, oid)}, e.g.
 * {@code FOR VALUES FROM ('2026-11-01 01:00:00+01') TO ('2026-12-01 01:00:00+01')}: timestamptz text in the session's
 * time zone (ISO DateStyle, which pgjdbc sets), turned into UTC.
 */
final class PartitionBounds {

    private static final Pattern RANGE = Pattern.compile("^FOR VALUES FROM \\('([^']+)'\\) TO \\('([^']+)'\\)$");

    private PartitionBounds() {}

    /** {from, to} in UTC, or null for DEFAULT, MINVALUE/MAXVALUE, multi-column or non-timestamp bounds. */
    static LocalDateTime[] parse(String expression) {
        if (expression == null) {
            return null;
        }
        Matcher m = RANGE.matcher(expression.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            return new LocalDateTime[] {utc(m.group(1)), utc(m.group(2))};
        } catch (DateTimeParseException notATimestamp) {
            return null;
        }
    }

    static LocalDateTime utc(String timestamptz) {
        String iso = timestamptz.trim().replace(' ', 'T');
        int t = iso.indexOf('T');
        int sign = Math.max(iso.lastIndexOf('+'), iso.lastIndexOf('-'));
        if (t < 0 || sign < t) {
            throw new DateTimeParseException("no offset", timestamptz, 0);
        }
        String offset = iso.substring(sign);
        if (offset.length() == 3) {
            iso = iso + ":00"; // +01 -> +01:00
        }
        return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
}
