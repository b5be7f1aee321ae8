/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template.it.inprocess;

import static io.cdpconnect.template.Records.sink;
import static io.cdpconnect.template.Records.transform;
import static io.cdpconnect.template.Records.valueMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.DefinitionTables;
import io.cdpconnect.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** Per-event-type template sets kept in PostgreSQL ({@code definitions.source=jdbc}), refreshed while running. */
class JdbcTemplateSetsIT {

    private static final String CART = "{\"event_id\": \"e-1\", \"event_type\": \"add_to_cart\", \"user_id\": \"u-1\","
            + " \"properties\": {\"sku\": \"SKU-1\", \"qty\": 1, \"price\": 39.95}}";

    @Test
    void templateUpdatedInPostgresTakesEffectWithoutRestart() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("template_smt");
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement()) {
            s.execute(DefinitionTables.EVENT_TEMPLATES);
            s.execute("INSERT INTO event_templates VALUES ('add_to_cart', 'topic', 'cart.v1', now()),"
                    + " ('add_to_cart', 'value', '{\"sku\": {{ value.properties.sku }}}', now())");
        }
        var t = transform(
                "definitions.source",
                "jdbc",
                "definitions.jdbc.url",
                url,
                "definitions.jdbc.user",
                pg.user(),
                "definitions.jdbc.password",
                pg.password(),
                "definitions.refresh.ms",
                "100",
                "event.type.field",
                "event_type");
        try {
            SinkRecord first = t.apply(sink(CART));
            assertThat(first.topic()).isEqualTo("cart.v1");
            assertThat(valueMap(first)).isEqualTo(Map.of("sku", "SKU-1"));

            try (Connection c = pg.connect(url);
                    PreparedStatement p = c.prepareStatement(
                            "UPDATE event_templates SET template = ?, updated_at = now() WHERE event_type = 'add_to_cart' AND name = ?")) {
                p.setString(1, "cart.v2");
                p.setString(2, "topic");
                p.executeUpdate();
                p.setString(1, "{\"sku\": {{ value.properties.sku|lower }}, \"qty\": {{ value.properties.qty }}}");
                p.setString(2, "value");
                p.executeUpdate();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            SinkRecord after = t.apply(sink(CART));
            while (!("cart.v2".equals(after.topic()) && valueMap(after).containsKey("qty"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
                after = t.apply(sink(CART));
            }
            assertThat(after.topic()).isEqualTo("cart.v2");
            assertThat(valueMap(after)).isEqualTo(Map.of("sku", "sku-1", "qty", 1));
        } finally {
            t.close();
        }
    }
}
