/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template.it;

import static io.cdpconnect.testing.ConnectTestCluster.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.testing.ConnectTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template SMT on a real Kafka + Connect cluster, loaded from its plugin folder through Connect's plugin
 * isolation, configured by JSON over REST.
 *
 * <p>Routing is shown on the source side, where a transform's topic decides where records land: a
 * FileStreamSourceConnector reads a file of mixed events and the SMT (chained with Kafka's InsertField) sends
 * each event type to its own topic with its own template set from the definition store; the test consumes both
 * topics. The sink side chains the SMT with FileStreamSinkConnector: mapped records reach the sink, and a
 * record a template rejects goes to the dead letter queue with the template error, nothing lost.
 */
class TemplateTransformIT {

    private static final String TRANSFORM = "io.cdpconnect.template.TemplateTransform";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static ConnectTestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = ConnectTestCluster.builder().workers(1).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void routesTwoEventTypesToTwoTopicsWithTheirOwnTemplates() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.write(
                events,
                List.of(
                        "{\"event_id\": \"e-1\", \"event_type\": \"add_to_cart\", \"user_id\": \"u-1\", \"ts\": \"2026-11-23T10:00:00.123Z\","
                                + " \"properties\": {\"sku\": \"SKU-1\", \"qty\": 2, \"price\": 39.95}}",
                        "{\"event_id\": \"e-2\", \"event_type\": \"page_view\", \"anonymous_id\": \"a-9\", \"ts\": 1795428000,"
                                + " \"context\": {\"page\": {\"url\": \"https://shop.example/p/1?q=\\\"x\\\"\"}}}",
                        "{\"event_id\": \"e-3\", \"event_type\": \"add_to_cart\", \"user_id\": \"u-2\", \"ts\": \"2026-11-23T11:00:00Z\","
                                + " \"properties\": {\"sku\": \"SKU-2\", \"qty\": 1, \"price\": 5}}"),
                StandardCharsets.UTF_8);
        cluster.createTopic("events.add_to_cart", 1);
        cluster.createTopic("events.page_view", 1);
        cluster.createTopic("events.raw", 1); // the connector's own topic: every record must be routed away from it

        String definitions = JSON.writeValueAsString(Map.of(
                "add_to_cart",
                        Map.of(
                                "value",
                                "{\"event_id\": {{ value.event_id }}, \"sku\": {{ value.properties.sku }},"
                                        + " \"qty\": {{ value.properties.qty }}, \"amount\": {{ value.properties.qty * value.properties.price }},"
                                        + " \"at\": {{ value.ts|to_iso }}}"),
                "page_view",
                        Map.of(
                                "value",
                                "{\"event_id\": {{ value.event_id }}, \"url\": {{ value.context.page.url }},"
                                        + " \"at_ms\": {{ value.ts|to_epoch_millis('s') }}}",
                                "headers.page",
                                "{{ value.context.page.url|truncate(30) }}")));
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector");
        config.put("tasks.max", "1");
        config.put("file", events.toString());
        config.put("topic", "events.raw");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "false");
        config.put("transforms", "map,stamp");
        config.put("transforms.map.type", TRANSFORM);
        config.put("transforms.map.event.type.field", "event_type");
        config.put("transforms.map.definitions.inline", definitions);
        config.put("transforms.map.topic.template", "events.{{ value.event_type }}");
        config.put("transforms.map.key.template", "{{ value.user_id|default(value.anonymous_id) }}");
        config.put("transforms.map.headers.event-type.template", "{{ value.event_type }}");
        config.put("transforms.stamp.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.stamp.static.field", "pipeline");
        config.put("transforms.stamp.static.value", "it");
        cluster.putConnectorConfig("route-events", config);
        cluster.awaitRunning("route-events", 1);

        List<ConsumerRecord<byte[], byte[]>> carts = cluster.consume(2, Duration.ofSeconds(60), "events.add_to_cart");
        List<ConsumerRecord<byte[], byte[]>> views = cluster.consume(1, Duration.ofSeconds(60), "events.page_view");
        assertThat(carts).hasSize(2);
        assertThat(views).hasSize(1);

        JsonNode first = JSON.readTree(carts.get(0).value());
        assertThat(text(carts.get(0).key())).isEqualTo("u-1");
        // InsertField copies into a HashMap, so compare as JSON trees (field order aside)
        assertThat(first)
                .isEqualTo(JSON.readTree("{\"event_id\":\"e-1\",\"sku\":\"SKU-1\",\"qty\":2,\"amount\":79.9,"
                        + "\"at\":\"2026-11-23T10:00:00.123Z\",\"pipeline\":\"it\"}"));
        assertThat(JSON.readTree(carts.get(1).value()).get("amount").asInt()).isEqualTo(5);
        assertThat(header(carts.get(0), "event-type")).isEqualTo("add_to_cart");

        JsonNode view = JSON.readTree(views.get(0).value());
        assertThat(text(views.get(0).key())).isEqualTo("a-9");
        assertThat(view.get("url").asText()).isEqualTo("https://shop.example/p/1?q=\"x\"");
        assertThat(view.get("at_ms").asLong()).isEqualTo(1_795_428_000_000L);
        assertThat(header(views.get(0), "page")).isNotBlank();
        assertThat(cluster.consumeAll(Duration.ofSeconds(10), "events.raw")).isEmpty();
        cluster.deleteConnector("route-events");
    }

    @Test
    void mapsRecordsForASinkAndSendsRejectedOnesToTheDeadLetterQueue() throws Exception {
        cluster.createTopic("orders.raw", 1);
        Path out = dir.resolve("orders.out");
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", "orders.raw");
        config.put("file", out.toString());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("transforms", "map");
        config.put("transforms.map.type", TRANSFORM);
        config.put(
                "transforms.map.value.template",
                "{\"order\": {{ value.order_id }}, \"customer\": {{ value.customer_id }},"
                        + " \"total\": {{ value.total }}, \"status\": {{ value.status|upper }}, \"offset\": {{ offset }}}");
        config.put("transforms.map.on.undefined", "fail");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", "orders.dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        cluster.putConnectorConfig("orders-to-file", config);
        cluster.awaitRunning("orders-to-file", 1);

        cluster.produce(
                "orders.raw",
                "o-1001",
                "{\"order_id\": \"o-1001\", \"customer_id\": \"c-42\", \"status\": \"paid\","
                        + " \"currency\": \"EUR\", \"total\": 129.90, \"items\": []}");
        cluster.produce("orders.raw", "o-1002", "{\"order_id\": \"o-1002\", \"status\": \"paid\", \"total\": 5}");
        cluster.produce(
                "orders.raw",
                "o-1003",
                "{\"order_id\": \"o-1003\", \"customer_id\": \"c-7\", \"status\": \"new\", \"total\": 1234}");

        ConnectTestCluster.waitFor(
                Duration.ofSeconds(60),
                "two mapped orders in " + out,
                () -> Files.exists(out) && Files.readAllLines(out).size() >= 2);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines)
                .containsExactly(
                        "{order=o-1001, customer=c-42, total=129.90, status=PAID, offset=0}", // sink side: exact
                        "{order=o-1003, customer=c-7, total=1234, status=NEW, offset=2}");

        List<ConsumerRecord<byte[], byte[]>> dlq = cluster.consume(1, Duration.ofSeconds(60), "orders.dlq");
        assertThat(text(dlq.get(0).value())).contains("o-1002");
        assertThat(header(dlq.get(0), "__connect.errors.exception.message"))
                .contains("template 'value.template' line 1")
                .contains("'customer_id' is undefined");
        assertThat(cluster.connectorStatus("orders-to-file")
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
        cluster.deleteConnector("orders-to-file");
    }

    @Test
    void theWorkerValidatesTheTransformConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("name", "validate-only");
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector");
        config.put("topics", "x");
        config.put("transforms", "map");
        config.put("transforms.map.type", TRANSFORM);
        config.put("transforms.map.value.template", "{}");
        config.put("transforms.map.on.undefined", "sometimes");
        config.put("transforms.map.key.template", "{% for x in value.items %}no end");
        JsonNode answer = cluster.validateConfig("org.apache.kafka.connect.file.FileStreamSinkConnector", config);
        assertThat(errorsOf(answer, "transforms.map.on.undefined")).isNotEmpty();
        assertThat(errorsOf(answer, "transforms.map.key.template"))
                .anySatisfy(e -> assertThat(e).contains("does not parse").doesNotContain("endif"));
        assertThat(errorsOf(answer, "transforms.map.value.template")).isEmpty();
        List<String> all = new ArrayList<>();
        answer.path("configs")
                .forEach(c -> c.path("value")
                        .path("errors")
                        .forEach(e -> all.add(c.path("value").path("name").asText() + ": " + e.asText())));
        assertThat(all)
                .as("all validation errors")
                .hasSize(answer.path("error_count").asInt())
                .allSatisfy(e -> assertThat(e).startsWith("transforms.map."));
    }

    @Test
    void theWorkerReportsDefinitionMistakesAtValidation() {
        Map<String, String> config = new HashMap<>();
        config.put("name", "validate-definitions");
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector");
        config.put("topics", "x");
        config.put("transforms", "map");
        config.put("transforms.map.type", TRANSFORM);
        config.put("transforms.map.event.type.field", "event_type");
        config.put(
                "transforms.map.definitions.inline",
                "{\"page_view\": {\"value\": \"{\\\"a\\\": {{ value.x \"}, \"ok\": \"{}\"}");
        JsonNode answer = cluster.validateConfig("org.apache.kafka.connect.file.FileStreamSinkConnector", config);
        assertThat(errorsOf(answer, "transforms.map.definitions.inline"))
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .contains("page_view/value")
                        .contains("line 1")
                        .doesNotContain("ok/value"));

        config.remove("transforms.map.definitions.inline");
        config.put("transforms.map.definitions.source", "jdbc");
        answer = cluster.validateConfig("org.apache.kafka.connect.file.FileStreamSinkConnector", config);
        assertThat(errorsOf(answer, "transforms.map.definitions.jdbc.url"))
                .anySatisfy(e -> assertThat(e).contains("required when definitions.source=jdbc"));
        assertThat(answer.path("error_count").asInt()).isEqualTo(1);
    }

    @Test
    void theWorkerReportsBrokenHeaderTemplatesAndAnEmptyTemplateSetAtValidation() {
        String sink = "org.apache.kafka.connect.file.FileStreamSinkConnector";
        Map<String, String> config = new HashMap<>();
        config.put("name", "validate-headers");
        config.put("connector.class", sink);
        config.put("topics", "x");
        config.put("transforms", "map");
        config.put("transforms.map.type", TRANSFORM);
        config.put("transforms.map.value.template", "{}");
        config.put(
                "transforms.map.headers.templates",
                "{\"x-ok\": \"{{ value.a }}\", \"x-customer\": \"{{ value.a }}\\n{% if value.b %}open\"}");
        JsonNode answer = cluster.validateConfig(sink, config);
        assertThat(errorsOf(answer, "transforms.map.headers.templates"))
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .contains("header 'x-customer'")
                        .contains("line 2")
                        .doesNotContain("x-ok"));
        assertThat(answer.path("error_count").asInt()).isEqualTo(1);

        // the same header templates, fixed: no error; the deprecated form beside it is not seen by validation
        config.put("transforms.map.headers.templates", "{\"x-customer\": \"{{ value.a }}\"}");
        config.put("transforms.map.headers.legacy.template", "{{ value.b }}");
        assertThat(cluster.validateConfig(sink, config).path("error_count").asInt())
                .isZero();

        // no template at all, and inline definitions that define none
        config.remove("transforms.map.value.template");
        config.remove("transforms.map.headers.templates");
        config.remove("transforms.map.headers.legacy.template");
        answer = cluster.validateConfig(sink, config);
        assertThat(errorsOf(answer, "transforms.map.value.template"))
                .singleElement()
                .satisfies(e -> assertThat(e).contains("no templates"));
        config.put("transforms.map.event.type.field", "event_type");
        config.put("transforms.map.definitions.inline", "{\"page_view\": {}}");
        answer = cluster.validateConfig(sink, config);
        assertThat(errorsOf(answer, "transforms.map.value.template"))
                .singleElement()
                .satisfies(e -> assertThat(e).contains("no templates").contains("definitions.inline"));
        assertThat(answer.path("error_count").asInt()).isEqualTo(1);
    }

    private static List<String> errorsOf(JsonNode answer, String name) {
        List<String> errors = new ArrayList<>();
        for (JsonNode c : answer.path("configs")) {
            if (c.path("value").path("name").asText().equals(name)) {
                c.path("value").path("errors").forEach(e -> errors.add(e.asText()));
            }
        }
        return errors;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
