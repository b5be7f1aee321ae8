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
import java.time.temporal.ChronoUnit;
import java.util.Date;
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
}
