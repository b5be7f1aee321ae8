/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.dialect.PostgresDialect;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionBoundsTest {

    @Test
    void boundsInAnySessionTimeZoneAreReadAsUtc() {
        assertThat(PartitionBounds.parse("FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00')"))
                .containsExactly(LocalDateTime.of(2026, 11, 1, 0, 0), LocalDateTime.of(2026, 12, 1, 0, 0));
        assertThat(PartitionBounds.parse("FOR VALUES FROM ('2026-11-01 01:00:00+01') TO ('2026-11-30 19:00:00-05')"))
                .containsExactly(LocalDateTime.of(2026, 11, 1, 0, 0), LocalDateTime.of(2026, 12, 1, 0, 0));
        assertThat(PartitionBounds.parse(
                        "FOR VALUES FROM ('2026-11-01 05:30:00+05:30') TO ('2026-11-02 05:30:00+05:30')"))
                .containsExactly(LocalDateTime.of(2026, 11, 1, 0, 0), LocalDateTime.of(2026, 11, 2, 0, 0));
        assertThat(PartitionBounds.parse("DEFAULT")).isNull();
        assertThat(PartitionBounds.parse("FOR VALUES FROM (MINVALUE) TO ('2026-12-01 00:00:00+00')"))
                .isNull();
        assertThat(PartitionBounds.parse("FOR VALUES FROM ('a', 1) TO ('b', 2)"))
                .isNull();
    }

    private static TableManager manager(String interval, int retention) {
        WarehouseSinkConfig config = new WarehouseSinkConfig(Map.of(
                "warehouse.url",
                "jdbc:postgresql://h/db",
                "partition.column",
                "ts",
                "partition.interval",
                interval,
                "partition.retention",
                String.valueOf(retention)));
        return new TableManager(config, new PostgresDialect(), "c", null, Clock.systemUTC());
    }

    @Test
    void retentionKeepsTheCurrentIntervalAndTheOnesBeforeIt() {
        Instant now = Instant.parse("2026-12-01T22:50:00Z");
        assertThat(manager("month", 13).oldestKept(now)).isEqualTo(LocalDateTime.of(2025, 12, 1, 0, 0));
        assertThat(manager("month", 1).oldestKept(now)).isEqualTo(LocalDateTime.of(2026, 12, 1, 0, 0));
        assertThat(manager("day", 3).oldestKept(now)).isEqualTo(LocalDateTime.of(2026, 11, 29, 0, 0));
    }

    @Test
    void longTableNamesGetDistinctPartitionNamesWithinTheIdentifierLimit() {
        TableManager months = manager("month", 0);
        LocalDateTime nov = LocalDateTime.of(2026, 11, 1, 0, 0);
        assertThat(months.partitionName("events", nov)).isEqualTo("events_p2026_11");
        String a = months.partitionName("e".repeat(58) + "_a", nov);
        String b = months.partitionName("e".repeat(58) + "_b", nov);
        assertThat(a).isNotEqualTo(b).endsWith("_p2026_11").hasSize(Identifiers.MAX_LENGTH);
        assertThat(b).hasSize(Identifiers.MAX_LENGTH);
        assertThat(manager("day", 0).partitionName("x".repeat(63), nov))
                .hasSize(63)
                .endsWith("_p2026_11_01");
    }
}
