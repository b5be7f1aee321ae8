/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.objects.date.PyishDate;
import io.cdpconnect.common.EventTimes;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reading times the way events carry them (ISO-8601 text with or without offset, dates, epoch seconds,
 * milliseconds, microseconds or nanoseconds as numbers or numeric text) and writing them as ISO-8601 UTC,
 * epoch milliseconds or any pattern.
 */
final class TimeValues {

    private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();

    private TimeValues() {}

    /** The epoch unit when a template names none: milliseconds, as Connect timestamps and JavaScript's Date. */
    static final String DEFAULT_UNIT = "ms";

    /**
     * @param unit {@code s}, {@code ms} (default when null), {@code us} or {@code ns}; only used for numbers. The
     *             unit is never guessed from the magnitude: 99,999,999,999 ms is 1973, not the year 5138.
     * @return the instant, or null for null
     */
    static Instant toInstant(Object value, String unit) {
        if (value instanceof PyishDate date) {
            return date.toDateTime().toInstant();
        }
        boolean number = value instanceof Number;
        if (value != null
                && !number
                && !(value instanceof Instant || value instanceof ZonedDateTime || value instanceof java.util.Date)) {
            String text = value.toString().trim();
            if (text.isEmpty()) {
                return null;
            }
            number = EventTimes.isNumeric(text);
            value = text;
        }
        try {
            // the unit matters (and is checked) only for a number
            return EventTimes.parse(value, number ? epochUnit(unit) : ChronoUnit.MILLIS);
        } catch (IllegalArgumentException e) {
            throw new TemplateHelperException(e.getMessage());
        }
    }

    private static ChronoUnit epochUnit(String unit) {
        String u = unit == null ? DEFAULT_UNIT : unit.trim().toLowerCase(Locale.ROOT);
        return switch (u) {
            case "s" -> ChronoUnit.SECONDS;
            case "ms" -> ChronoUnit.MILLIS;
            case "us" -> ChronoUnit.MICROS;
            case "ns" -> ChronoUnit.NANOS;
            default ->
                throw new TemplateHelperException("unknown epoch unit '" + unit + "': name it, one of s, ms, us, ns "
                        + "(default ms; units are never guessed from the number)");
        };
    }

    static String iso(Instant instant) {
        return instant == null ? null : IsoInstant.format(instant);
    }

    static Long epochMillis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    static String format(Instant instant, String pattern, String zone) {
        if (instant == null) {
            return null;
        }
        DateTimeFormatter formatter = FORMATTERS.size() < 256
                ? FORMATTERS.computeIfAbsent(pattern, p -> DateTimeFormatter.ofPattern(p, Locale.ROOT))
                : DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        return formatter.format(instant.atZone(zone == null || zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone)));
    }
}
