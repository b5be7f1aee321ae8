/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

class MongoCdcSourceConnectorTest {
    private static final Map<String, String> PROPS = Map.of("mongo.uri", "mongodb://db1/?replicaSet=rs0");

    @Test
    void tasksMaxTasksEachWithItsNumberAndNoCollectionNames() {
        List<Map<String, String>> tasks = MongoCdcSourceConnector.assign(PROPS, 3);
        assertThat(tasks).hasSize(3);
        for (int i = 0; i < 3; i++) {
            MongoCdcSourceConfig c = new MongoCdcSourceConfig(tasks.get(i));
            assertThat(c.taskIndex()).isEqualTo(i);
            assertThat(c.taskCount()).isEqualTo(3);
            assertThat(tasks.get(i).get("mongo.uri")).isEqualTo(PROPS.get("mongo.uri"));
        }
        // The same configs whatever collections exist: creating or dropping one changes no task config.
        assertThat(MongoCdcSourceConnector.assign(PROPS, 3)).isEqualTo(tasks);
    }

    @Test
    void everyCollectionNameHasExactlyOneOwnerWhateverItContains() {
        List<String> names = List.of("shop.a,b", "shop. spaced ", "shop.orders 2024:eu", "shop.ü", "shop.a", "shop.b");
        for (String ns : names) {
            int owners = 0;
            for (int i = 0; i < 4; i++) {
                owners += TaskOwnership.owns(i, 4, ns) ? 1 : 0;
            }
            assertThat(owners).as(ns).isEqualTo(1);
            assertThat(TaskOwnership.owner(ns, 4)).as("stable").isEqualTo(TaskOwnership.owner(ns, 4));
        }
        // Spread: 1000 collections over 4 tasks, none with fewer than a fifth.
        int[] counts = new int[4];
        for (int i = 0; i < 1000; i++) {
            counts[TaskOwnership.owner("shop.c" + i, 4)]++;
        }
        for (int c : counts) {
            assertThat(c).isGreaterThan(200);
        }
    }

    @Test
    void alterOffsetsAcceptsResetsTokensAndTimesAndRejectsTypos() {
        MongoCdcSourceConnector connector = new MongoCdcSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> ok = new java.util.HashMap<>();
        ok.put(Map.of("ns", "shop.orders"), null); // reset one collection
        ok.put(Map.of("ns", "shop.a,b"), Map.of("resume_token", "{\"_data\": \"82AA\"}"));
        ok.put(Map.of("ns", "shop.c"), Map.of("start_at_t", 1_795_428_000L, "start_at_i", 1));
        assertThat(connector.alterOffsets(PROPS, ok)).isTrue();

        assertThatThrownBy(() -> connector.alterOffsets(PROPS, Map.of(Map.of("collection", "orders"), Map.of())))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("db.collection");
        assertThatThrownBy(() ->
                        connector.alterOffsets(PROPS, Map.of(Map.of("ns", "shop.orders"), Map.of("resume_tokn", "{}"))))
                .hasMessageContaining("unknown offset field 'resume_tokn'");
        assertThatThrownBy(() -> connector.alterOffsets(
                        PROPS, Map.of(Map.of("ns", "shop.orders"), Map.of("resume_token", "not json"))))
                .hasMessageContaining("not extended JSON");
        assertThatThrownBy(() -> connector.alterOffsets(
                        PROPS, Map.of(Map.of("ns", "shop.orders"), Map.of("start_at_t", "yesterday", "start_at_i", 0))))
                .hasMessageContaining("start_at_t must be a number");
    }

    @Test
    void declaresExactlyOnceSupport() {
        MongoCdcSourceConnector connector = new MongoCdcSourceConnector();
        assertThat(connector.exactlyOnceSupport(PROPS)).isEqualTo(ExactlyOnceSupport.SUPPORTED);
        assertThat(connector.canDefineTransactionBoundaries(PROPS))
                .isEqualTo(ConnectorTransactionBoundaries.UNSUPPORTED);
        assertThat(connector.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(connector.taskClass()).isEqualTo(MongoCdcSourceTask.class);
    }
}
