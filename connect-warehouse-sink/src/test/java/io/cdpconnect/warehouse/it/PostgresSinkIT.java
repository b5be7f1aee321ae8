/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import static io.cdpconnect.testing.ConnectTestCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.testing.ConnectTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The warehouse sink on a real Connect cluster writing to a real PostgreSQL, configured by JSON over REST:
 * auto-create and evolve with logical types, upsert and tombstone deletes, the event store (raw JSONB, monthly
 * partitions created on demand), routing by event type, and a bad record dead-lettered while its batch lands.
 */
class PostgresSinkIT {

    private static final String CONNECTOR = "io.cdpconnect.warehouse.WarehouseSinkConnector";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresFixture db;

    @BeforeAll
    static void start() {
        db = PostgresFixture.start("wh_it", ConnectTestCluster.builder().name("warehouse-pg"));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void autoCreatesFromSchemasAndEvolvesWithNewFields() {
        db.connect.createTopic("shop.orders", 1);
        db.connect.putConnectorConfig("orders-schema", """
                {"connector.class": "%s", "tasks.max": "1", "topics": "shop.orders", %s,
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter.schemas.enable": "true",
                 "table.name.format": "orders_${topic}", "auto.create": "true", "auto.evolve": "true"}
                """.formatted(CONNECTOR, db.connectionJson()));
        db.connect.awaitRunning("orders-schema", 1);
        db.connect.produce("shop.orders", "o-1", order("o-1", "129.90", 1795428000000L, false));
        waitFor(Duration.ofSeconds(30), "first order row", () -> db.sql.countOrMissing("orders_shop_orders") == 1);
        db.connect.produce("shop.orders", "o-2", order("o-2", "39.95", 1795428060000L, true));
        waitFor(Duration.ofSeconds(30), "second order row", () -> db.sql.countOrMissing("orders_shop_orders") == 2);

        Map<String, String> columns = db.sql.columns("orders_shop_orders");
        assertThat(columns)
                .containsEntry("order_id", "text")
                .containsEntry("total", "numeric")
                .containsEntry("qty", "integer")
                .containsEntry("created_at", "timestamp with time zone")
                .containsEntry("day", "date")
                .containsEntry("items", "jsonb")
                .containsEntry("coupon", "text");
        List<Map<String, Object>> rows = db.sql.rows("SELECT order_id, total::text AS total, qty, "
                + "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS created, day::text AS day, "
                + "items->0->>'sku' AS sku, coupon FROM orders_shop_orders ORDER BY order_id");
        assertThat(rows.get(0))
                .containsEntry("order_id", "o-1")
                .containsEntry("total", "129.90")
                .containsEntry("qty", 2)
                .containsEntry("created", "2026-11-23 10:00:00")
                .containsEntry("day", "2026-11-23")
                .containsEntry("sku", "SKU-1")
                .containsEntry("coupon", null);
        assertThat(rows.get(1))
                .containsEntry("order_id", "o-2")
                .containsEntry("total", "39.95")
                .containsEntry("coupon", "WELCOME");
    }

    /** A JsonConverter envelope with Decimal, Timestamp and Date logical types and a nested array. */
    private static String order(String id, String total, long createdAt, boolean withCoupon) {
        String decimal = java.util.Base64.getEncoder()
                .encodeToString(new java.math.BigDecimal(total).unscaledValue().toByteArray());
        String fields = """
                {"field": "order_id", "type": "string"},
                {"field": "total", "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "parameters": {"scale": "2"}},
                {"field": "qty", "type": "int32"},
                {"field": "created_at", "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp"},
                {"field": "day", "type": "int32", "name": "org.apache.kafka.connect.data.Date"},
                {"field": "items", "type": "array", "items": {"type": "struct", "fields": [
                    {"field": "sku", "type": "string"}, {"field": "qty", "type": "int32"}]}}
                """ + (withCoupon ? ", {\"field\": \"coupon\", \"type\": \"string\", \"optional\": true}" : "");
        String payload = "{\"order_id\": \"" + id + "\", \"total\": \"" + decimal + "\", \"qty\": 2, \"created_at\": "
                + createdAt + ", \"day\": " + (createdAt / 86_400_000L)
                + ", \"items\": [{\"sku\": \"SKU-1\", \"qty\": 2}]"
                + (withCoupon ? ", \"coupon\": \"WELCOME\"" : "") + "}";
        return "{\"schema\": {\"type\": \"struct\", \"fields\": [" + fields + "]}, \"payload\": " + payload + "}";
    }

    @Test
    void upsertsByRecordKeyAndDeletesOnTombstones() {
        db.connect.createTopic("customers", 2);
        db.connect.putConnectorConfig("customers-upsert", """
                {"connector.class": "%s", "tasks.max": "2", "topics": "customers", %s,
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter.schemas.enable": "false",
                 "insert.mode": "upsert", "pk.mode": "record_key", "pk.fields": "customer_id",
                 "delete.enabled": "true"}
                """.formatted(CONNECTOR, db.connectionJson()));
        db.connect.awaitRunning("customers-upsert", 2);
        db.connect.produce("customers", "c-1", "{\"name\": \"Ada\", \"tier\": \"gold\"}");
        db.connect.produce("customers", "c-2", "{\"name\": \"Bob\", \"tier\": \"silver\"}");
        db.connect.produce("customers", "c-3", "{\"name\": \"Cy\", \"tier\": \"bronze\"}");
        db.connect.produce("customers", "c-1", "{\"name\": \"Ada L.\", \"tier\": \"platinum\"}");
        db.connect.produce("customers", "c-2", null);
        waitFor(
                Duration.ofSeconds(30),
                "c-1 updated and c-2 deleted",
                () -> db.sql.countOrMissing("customers") == 2
                        && db.sql.count(
                                        "SELECT count(*) FROM customers WHERE customer_id = 'c-1' AND tier = 'platinum'")
                                == 1);
        assertThat(db.sql.rows("SELECT customer_id, name, tier FROM customers ORDER BY customer_id"))
                .containsExactly(
                        Map.of("customer_id", "c-1", "name", "Ada L.", "tier", "platinum"),
                        Map.of("customer_id", "c-3", "name", "Cy", "tier", "bronze"));
        assertThat(db.sql.rows("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                        + "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'customers'::regclass AND i.indisprimary"))
                .containsExactly(Map.of("attname", "customer_id"));
        // deleting it again, and re-creating it, in one batch keeps the order of events
        db.connect.produce("customers", "c-3", null);
        db.connect.produce("customers", "c-3", "{\"name\": \"Cy\", \"tier\": \"silver\"}");
        waitFor(
                Duration.ofSeconds(30),
                "c-3 re-created",
                () -> db.sql.count("SELECT count(*) FROM customers WHERE customer_id = 'c-3' AND tier = 'silver'")
                        == 1);
        assertThat(db.sql.count("SELECT count(*) FROM customers")).isEqualTo(2);
    }

    @Test
    void eventStoreKeepsRawJsonbInMonthlyPartitionsAndRoutesByEventType() {
        db.connect.createTopic("events.raw", 1);
        db.connect.putConnectorConfig("event-store", """
                {"connector.class": "%s", "tasks.max": "1", "topics": "events.raw", %s,
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "table.name.format": "event_store", "raw.column": "payload",
                 "fields.mapping": "event_id,event_type,user_id,ts",
                 "partition.column": "ts", "partition.interval": "month"}
                """.formatted(CONNECTOR, db.connectionJson()));
        db.connect.putConnectorConfig("event-facts", """
                {"connector.class": "%s", "tasks.max": "1", "topics": "events.raw", %s,
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter.schemas.enable": "false",
                 "table.name.format": "facts_${event_type}",
                 "fields.mapping": "event_id,user_id,ts,properties.sku:sku,properties.qty:qty,context.page.url:page_url"}
                """.formatted(CONNECTOR, db.connectionJson()));
        db.connect.awaitRunning("event-store", 1);
        db.connect.awaitRunning("event-facts", 1);
        db.connect.produce("events.raw", "u-1", event("e-1", "page_view", "2026-11-23T10:00:00.123Z", null));
        db.connect.produce("events.raw", "u-1", event("e-2", "add_to_cart", "2026-11-23T10:01:00Z", "SKU-1"));
        db.connect.produce("events.raw", "u-1", event("e-3", "add_to_cart", "2026-12-01T00:00:00Z", "SKU-2"));
        db.connect.produce("events.raw", "u-1", event("e-4", "page_view", "2027-01-15T08:00:00Z", null));

        waitFor(Duration.ofSeconds(30), "4 events in the store", () -> db.sql.countOrMissing("event_store") == 4);
        assertThat(db
                        .sql
                        .rows("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                + "WHERE i.inhparent = 'event_store'::regclass ORDER BY 1")
                        .stream()
                        .map(r -> r.get("relname"))
                        .collect(Collectors.toList()))
                .containsExactly("event_store_p2026_11", "event_store_p2026_12", "event_store_p2027_01");
        assertThat(db.sql.columns("event_store"))
                .containsEntry("payload", "jsonb")
                .containsEntry("ts", "timestamp with time zone");
        assertThat(db.sql.count("SELECT count(*) FROM event_store_p2026_11")).isEqualTo(2);
        assertThat(db.sql.rows("SELECT payload->'properties'->>'sku' AS sku FROM event_store WHERE event_id = 'e-3'"))
                .containsExactly(Map.of("sku", "SKU-2"));
        assertThat(db.sql.rows(
                        "SELECT payload->'context'->'page'->>'url' AS url FROM event_store WHERE event_id = 'e-1'"))
                .containsExactly(Map.of("url", "https://shop.example/p/1"));

        waitFor(
                Duration.ofSeconds(30),
                "facts routed by event type",
                () -> db.sql.countOrMissing("facts_page_view") == 2 && db.sql.countOrMissing("facts_add_to_cart") == 2);
        assertThat(db.sql.rows("SELECT event_id, sku, qty, page_url FROM facts_add_to_cart ORDER BY event_id"))
                .containsExactly(
                        Map.of("event_id", "e-2", "sku", "SKU-1", "qty", 1L, "page_url", "https://shop.example/p/1"),
                        Map.of("event_id", "e-3", "sku", "SKU-2", "qty", 1L, "page_url", "https://shop.example/p/1"));
        assertThat(db.sql.columns("facts_page_view").keySet()).containsExactly("event_id", "user_id", "ts", "page_url");
    }

    private static String event(String id, String type, String ts, String sku) {
        String properties = sku == null ? "{}" : "{\"sku\": \"" + sku + "\", \"qty\": 1, \"price\": 39.95}";
        return "{\"event_id\": \"" + id + "\", \"event_type\": \"" + type + "\", \"user_id\": \"u-1\", "
                + "\"anonymous_id\": \"a-9\", \"ts\": \"" + ts + "\", \"properties\": " + properties
                + ", \"context\": {\"page\": {\"url\": \"https://shop.example/p/1\"}, \"user_agent\": \"it\"}}";
    }

    @Test
    void badRecordsGoToTheDeadLetterQueueWhileTheirBatchLands() throws Exception {
        db.connect.createTopic("payments", 1);
        db.sql.execute("CREATE TABLE payments (payment_id text PRIMARY KEY, amount bigint, method text)");
        db.connect.putConnectorConfig("payments-dlq", """
                {"connector.class": "%s", "tasks.max": "1", "topics": "payments", %s,
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter.schemas.enable": "false",
                 "table.name.format": "${kind}", "auto.create": "false",
                 "errors.tolerance": "all",
                 "errors.deadletterqueue.topic.name": "payments.dlq",
                 "errors.deadletterqueue.topic.replication.factor": "1",
                 "errors.deadletterqueue.context.headers.enable": "true"}
                """.formatted(CONNECTOR, db.connectionJson()));
        db.connect.awaitRunning("payments-dlq", 1);
        // stop the task between puts so that all records below arrive in one batch
        db.connect.embedded().stopConnector("payments-dlq");
        db.connect.produce(
                "payments",
                "p-1",
                "{\"kind\": \"payments\", \"payment_id\": \"p-1\", \"amount\": 100, \"method\": \"card\"}");
        db.connect.produce(
                "payments",
                "p-2",
                "{\"kind\": \"payments\", \"payment_id\": \"p-2\", \"amount\": \"a lot\", \"method\": \"card\"}");
        db.connect.produce("payments", "p-3", "{\"payment_id\": \"p-3\", \"amount\": 300}");
        db.connect.produce(
                "payments",
                "p-4",
                "{\"kind\": \"payments\", \"payment_id\": \"p-4\", \"amount\": 400, \"method\": \"iban\"}");
        db.connect.produce("payments", "p-5", "{\"kind\": \"refunds\", \"payment_id\": \"p-5\", \"amount\": 500}");
        db.connect.produce("payments", "p-6", "{\"kind\": \"payments\", \"payment_id\": \"p-1\", \"amount\": 600}");
        db.connect.embedded().resumeConnector("payments-dlq");

        List<ConsumerRecord<byte[], byte[]>> dead = db.connect.consume(4, Duration.ofSeconds(60), "payments.dlq");
        assertThat(dead.stream().map(r -> ConnectTestCluster.text(r.key())))
                .containsExactlyInAnyOrder("p-2", "p-3", "p-5", "p-6");
        Map<String, String> reasons = dead.stream()
                .collect(Collectors.toMap(
                        r -> ConnectTestCluster.text(r.key()), r -> header(r, "__connect.errors.exception.message")));
        assertThat(reasons.get("p-2")).contains("bigint");
        assertThat(reasons.get("p-3")).contains("kind");
        assertThat(reasons.get("p-5")).contains("refunds").contains("auto.create");
        assertThat(reasons.get("p-6")).contains("duplicate key");
        waitFor(Duration.ofSeconds(30), "good payments", () -> db.sql.count("SELECT count(*) FROM payments") == 2);
        assertThat(db.sql.rows("SELECT payment_id, amount FROM payments ORDER BY payment_id"))
                .containsExactly(
                        Map.of("payment_id", "p-1", "amount", 100L), Map.of("payment_id", "p-4", "amount", 400L));
        JsonNode status = db.connect.connectorStatus("payments-dlq");
        assertThat(status.path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
