/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.dialect.Dialect;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TableManager#periodStart} remembers the last period; every answer must be the computed one. */
class PeriodStartTest {

    private static TableManager manager(String interval) {
        WarehouseSinkConfig config = new WarehouseSinkConfig(Map.of(
                "warehouse.url", "jdbc:postgresql://127.0.0.1:1/unused",
                "partition.column", "ts",
                "partition.interval", interval));
        return new TableManager(
                config, Dialect.forUrl(config.url(), config.decimalScale()), "c", null, Clock.systemUTC());
    }

    /** The computation without any memory. */
    private static LocalDateTime computed(Instant time, boolean day) {
        LocalDateTime utc = LocalDateTime.ofInstant(time, ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        return day ? utc : utc.withDayOfMonth(1);
    }

    /** Boundaries (the nanosecond before, on, after), alternating periods, leap days, before 1970, random. */
    private static List<Instant> times() {
        List<Instant> out = new ArrayList<>();
        for (String boundary : List.of(
                "2026-12-01T00:00:00Z",
                "2026-11-23T00:00:00Z",
                "2024-02-29T00:00:00Z",
                "2024-03-01T00:00:00Z",
                "2027-01-01T00:00:00Z",
                "1969-12-01T00:00:00Z",
                "1970-01-01T00:00:00Z",
                "0001-01-01T00:00:00Z")) {
            Instant b = Instant.parse(boundary);
            out.add(b.minusNanos(1));
            out.add(b);
            out.add(b.plusNanos(1));
            out.add(b.minusNanos(1)); // back into the period before
            out.add(b.plusSeconds(1));
            out.add(b.minusSeconds(86_400L * 40));
            out.add(b);
        }
        Random random = new Random(15);
        Instant base = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            out.add(base.plusNanos((long) (random.nextGaussian() * 40L * 86_400L * 1_000_000_000L)));
        }
        return out;
    }

    @Test
    void everyAnswerIsTheComputedPeriodStart() {
        for (String interval : List.of("day", "month")) {
            TableManager tables = manager(interval);
            for (Instant t : times()) {
                assertThat(tables.periodStart(t)).as(interval + " " + t).isEqualTo(computed(t, interval.equals("day")));
            }
        }
    }
}
