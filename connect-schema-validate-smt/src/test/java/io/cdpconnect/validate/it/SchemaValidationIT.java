/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate.it;

import static io.cdpconnect.testing.ConnectTestCluster.text;
import static io.cdpconnect.testing.ConnectTestCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.ConnectTestCluster;
import io.cdpconnect.testing.DefinitionTables;
import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.validate.Events;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin as a user installs it (from its plugin folder, through Connect's plugin isolation) on a real embedded
 * Kafka + Connect cluster: a FileStreamSink connector runs the validation SMT with errors.tolerance=all and a dead
 * letter queue; another filters with the IsValid predicate; a third reads its schemas from PostgreSQL and picks up
 * a changed row without restart.
 */
class SchemaValidationIT {

    private static final String VALIDATE = "io.cdpconnect.validate.JsonSchemaValidation$Value";
    private static final String IS_VALID = "io.cdpconnect.validate.IsValid";
    private static final String FILE_SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static ConnectTestCluster cluster;
    private static Path workDir;

    @BeforeAll
    static void start() throws Exception {
        workDir = Files.createTempDirectory("validate-it");
        cluster = ConnectTestCluster.builder().workers(1).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Map<String, Object> sinkConfig(String topic, Path file) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("connector.class", FILE_SINK);
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("file", file.toString());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "false");
        return config;
    }

    private static Map<String, Object> withDlq(Map<String, Object> config, String dlq) {
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    private static String event(String id, String type, int qty) {
        return Events.json(qty).replace(Events.EVENT_ID, id).replace("\"add_to_cart\"", "\"" + type + "\"");
    }

    private static String id(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void invalidRecordsLandInTheDeadLetterQueueWithTheirErrorsAndValidOnesReachTheSink() throws Exception {
        String topic = "events.dlq-test";
        Path file = workDir.resolve("valid.txt");
        cluster.createTopic(topic, 1);
        Map<String, Object> config = withDlq(sinkConfig(topic, file), "events.dlq");
        config.put("transforms", "validate");
        config.put("transforms.validate.type", VALIDATE);
        config.put("transforms.validate.definitions.inline", Events.inlineSchemas());
        config.put("transforms.validate.metrics.scope", "dlq-it");
        config.put("transforms.validate.metrics.alias", "validate");
        cluster.putConnectorConfig("validate-dlq", config);
        cluster.awaitRunning("validate-dlq", 1);

        cluster.produce(topic, "u-1", event(id(1), "add_to_cart", 1));
        cluster.produce(topic, "u-1", event(id(2), "add_to_cart", 0)); // qty below minimum
        cluster.produce(topic, "u-1", event(id(3), "add_to_cart", 2));
        cluster.produce(topic, "u-1", event(id(4), "add_to_cart", 1).replace("2026-11-23T10:00:00.123Z", "noon"));
        cluster.produce(topic, "u-1", event(id(5), "page_view", 1)); // no schema
        cluster.produce(topic, "u-1", event(id(6), "add_to_cart", 3));

        List<ConsumerRecord<byte[], byte[]>> dead = cluster.consume(3, TIMEOUT, "events.dlq");
        waitFor(TIMEOUT, "3 valid lines in " + file, () -> lines(file).size() >= 3);

        assertThat(dead).hasSize(3);
        assertThat(dead)
                .extracting(r -> text(r.value()))
                .allSatisfy(v -> assertThat(v).contains("\"event_id\""));
        ConsumerRecord<byte[], byte[]> qty = dead.get(0);
        assertThat(text(qty.value())).contains(id(2));
        assertThat(header(qty, "__connect.errors.stage")).isEqualTo("TRANSFORMATION");
        assertThat(header(qty, "__connect.errors.class.name")).isEqualTo(VALIDATE);
        assertThat(header(qty, "__connect.errors.exception.class.name"))
                .isEqualTo("org.apache.kafka.connect.errors.DataException");
        assertThat(header(qty, "__connect.errors.topic")).isEqualTo(topic);
        assertThat(header(qty, "__connect.errors.exception.message"))
                .contains("add_to_cart v1")
                .contains("/properties/qty minimum: must have a minimum value of 1")
                .contains("\"path\":\"/properties/qty\",\"keyword\":\"minimum\"");
        assertThat(header(dead.get(1), "__connect.errors.exception.message"))
                .contains(id(4).substring(0, 0))
                .contains("/ts format");
        assertThat(header(dead.get(2), "__connect.errors.exception.message"))
                .contains("page_view: no schema for this event type");

        List<String> written = lines(file);
        assertThat(written).hasSize(3);
        assertThat(String.join("\n", written)).contains(id(1), id(3), id(6)).doesNotContain(id(2), id(4), id(5));

        // counters per event type, as JMX exposes them in the worker
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName addToCart = new ObjectName(
                "io.cdpconnect.validate:type=JsonSchemaValidation,scope=\"dlq-it\"," + "event_type=\"add_to_cart\"");
        ObjectName pageView = new ObjectName(
                "io.cdpconnect.validate:type=JsonSchemaValidation,scope=\"dlq-it\"," + "event_type=\"page_view\"");
        assertThat(jmx.getAttribute(addToCart, "Valid")).isEqualTo(3L);
        assertThat(jmx.getAttribute(addToCart, "Invalid")).isEqualTo(2L);
        assertThat(jmx.getAttribute(pageView, "Unknown")).isEqualTo(1L);
        // the bundle's convention: tagged by the connector and task the worker names in its logging context
        ObjectName task = new ObjectName("cdp.validation:connector=\"validate-dlq\",task=\"0\",alias=\"validate\"");
        assertThat(jmx.getAttribute(task, "records-valid")).isEqualTo(3L);
        assertThat(jmx.getAttribute(task, "records-invalid")).isEqualTo(2L);
        assertThat(jmx.getAttribute(task, "records-unknown")).isEqualTo(1L);
        assertThat(jmx.getAttribute(task, "definitions-loaded")).isEqualTo(1L);
        assertThat(jmx.getAttribute(
                        new ObjectName("cdp.validation:connector=\"validate-dlq\",task=\"0\","
                                + "alias=\"validate\",event_type=\"add_to_cart\""),
                        "records-valid"))
                .isEqualTo(3L);
        cluster.deleteConnector("validate-dlq");
    }

    @Test
    void connectValidatesTheSmtSettingsThroughItsRestApi() {
        Map<String, Object> config = sinkConfig("events.any", workDir.resolve("never.txt"));
        config.put("name", "validate-check");
        config.put("transforms", "validate");
        config.put("transforms.validate.type", VALIDATE);
        config.put("transforms.validate.on.invalid", "ignore");
        config.put("transforms.validate.definitions.inline", "[1, 2]");
        com.fasterxml.jackson.databind.JsonNode answer = cluster.validateConfig(FILE_SINK, config);

        Map<String, String> errors = new java.util.TreeMap<>();
        answer.path("configs").forEach(c -> {
            if (c.path("value").path("errors").size() > 0) {
                errors.put(
                        c.path("value").path("name").asText(),
                        c.path("value").path("errors").toString());
            }
        });
        assertThat(errors).containsOnlyKeys("transforms.validate.on.invalid", "transforms.validate.definitions.inline");
        assertThat(errors.get("transforms.validate.definitions.inline")).contains("JSON object");
        assertThat(answer.path("error_count").asInt()).isEqualTo(2);

        // a schema that does not compile, by event type and version; a jdbc source without its URL
        config.put("transforms.validate.on.invalid", "fail");
        config.put(
                "transforms.validate.definitions.inline",
                "{\"ok\": {\"type\": \"object\"}," + " \"bad_ref\": {\"$ref\": \"cdp://schemas/missing\"}}");
        answer = cluster.validateConfig(FILE_SINK, config);
        assertThat(answer.path("error_count").asInt()).isEqualTo(1);
        assertThat(answer.toString()).contains("bad_ref/1").doesNotContain("ok/1");
        config.remove("transforms.validate.definitions.inline");
        config.put("transforms.validate.definitions.source", "jdbc");
        answer = cluster.validateConfig(FILE_SINK, config);
        assertThat(answer.path("error_count").asInt()).isEqualTo(1);
        assertThat(answer.toString())
                .contains("transforms.validate.definitions.jdbc.url")
                .contains("required when definitions.source=jdbc");
    }

    @Test
    void isValidPredicateDrivesKafkasFilter() throws Exception {
        String topic = "events.filter-test";
        Path file = workDir.resolve("filtered.txt");
        cluster.createTopic(topic, 1);
        Map<String, Object> config = sinkConfig(topic, file);
        config.put("transforms", "dropInvalid");
        config.put("transforms.dropInvalid.type", "org.apache.kafka.connect.transforms.Filter");
        config.put("transforms.dropInvalid.predicate", "valid");
        config.put("transforms.dropInvalid.negate", "true");
        config.put("predicates", "valid");
        config.put("predicates.valid.type", IS_VALID);
        config.put("predicates.valid.definitions.inline", Events.inlineSchemas());
        cluster.putConnectorConfig("validate-filter", config);
        cluster.awaitRunning("validate-filter", 1);

        cluster.produce(topic, "u-1", event(id(11), "add_to_cart", 0));
        cluster.produce(topic, "u-1", event(id(12), "add_to_cart", 1));
        cluster.produce(topic, "u-1", event(id(13), "page_view", 1));
        cluster.produce(topic, "u-1", event(id(14), "add_to_cart", 5));

        waitFor(TIMEOUT, "2 valid lines", () -> lines(file).size() >= 2);
        Thread.sleep(1500); // nothing else may arrive
        assertThat(String.join("\n", lines(file))).contains(id(12), id(14)).doesNotContain(id(11), id(13));
        assertThat(lines(file)).hasSize(2);
        cluster.deleteConnector("validate-filter");
    }

    @Test
    void aSchemaChangedInPostgresAppliesWithoutRestartingTheConnector() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("validate_it");
        String upsert = "INSERT INTO event_schemas VALUES ('add_to_cart', 1, ?::jsonb, now())"
                + " ON CONFLICT (event_type, version) DO UPDATE SET schema = excluded.schema, updated_at = now()";
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement();
                PreparedStatement ps = c.prepareStatement(upsert)) {
            s.execute(DefinitionTables.EVENT_SCHEMAS);
            ps.setString(1, Events.addToCartSchema());
            ps.executeUpdate();
        }
        String topic = "events.reload-test";
        Path file = workDir.resolve("reload.txt");
        cluster.createTopic(topic, 1);
        Map<String, Object> config = withDlq(sinkConfig(topic, file), "events.reload.dlq");
        config.put("transforms", "validate");
        config.put("transforms.validate.type", VALIDATE);
        config.put("transforms.validate.definitions.source", "jdbc");
        config.put("transforms.validate.definitions.jdbc.url", url);
        config.put("transforms.validate.definitions.jdbc.user", pg.user());
        config.put("transforms.validate.definitions.jdbc.password", pg.password());
        config.put("transforms.validate.definitions.refresh.ms", "500");
        cluster.putConnectorConfig("validate-reload", config);
        cluster.awaitRunning("validate-reload", 1);

        cluster.produce(topic, "u-1", event(id(21), "add_to_cart", 20));
        waitFor(TIMEOUT, "qty 20 to pass the first contract", () -> lines(file).size() == 1);

        // tighten the contract in the database only
        try (Connection c = pg.connect(url);
                PreparedStatement ps = c.prepareStatement(upsert)) {
            ps.setString(1, Events.addToCartSchema().replace("\"minimum\": 1", "\"minimum\": 1, \"maximum\": 10"));
            ps.executeUpdate();
        }
        int[] probe = {100};
        waitFor(TIMEOUT, "the changed schema row to reject qty 20", () -> {
            cluster.produce(topic, "u-1", event(id(++probe[0]), "add_to_cart", 20));
            return !cluster.consumeAll(Duration.ofSeconds(5), "events.reload.dlq")
                    .isEmpty();
        });
        List<ConsumerRecord<byte[], byte[]>> dead = cluster.consumeAll(Duration.ofSeconds(5), "events.reload.dlq");
        assertThat(header(dead.get(0), "__connect.errors.exception.message"))
                .contains("/properties/qty maximum: must have a maximum value of 10");

        cluster.produce(topic, "u-1", event(id(99), "add_to_cart", 10));
        waitFor(
                TIMEOUT,
                "qty 10 to pass the new contract",
                () -> String.join("\n", lines(file)).contains(id(99)));
        assertThat(cluster.connectorStatus("validate-reload")
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
        cluster.deleteConnector("validate-reload");
    }
}
