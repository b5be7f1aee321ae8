/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link IsoInstant} writes exactly what {@link Instant#toString()} writes. */
class IsoInstantTest {

    @Test
    void sameTextAsInstantToStringForEdgesAndRandomInstants() {
        List<Instant> edges = List.of(
                Instant.EPOCH,
                Instant.parse("1970-01-01T00:00:00.000000001Z"),
                Instant.parse("2000-02-29T23:59:59.999Z"),
                Instant.parse("2100-03-01T00:00:00.000001Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.ofEpochSecond(253_402_300_800L),
                Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.parse("0001-01-01T00:00:00Z"),
                Instant.MIN,
                Instant.MAX,
                Instant.parse("2026-11-23T10:00:00.120Z"),
                Instant.parse("2026-11-23T10:00:00.123400Z"));
        for (Instant i : edges) {
            assertThat(IsoInstant.format(i)).isEqualTo(i.toString());
        }
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int n = 0; n < 200_000; n++) {
            long seconds = r.nextLong() % 253_402_300_800L;
            int nano = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            Instant i = Instant.ofEpochSecond(Math.abs(seconds), nano);
            assertThat(IsoInstant.format(i)).as("seed %d", seed).isEqualTo(i.toString());
        }
    }
}
