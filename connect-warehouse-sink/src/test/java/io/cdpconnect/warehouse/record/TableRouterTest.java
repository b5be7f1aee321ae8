/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class TableRouterTest {

    @Test
    void topicIsSanitisedIntoALowerCaseIdentifier() {
        assertThat(new TableRouter("${topic}").route("Shop.Orders-v1", null)).isEqualTo("shop_orders_v1");
        assertThat(new TableRouter("wh_${topic}_facts").route("events.raw", null))
                .isEqualTo("wh_events_raw_facts");
    }

    @Test
    void valueFieldsRouteMixedEventsToTablesOfTheirOwn() {
        TableRouter router = new TableRouter("events_${event_type}");
        assertThat(router.route("events.raw", Map.of("event_type", "add_to_cart")))
                .isEqualTo("events_add_to_cart");
        assertThat(router.route("events.raw", Map.of("event_type", "Page View")))
                .isEqualTo("events_page_view");
        assertThat(new TableRouter("${topic}_${context.app}").route("t", Map.of("context", Map.of("app", "web"))))
                .isEqualTo("t_web");
        assertThat(router.usesValueFields()).isTrue();
    }

    @Test
    void injectionAttemptsCannotEscapeTheIdentifier() {
        assertThat(new TableRouter("events_${event_type}")
                        .route("t", Map.of("event_type", "x\"; DROP TABLE users; --")))
                .isEqualTo("events_x___drop_table_users____");
    }

    @Test
    void missingRoutingFieldsAndTombstonesAreDataErrors() {
        TableRouter router = new TableRouter("events_${event_type}");
        assertThatThrownBy(() -> router.route("t", Map.of("other", 1)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("event_type");
        assertThatThrownBy(() -> router.route("t", null))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("tombstone");
        assertThatThrownBy(() -> router.route("t", Map.of("event_type", "x".repeat(80))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("63");
    }

    @Test
    void unclosedPlaceholdersAreConfigErrors() {
        assertThatThrownBy(() -> new TableRouter("events_${event_type")).isInstanceOf(ConfigException.class);
    }

    @Test
    void twoNamesSanitisedToOneTableAreACollisionNotAMerge() {
        TableRouter byTopic = new TableRouter("${topic}");
        assertThat(byTopic.route("shop.orders", null)).isEqualTo("shop_orders");
        assertThat(byTopic.route("shop.orders", null)).isEqualTo("shop_orders");
        assertThatThrownBy(() -> byTopic.route("shop_orders", null))
                .isInstanceOf(org.apache.kafka.connect.errors.ConnectException.class)
                .isNotInstanceOf(DataException.class)
                .hasMessageContaining("'shop.orders'")
                .hasMessageContaining("'shop_orders'");
        assertThat(byTopic.sourceOf("shop_orders")).isEqualTo("shop.orders");

        TableRouter byValue = new TableRouter("events_${event_type}");
        byValue.route("t", Map.of("event_type", "Page View"));
        assertThatThrownBy(() -> byValue.route("t", Map.of("event_type", "page_view")))
                .isNotInstanceOf(DataException.class)
                .hasMessageContaining("events_Page View");
        // one literal table for every topic is a merge on purpose: same rendered name
        TableRouter literal = new TableRouter("events");
        assertThat(literal.route("a", null)).isEqualTo(literal.route("b", null));
    }

    @Test
    void valueRoutingIsCappedAtMaxTablesButNotTopicRouting() {
        TableRouter router = new TableRouter("events_${event_type}", 2);
        router.route("t", Map.of("event_type", "a"));
        router.route("t", Map.of("event_type", "b"));
        router.route("t", Map.of("event_type", "a"));
        assertThatThrownBy(() -> router.route("t", Map.of("event_type", "c")))
                .isNotInstanceOf(DataException.class)
                .hasMessageContaining("table.routing.max.tables=2")
                .hasMessageContaining("events_c");
        assertThat(router.route("t", Map.of("event_type", "b"))).isEqualTo("events_b");
        TableRouter topics = new TableRouter("${topic}", 1);
        topics.route("a", null);
        assertThat(topics.route("b", null)).isEqualTo("b");
    }

    @Test
    void configuredTopicsAreCheckedAtValidate() {
        TableRouter.checkTopics("${topic}", java.util.List.of("a.b", "c"));
        TableRouter.checkTopics("events_${event_type}", java.util.List.of("a.b", "a_b"));
        assertThatThrownBy(() -> TableRouter.checkTopics("${topic}", java.util.List.of("a.b", "a_b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("table.name.format")
                .hasMessageContaining("'a.b'")
                .hasMessageContaining("'a_b'");
        assertThatThrownBy(() -> TableRouter.checkTopics("${topic}", java.util.List.of("x".repeat(70))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("63");
    }
}
