/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.aerospike.read.SegmentLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Runs the membership expressions the sink sends (built through the same {@link SegmentExpressions}) on an
 * in-memory record, in the server's order (membership bin first, then timestamps), to check last-writer-wins
 * with late, replayed, tied and expiring updates.
 */
class SegmentLastWriterWinsTest {

    private static final SegmentLayout LAYOUT = SegmentLayout.defaults();
    private static final SegmentExpressions<InMemoryExp.Fn> EXPRESSIONS =
            new SegmentExpressions<>(InMemoryExp.INSTANCE, LAYOUT);
    private static final long NOW = 1_795_000_000_000L; // 2026-11-18
    private static final long NO_CUTOFF = Long.MIN_VALUE;

    private final Map<String, Object> record = new HashMap<>();

    private void apply(long nowMillis, long cutoff, SegmentUpdate... updates) {
        List<SegmentUpdate> list = List.of(updates);
        InMemoryExp.Fn membership = EXPRESSIONS.membership(list, nowMillis);
        InMemoryExp.Fn timestamps = EXPRESSIONS.timestamps(list, cutoff);
        InMemoryExp.write(record, LAYOUT.membershipBin(), membership);
        InMemoryExp.write(record, LAYOUT.timestampBin(), timestamps);
    }

    private void apply(SegmentUpdate... updates) {
        apply(NOW, NO_CUTOFF, updates);
    }

    private static SegmentUpdate add(String segment, long ts) {
        return new SegmentUpdate(segment, true, ts, 0);
    }

    private static SegmentUpdate add(String segment, long ts, long expirySeconds) {
        return new SegmentUpdate(segment, true, ts, expirySeconds);
    }

    private static SegmentUpdate remove(String segment, long ts) {
        return new SegmentUpdate(segment, false, ts, 0);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> memberships() {
        return (Map<String, Object>) record.get(LAYOUT.membershipBin());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> timestamps() {
        return (Map<String, Object>) record.get(LAYOUT.timestampBin());
    }

    @Test
    void addOnNewRecordCreatesBothMaps() {
        apply(add("high-value", NOW - 5_000));
        assertThat(memberships()).containsExactly(Map.entry("high-value", 0L));
        assertThat(timestamps()).containsExactly(Map.entry("high-value", NOW - 5_000));
    }

    @Test
    void lateAddNeverResurrectsARemoval() {
        apply(add("s", 1_000));
        apply(remove("s", 3_000));
        assertThat(memberships()).isEmpty();
        apply(add("s", 2_000)); // late: older than the removal
        assertThat(memberships()).isEmpty();
        assertThat(timestamps()).containsExactly(Map.entry("s", 3_000L));
        apply(add("s", 1_000)); // replay of the first add
        apply(remove("s", 3_000)); // replay of the removal
        assertThat(memberships()).isEmpty();
        apply(add("s", 4_000)); // genuinely newer
        assertThat(memberships()).containsExactly(Map.entry("s", 0L));
    }

    @Test
    void lateRemovalDoesNotEndANewerMembership() {
        apply(add("s", 5_000));
        apply(remove("s", 4_000));
        assertThat(memberships()).containsKey("s");
    }

    @Test
    void removalWinsATieWhicheverArrivesFirst() {
        apply(add("a", 1_000));
        apply(remove("a", 1_000));
        apply(remove("b", 1_000));
        apply(add("b", 1_000));
        assertThat(memberships()).isEmpty();
    }

    @Test
    void replayedAddKeepsItsOriginalExpiry() {
        long ts = NOW - 10_000;
        long expiry = ts / 1000 + 3600;
        apply(add("s", ts, expiry));
        apply(add("s", ts, expiry + 999)); // same ts: not newer, ignored
        assertThat(memberships()).containsExactly(Map.entry("s", expiry));
    }

    @Test
    void expiredMembershipsArePrunedOnTheNextWriteButTheirTimestampStays() {
        long ts = NOW - 10_000;
        apply(add("short", ts, NOW / 1000 + 60), add("forever", ts, 0));
        assertThat(memberships()).containsOnlyKeys("short", "forever");
        long later = NOW + 61_000;
        apply(later, NO_CUTOFF, add("other", later, 0));
        assertThat(memberships()).containsOnlyKeys("forever", "other");
        assertThat(timestamps()).containsOnlyKeys("short", "forever", "other");
        // an older add of the expired segment is still recognised as late
        apply(later, NO_CUTOFF, add("short", ts - 1, 0));
        assertThat(memberships()).doesNotContainKey("short");
    }

    @Test
    void anAddAlreadyExpiredAtWriteTimeRecordsItsTimestampOnly() {
        apply(add("s", NOW - 120_000, NOW / 1000 - 60));
        assertThat(memberships()).isEmpty();
        assertThat(timestamps()).containsExactly(Map.entry("s", NOW - 120_000));
    }

    @Test
    void expiryBoundaryMatchesTheReaderRule() {
        long nowSeconds = NOW / 1000;
        apply(add("ends-now", NOW - 1_000, nowSeconds), add("ends-next-second", NOW - 1_000, nowSeconds + 1));
        assertThat(memberships()).containsOnlyKeys("ends-next-second");
        assertThat(SegmentLayout.isActive(nowSeconds, nowSeconds)).isFalse();
        assertThat(SegmentLayout.isActive(nowSeconds + 1, nowSeconds)).isTrue();
        assertThat(SegmentLayout.isActive(0, nowSeconds)).isTrue();
    }

    @Test
    void severalSegmentsInOneWriteAreIndependent() {
        apply(add("a", 1_000), add("b", 1_000));
        apply(remove("a", 2_000), add("b", 500), add("c", 2_000));
        assertThat(memberships()).containsOnlyKeys("b", "c");
        assertThat(timestamps()).containsOnly(Map.entry("a", 2_000L), Map.entry("b", 1_000L), Map.entry("c", 2_000L));
    }

    @Test
    void timestampsPastRetentionAreForgotten() {
        apply(add("old", 1_000), add("new", 50_000));
        apply(NOW, 10_000, add("x", 60_000));
        assertThat(timestamps()).containsOnlyKeys("new", "x");
        assertThat(memberships()).containsOnlyKeys("old", "new", "x"); // memberships are not touched by retention
    }

    @Test
    void anyDeliveryOrderWithReplaysEndsInTheLastWriterWinsState() {
        Random random = new Random(42);
        for (int run = 0; run < 200; run++) {
            record.clear();
            List<SegmentUpdate> events = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String segment = "s" + random.nextInt(3);
                long ts = 1_000L * random.nextInt(8);
                events.add(random.nextBoolean() ? add(segment, ts) : remove(segment, ts));
            }
            Map<String, SegmentUpdate> winners = new HashMap<>();
            for (SegmentUpdate e : events) {
                winners.merge(e.segment(), e, (old, neu) -> neu.supersedes(old) ? neu : old);
            }
            List<SegmentUpdate> delivery = new ArrayList<>(events);
            delivery.addAll(events.subList(0, 6)); // redelivery after a restart
            Collections.shuffle(delivery, random);
            for (SegmentUpdate e : delivery) {
                apply(e);
            }
            for (SegmentUpdate winner : winners.values()) {
                assertThat(memberships().containsKey(winner.segment()))
                        .as("run %d segment %s winner %s", run, winner.segment(), winner)
                        .isEqualTo(winner.add());
                assertThat(timestamps().get(winner.segment())).isEqualTo(winner.tsMillis());
            }
        }
    }
}
