package io.cdpconnect.template;

import com.hubspot.jinjava.objects.date.PyishDate;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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

    private TimeValues() {
    }

    /** The epoch unit when a template names none: milliseconds, as Connect timestamps and JavaScript's Date. */
    static final String DEFAULT_UNIT = "ms";

    /**
     * @param unit {@code s}, {@code ms} (default when null), {@code us} or {@code ns}; only used for numbers. The
     *             unit is never guessed from the magnitude: 99,999,999,999 ms is 1973, not the year 5138.
     * @return the instant, or null for null
     */
    static Instant toInstant(Object value, String unit) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof PyishDate date) {
            return date.toDateTime().toInstant();
        }
        if (value instanceof ZonedDateTime date) {
            return date.toInstant();
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant();
        }
        if (value instanceof Number number) {
            return fromEpoch(new BigDecimal(ValueText.number(number)), unit);
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        if (isNumeric(text)) {
            return fromEpoch(new BigDecimal(text), unit);
        }
        return parseIso(text);
    }

    private static boolean isNumeric(String text) {
        int start = text.charAt(0) == '-' ? 1 : 0;
        boolean digits = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c != '.') {
                return false;
            }
        }
        return digits;
    }

    private static Instant fromEpoch(BigDecimal value, String unit) {
        String u = unit == null ? DEFAULT_UNIT : unit.trim().toLowerCase(Locale.ROOT);
        BigDecimal nanos = switch (u) {
            case "s" -> value.movePointRight(9);
            case "ms" -> value.movePointRight(6);
            case "us" -> value.movePointRight(3);
            case "ns" -> value;
            default -> throw new TemplateHelperException("unknown epoch unit '" + unit + "': name it, one of s, ms, us, ns "
                    + "(default ms; units are never guessed from the number)");
        };
        BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        return Instant.ofEpochSecond(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
    }

    private static Instant parseIso(String text) {
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        try {
            return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return ZonedDateTime.parse(iso, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant();
            } catch (DateTimeParseException notZoned) {
                try {
                    return LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notLocal) {
                    try {
                        return LocalDate.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay()
                                .toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException notDate) {
                        throw new TemplateHelperException("'" + abbreviate(text)
                                + "' is not an ISO-8601 time or an epoch number");
                    }
                }
            }
        }
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

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
