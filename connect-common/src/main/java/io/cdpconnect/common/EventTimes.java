/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The one parser of event times (record fields, {@code startup.timestamp}, template helpers). It accepts:
 * <ul>
 *   <li>an {@link Instant}, {@link java.util.Date} (also Connect's Timestamp), {@link OffsetDateTime} or
 *       {@link ZonedDateTime};</li>
 *   <li>a number, or text that is one ({@code 1764547200000}, {@code -5}, {@code 1764547200.5}), as a count of the
 *       caller's epoch unit, exactly (no double in between); the unit is never guessed from the magnitude;</li>
 *   <li>ISO-8601 text: an instant or offset date-time ({@code 2026-12-01T10:00:00Z}, {@code ...+01:00}), a zoned
 *       date-time ({@code ...+01:00[Europe/Paris]}), a local date-time taken as UTC ({@code 2026-12-01T10:00:00}),
 *       a date at midnight UTC ({@code 2026-12-01}); a space may stand for the {@code T}.</li>
 * </ul>
 * Anything else is an {@link IllegalArgumentException} whose message says what was expected; callers turn it into
 * their error class (a record error, a config error).
 */
public final class EventTimes {

    private EventTimes() {}

    /**
     * @param epochUnit the unit of a number: {@link ChronoUnit#SECONDS}, {@link ChronoUnit#MILLIS},
     *                  {@link ChronoUnit#MICROS} or {@link ChronoUnit#NANOS}
     * @return the instant, or null for null (blank text is an error: a missing time is null, not "")
     */
    public static Instant parse(Object value, ChronoUnit epochUnit) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof ZonedDateTime time) {
            return time.toInstant();
        }
        if (value instanceof BigDecimal number) {
            return fromEpoch(number, epochUnit);
        }
        if (value instanceof Number number) {
            return fromEpoch(new BigDecimal(number.toString()), epochUnit);
        }
        if (value instanceof CharSequence chars) {
            String text = chars.toString().trim();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty text is not a time"); // never a silent null
            }
            return isNumeric(text) ? fromEpoch(new BigDecimal(text), epochUnit) : parseIso(text);
        }
        throw new IllegalArgumentException("expected an ISO-8601 time or an epoch number, got "
                + value.getClass().getSimpleName());
    }

    /** Text of an optional '-', digits and at most one '.', with at least one digit. */
    public static boolean isNumeric(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        boolean digits = false;
        boolean point = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return false;
            }
        }
        return digits;
    }

    private static Instant fromEpoch(BigDecimal value, ChronoUnit unit) {
        BigDecimal nanos = switch (unit) {
            case SECONDS -> value.movePointRight(9);
            case MILLIS -> value.movePointRight(6);
            case MICROS -> value.movePointRight(3);
            case NANOS -> value;
            default -> throw new IllegalArgumentException("not an epoch unit: " + unit);
        };
        BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        try {
            return Instant.ofEpochSecond(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
        } catch (ArithmeticException | java.time.DateTimeException e) {
            throw new IllegalArgumentException(value.toPlainString() + " "
                    + unit.toString().toLowerCase(java.util.Locale.ROOT) + " is out of the range of an instant");
        }
    }

    private static Instant parseIso(String text) {
        String iso =
                text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return ZonedDateTime.parse(iso, DateTimeFormatter.ISO_ZONED_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException notZoned) {
                try {
                    return LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                            .toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notLocal) {
                    try {
                        return LocalDate.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE)
                                .atStartOfDay()
                                .toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException notDate) {
                        throw new IllegalArgumentException(
                                "'" + abbreviate(text) + "' is not an ISO-8601 time or an epoch number");
                    }
                }
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
