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
 *   <li>a number as a count of the caller's epoch unit, exactly (no double in between); the unit is never guessed
 *       from the magnitude;</li>
 *   <li>text that is a number ({@code 1764547200000}, {@code -5}, {@code 1764547200.5}), the same way, only where
 *       the caller allows it ({@link NumericText#EPOCH}): text of digits is ambiguous (seconds or milliseconds?), so
 *       a caller whose users never agreed on a unit for text rejects it ({@link NumericText#REJECT}) rather than
 *       store a 1970 date;</li>
 *   <li>ISO-8601 text: an instant or offset date-time ({@code 2026-12-01T10:00:00Z}, {@code ...+01:00}), a zoned
 *       date-time ({@code ...+01:00[Europe/Paris]}), a local date-time taken as UTC ({@code 2026-12-01T10:00:00}),
 *       a date at midnight UTC ({@code 2026-12-01}); a space may stand for the {@code T}.</li>
 * </ul>
 * Anything else is an {@link IllegalArgumentException} whose message says what was expected; callers turn it into
 * their error class (a record error, a config error).
 */
public final class EventTimes {

    private EventTimes() {}

    /** What text holding only a number means. */
    public enum NumericText {
        /** A count of the caller's epoch unit, as a number would be. */
        EPOCH,
        /** Not a time: an error that says so. */
        REJECT
    }

    /** {@link #parse(Object, ChronoUnit, NumericText)} with numeric text read as a count of {@code epochUnit}. */
    public static Instant parse(Object value, ChronoUnit epochUnit) {
        return parse(value, epochUnit, NumericText.EPOCH);
    }

    /**
     * @param epochUnit the unit of a number: {@link ChronoUnit#SECONDS}, {@link ChronoUnit#MILLIS},
     *                  {@link ChronoUnit#MICROS} or {@link ChronoUnit#NANOS}
     * @param numericText what text that is a number means
     * @return the instant, or null for null (blank text is an error: a missing time is null, not "")
     */
    public static Instant parse(Object value, ChronoUnit epochUnit, NumericText numericText) {
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
            if (!isNumeric(text)) {
                return parseIso(text);
            }
            if (numericText == NumericText.REJECT) {
                throw new IllegalArgumentException("'" + abbreviate(text)
                        + "' is text of a number, which could be seconds or milliseconds: send ISO-8601 text, or"
                        + " the epoch " + unitName(epochUnit) + " as a number");
            }
            return fromEpoch(new BigDecimal(text), epochUnit);
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
            throw new IllegalArgumentException(
                    value.toPlainString() + " " + unitName(unit) + " is out of the range of an instant");
        }
    }

    private static String unitName(ChronoUnit unit) {
        return switch (unit) {
            case SECONDS -> "seconds";
            case MILLIS -> "milliseconds";
            case MICROS -> "microseconds";
            case NANOS -> "nanoseconds";
            default -> unit.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static Instant parseIso(String text) {
        Instant common = parseCommonShape(text);
        if (common != null) {
            return common;
        }
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

    /**
     * The shape nearly every producer sends, {@code yyyy-MM-ddTHH:mm[:ss[.f…]]} then {@code Z} or {@code ±HH:MM}, read
     * without a {@link DateTimeFormatter} (a tenth of its cost, which showed in the sinks' profiles). It returns the
     * same instant the ISO formatter would, or null for anything else (another shape, a field out of range) so that
     * the formatter decides and words the error.
     */
    static Instant parseCommonShape(String s) {
        int n = s.length();
        if (n < 17 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':') {
            return null;
        }
        char t = s.charAt(10);
        if (t != 'T' && t != ' ') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = 0;
        int nanos = 0;
        int i = 16;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2);
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                int start = ++i;
                while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    nanos = nanos * 10 + (s.charAt(i++) - '0');
                }
                if (i == start) {
                    return null;
                }
                for (int k = i - start; k < 9; k++) {
                    nanos *= 10;
                }
            }
        }
        if ((year | month | day | hour | minute | second) < 0 || i >= n) {
            return null;
        }
        int offsetSeconds;
        if (s.charAt(i) == 'Z' && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((s.charAt(i) == '+' || s.charAt(i) == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
                return null;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        if (day > java.time.Month.of(month).length(java.time.Year.isLeap(year))) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /** The non-negative number in {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
