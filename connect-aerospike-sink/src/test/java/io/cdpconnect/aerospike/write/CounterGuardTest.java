/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counter filter, evaluated on in-memory records the way the server evaluates it. */
class CounterGuardTest {

    private static boolean passes(Map<String, Object> record, String partition, long offset) {
        return InMemoryExp.test(record, CounterGuard.guard(InMemoryExp.INSTANCE, "kafka_offsets", partition, offset));
    }

    @Test
    void newRecordOrRecordWithoutOffsetsPasses() {
        assertThat(passes(new HashMap<>(), "orders/0", 0)).isTrue();
        Map<String, Object> record = new HashMap<>(Map.of("order_count", 3L));
        assertThat(passes(record, "orders/0", 0)).isTrue();
    }

    @Test
    void onlyLaterOffsetsOfTheSamePartitionPass() {
        Map<String, Object> record = new HashMap<>(Map.of("kafka_offsets", Map.of("orders/0", 10L, "orders/1", 3L)));
        assertThat(passes(record, "orders/0", 9)).isFalse();
        assertThat(passes(record, "orders/0", 10)).isFalse(); // the replay of the last applied record
        assertThat(passes(record, "orders/0", 11)).isTrue();
        assertThat(passes(record, "orders/1", 4)).isTrue();
        assertThat(passes(record, "orders/2", 0)).isTrue(); // a partition never seen
        assertThat(passes(record, "other/0", 1)).isTrue();
    }

    @Test
    void behindARoutingSmtTheEntryOfEarlierVersionsUnderTheRoutedTopicAlsoGuards() {
        Map<String, Object> record = new HashMap<>(Map.of("kafka_offsets", Map.of("orders.routed/5", 20L)));
        assertThat(InMemoryExp.test(
                        record,
                        CounterGuard.guard(InMemoryExp.INSTANCE, "kafka_offsets", "orders/2", "orders.routed/5", 17)))
                .as("applied before the upgrade under the routed key")
                .isFalse();
        assertThat(InMemoryExp.test(
                        record,
                        CounterGuard.guard(InMemoryExp.INSTANCE, "kafka_offsets", "orders/2", "orders.routed/5", 21)))
                .isTrue();
        record.put("kafka_offsets", Map.of("orders.routed/5", 20L, "orders/2", 30L));
        assertThat(InMemoryExp.test(
                        record,
                        CounterGuard.guard(InMemoryExp.INSTANCE, "kafka_offsets", "orders/2", "orders.routed/5", 25)))
                .isFalse();
    }
}
