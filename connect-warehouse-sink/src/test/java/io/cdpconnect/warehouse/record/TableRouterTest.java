package io.cdpconnect.warehouse.record;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableRouterTest {

    @Test
    void topicIsSanitisedIntoALowerCaseIdentifier() {
        assertThat(new TableRouter("${topic}").route("Shop.Orders-v1", null)).isEqualTo("shop_orders_v1");
        assertThat(new TableRouter("wh_${topic}_facts").route("events.raw", null)).isEqualTo("wh_events_raw_facts");
    }

    @Test
    void valueFieldsRouteMixedEventsToTablesOfTheirOwn() {
        TableRouter router = new TableRouter("events_${event_type}");
        assertThat(router.route("events.raw", Map.of("event_type", "add_to_cart"))).isEqualTo("events_add_to_cart");
        assertThat(router.route("events.raw", Map.of("event_type", "Page View"))).isEqualTo("events_page_view");
        assertThat(new TableRouter("${topic}_${context.app}").route("t", Map.of("context", Map.of("app", "web"))))
                .isEqualTo("t_web");
        assertThat(router.usesValueFields()).isTrue();
    }

    @Test
    void injectionAttemptsCannotEscapeTheIdentifier() {
        assertThat(new TableRouter("events_${event_type}").route("t", Map.of("event_type", "x\"; DROP TABLE users; --")))
                .isEqualTo("events_x___drop_table_users____");
    }

    @Test
    void missingRoutingFieldsAndTombstonesAreDataErrors() {
        TableRouter router = new TableRouter("events_${event_type}");
        assertThatThrownBy(() -> router.route("t", Map.of("other", 1))).isInstanceOf(DataException.class)
                .hasMessageContaining("event_type");
        assertThatThrownBy(() -> router.route("t", null)).isInstanceOf(DataException.class)
                .hasMessageContaining("tombstone");
        assertThatThrownBy(() -> router.route("t", Map.of("event_type", "x".repeat(80))))
                .isInstanceOf(DataException.class).hasMessageContaining("63");
    }

    @Test
    void unclosedPlaceholdersAreConfigErrors() {
        assertThatThrownBy(() -> new TableRouter("events_${event_type")).isInstanceOf(ConfigException.class);
    }
}
