/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The union of what the four former parsers (Aerospike, warehouse, template, Mongo startup) accepted. */
class EventTimesTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void javaTimes() {
        assertThat(EventTimes.parse(T, ChronoUnit.MILLIS)).isEqualTo(T);
        assertThat(EventTimes.parse(Date.from(T), ChronoUnit.MILLIS)).isEqualTo(T);
        assertThat(EventTimes.parse(OffsetDateTime.parse("2026-12-01T11:00:00+01:00"), ChronoUnit.MILLIS))
                .isEqualTo(T);
        assertThat(EventTimes.parse(ZonedDateTime.parse("2026-12-01T11:00:00+01:00[Europe/Paris]"), ChronoUnit.MILLIS))
                .isEqualTo(T);
        assertThat(EventTimes.parse(null, ChronoUnit.MILLIS)).isNull();
    }

    @Test
    void numbersAndNumericTextInTheCallersUnitExactly() {
        long ms = T.toEpochMilli();
        assertThat(EventTimes.parse(ms, ChronoUnit.MILLIS)).isEqualTo(T);
        assertThat(EventTimes.parse((int) (ms / 1000), ChronoUnit.SECONDS)).isEqualTo(T);
        assertThat(EventTimes.parse(" " + ms + " ", ChronoUnit.MILLIS)).isEqualTo(T);
        assertThat(EventTimes.parse(String.valueOf(ms / 1000), ChronoUnit.SECONDS))
                .isEqualTo(T);
        assertThat(EventTimes.parse(ms * 1000, ChronoUnit.MICROS)).isEqualTo(T);
        assertThat(EventTimes.parse(new BigDecimal("1.5"), ChronoUnit.SECONDS)).isEqualTo(Instant.ofEpochMilli(1500));
        assertThat(EventTimes.parse("-5", ChronoUnit.MILLIS)).isEqualTo(Instant.ofEpochMilli(-5));
        assertThat(EventTimes.parse("99999999999", ChronoUnit.MILLIS).toString())
                .startsWith("1973");
    }

    @Test
    void isoText() {
        assertThat(EventTimes.parse("2026-12-01T10:00:00Z", ChronoUnit.MILLIS)).isEqualTo(T);
        assertThat(EventTimes.parse("2026-12-01T11:00:00+01:00", ChronoUnit.MILLIS))
                .isEqualTo(T);
        assertThat(EventTimes.parse("2026-12-01T11:00:00+01:00[Europe/Paris]", ChronoUnit.MILLIS))
                .isEqualTo(T);
        assertThat(EventTimes.parse("2026-12-01T10:00:00", ChronoUnit.MILLIS)).isEqualTo(T);
        assertThat(EventTimes.parse("2026-12-01 10:00:00", ChronoUnit.MILLIS)).isEqualTo(T);
        assertThat(EventTimes.parse("2026-12-01", ChronoUnit.MILLIS)).isEqualTo(T.minusSeconds(10 * 3600));
    }

    @Test
    void anythingElseSaysWhatWasExpected() {
        assertThatThrownBy(() -> EventTimes.parse("yesterday", ChronoUnit.MILLIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ISO-8601 time");
        assertThatThrownBy(() -> EventTimes.parse("  ", ChronoUnit.MILLIS)).hasMessageContaining("empty");
        assertThatThrownBy(() -> EventTimes.parse("1.2.3", ChronoUnit.MILLIS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventTimes.parse(new Object(), ChronoUnit.MILLIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Object");
        assertThatThrownBy(() -> EventTimes.parse("1e400", ChronoUnit.MILLIS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numericTextCanBeRefusedWhereItsUnitIsAmbiguous() {
        assertThatThrownBy(() -> EventTimes.parse("1764547200", ChronoUnit.MILLIS, EventTimes.NumericText.REJECT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1764547200")
                .hasMessageContaining("ISO-8601")
                .hasMessageContaining("milliseconds as a number");
        assertThat(EventTimes.parse(1_764_547_200_000L, ChronoUnit.MILLIS, EventTimes.NumericText.REJECT))
                .isEqualTo(Instant.parse("2025-12-01T00:00:00Z"));
        assertThat(EventTimes.parse("2026-12-01T10:00:00Z", ChronoUnit.MILLIS, EventTimes.NumericText.REJECT))
                .isEqualTo(T);
    }

    /**
     * The hand-written reader of the common shape answers exactly what the ISO formatter answers, or leaves the
     * text to it: over valid times of every field width and offset, and over each of them mutated one character at
     * a time (out-of-range fields, 30 February, leap days, 24:00, leap seconds, ten fraction digits, bad offsets).
     */
    @Test
    void theCommonShapeReaderAgreesWithTheIsoFormatterOrStepsAside() {
        Random random = new Random(20261202);
        List<String> corpus = new ArrayList<>(List.of(
                "2026-12-01T10:00Z",
                "2026-12-01T10:00:00Z",
                "2026-12-01 10:00:00.5Z",
                "2024-02-29T23:59:59.999999999Z",
                "2023-02-29T00:00:00Z",
                "2026-02-30T00:00:00Z",
                "2026-12-01T24:00:00Z",
                "2026-12-31T23:59:60Z",
                "2026-12-01T10:00:00.1234567890Z",
                "2026-12-01T10:00:00.Z",
                "2026-12-01T10:00:00+18:00",
                "2026-12-01T10:00:00-18:00",
                "2026-12-01T10:00:00+18:01",
                "2026-12-01T10:00:00+19:00",
                "2026-12-01T10:00:00-00:00",
                "2026-12-01T10:00:00+0100",
                "2026-12-01T10:00:00+01",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999Z",
                "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z",
                "2026-12-00T00:00:00Z",
                "2026-12-01t10:00:00z",
                "2026-12-01T10:60:00Z",
                "2026-12-01T10:00:00"));
        for (int i = 0; i < 2_000; i++) {
            Instant t = Instant.ofEpochSecond(
                    random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(1_000_000_000));
            int offsetMinutes = (random.nextInt(37) - 18) * 60 + (random.nextBoolean() ? 0 : 30);
            String text = t.atOffset(java.time.ZoneOffset.ofTotalSeconds(
                            Math.max(-64_800, Math.min(64_800, offsetMinutes * 60))))
                    .toString();
            corpus.add(text);
            char[] mutated = text.toCharArray();
            mutated[random.nextInt(mutated.length)] = "0123456789:-+.TZ 9".charAt(random.nextInt(18));
            corpus.add(new String(mutated));
        }
        int read = 0;
        for (String text : corpus) {
            Instant byFormatter = formatter(text);
            Instant fast = EventTimes.parseCommonShape(text);
            if (fast != null) {
                read++;
                assertThat(fast).as(text).isEqualTo(byFormatter);
            }
            if (byFormatter == null) {
                assertThat(fast).as(text).isNull();
            } else {
                assertThat(EventTimes.parse(text, ChronoUnit.MILLIS)).as(text).isEqualTo(byFormatter);
            }
        }
        assertThat(read).as("texts the fast reader took").isGreaterThan(2_000);
    }

    /** What ISO_OFFSET_DATE_TIME makes of the text (a space read as the T), or null where it refuses it. */
    private static Instant formatter(String text) {
        String iso =
                text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
