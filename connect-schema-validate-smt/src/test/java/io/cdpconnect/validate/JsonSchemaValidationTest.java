/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSchemaValidationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private JsonSchemaValidation<SinkRecord> smt;

    @AfterEach
    void close() {
        if (smt != null) {
            smt.close();
        }
    }

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> props = new HashMap<>();
        props.put("definitions.inline", Events.inlineSchemas());
        props.put("definitions.refresh.ms", "0");
        for (int i = 0; i < kv.length; i += 2) {
            props.put((String) kv[i], kv[i + 1]);
        }
        return props;
    }

    private JsonSchemaValidation<SinkRecord> value(Object... kv) {
        smt = new JsonSchemaValidation.Value<>();
        smt.configure(props(kv));
        return smt;
    }

    private static SinkRecord record(Schema schema, Object value) {
        return new SinkRecord("events.raw", 0, null, "u-1", schema, value, 42L);
    }

    @Test
    void validRecordsPassUnchangedInEveryShape() {
        value();
        for (SinkRecord record : new SinkRecord[] {
            record(Events.EVENT, Events.struct(1)),
            record(null, Events.map(2)),
            record(Schema.STRING_SCHEMA, Events.json(3)),
            record(Schema.BYTES_SCHEMA, Events.json(4).getBytes(StandardCharsets.UTF_8)),
            record(null, ByteBuffer.wrap(Events.json(5).getBytes(StandardCharsets.UTF_8)))
        }) {
            assertThat(smt.apply(record))
                    .as(record.value().getClass().getSimpleName())
                    .isSameAs(record);
        }
    }

    @Test
    void invalidRecordsFailInEveryShapeWithTypeVersionAndPath() {
        value();
        for (SinkRecord record : new SinkRecord[] {
            record(Events.EVENT, Events.struct(0)),
            record(null, Events.map(0)),
            record(Schema.STRING_SCHEMA, Events.json(0)),
            record(Schema.BYTES_SCHEMA, Events.json(0).getBytes(StandardCharsets.UTF_8))
        }) {
            assertThatThrownBy(() -> smt.apply(record))
                    .as(record.value().getClass().getSimpleName())
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("events.raw-0@42")
                    .hasMessageContaining("add_to_cart v1")
                    .hasMessageContaining("/properties/qty minimum");
        }
    }

    @Test
    void textThatIsNotJsonIsInvalid() {
        value();
        assertThatThrownBy(() -> smt.apply(record(Schema.STRING_SCHEMA, "{not json")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("json: value is not valid JSON");
    }

    @Test
    void tombstonesPass() {
        value();
        SinkRecord tombstone = record(null, null);
        assertThat(smt.apply(tombstone)).isSameAs(tombstone);
    }

    @Test
    void dropRemovesInvalidRecordsAndCountsThem() throws Exception {
        value("on.invalid", "drop", "metrics.scope", "drop-test");
        assertThat(smt.apply(record(null, Events.map(0)))).isNull();
        assertThat(smt.apply(record(null, Events.map(0)))).isNull();
        SinkRecord valid = record(null, Events.map(1));
        assertThat(smt.apply(valid)).isSameAs(valid);

        ObjectName name = ValidationMetrics.objectName("drop-test", "add_to_cart");
        var server = ManagementFactory.getPlatformMBeanServer();
        assertThat(server.getAttribute(name, "Invalid")).isEqualTo(2L);
        assertThat(server.getAttribute(name, "Dropped")).isEqualTo(2L);
        assertThat(server.getAttribute(name, "Valid")).isEqualTo(1L);
        smt.close();
        smt = null;
        assertThat(server.isRegistered(name))
                .as("unregistered with the last instance")
                .isFalse();
    }

    @Test
    void routeSendsInvalidRecordsToTheInvalidTopicWithBoundedErrorHeaders() throws Exception {
        value("on.invalid", "route");
        Map<String, Object> event = Events.map(0);
        event.put("ts", "yesterday");
        event.remove("user_id");
        event.remove("anonymous_id");
        SinkRecord record = new SinkRecord(
                "events.raw",
                3,
                null,
                "u-1",
                null,
                event,
                7L,
                1000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                new ConnectHeaders().addString("trace", "t1"));

        SinkRecord routed = smt.apply(record);

        assertThat(routed.topic()).isEqualTo("events.raw.invalid");
        assertThat(routed.kafkaPartition()).isEqualTo(3);
        assertThat(routed.value()).isSameAs(event);
        assertThat(routed.key()).isEqualTo("u-1");
        assertThat(routed.headers().lastWithName("trace").value()).isEqualTo("t1");
        assertThat(routed.headers().lastWithName("cdp.validation.event.type").value())
                .isEqualTo("add_to_cart");
        assertThat(routed.headers()
                        .lastWithName("cdp.validation.schema.version")
                        .value())
                .isEqualTo(1);
        JsonNode errors = MAPPER.readTree(
                (String) routed.headers().lastWithName("cdp.validation.errors").value());
        assertThat(routed.headers().lastWithName("cdp.validation.error.count").value())
                .isEqualTo(errors.size());
        assertThat(errors.findValuesAsText("path")).contains("/properties/qty", "/ts", "");
        assertThat(errors.findValuesAsText("keyword"))
                .containsExactlyInAnyOrder(
                        "minimum", "format", "required", "required"); // anyOf reports its failing branches
        assertThat(errors.findValuesAsText("message")).contains("required property 'user_id' not found");
        assertThat(record.headers().lastWithName("cdp.validation.errors"))
                .as("original untouched")
                .isNull();
    }

    @Test
    void errorHeadersAreBoundedBySizeAndCount() throws Exception {
        value(
                "on.invalid",
                "route",
                "on.invalid.topic",
                "dead.${topic}",
                "validation.errors.max",
                "2",
                "validation.errors.header.max.bytes",
                "256");
        Map<String, Object> event = Events.map(0);
        event.put("ts", "yesterday");
        event.put("event_id", "not-a-uuid");
        event.put("event_type", "add_to_cart");
        SinkRecord routed = smt.apply(record(null, event));
        assertThat(routed.topic()).isEqualTo("dead.events.raw");
        String json =
                (String) routed.headers().lastWithName("cdp.validation.errors").value();
        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256);
        assertThat(MAPPER.readTree(json).size()).isBetween(1, 2);
        assertThat(routed.headers().lastWithName("cdp.validation.error.count").value())
                .as("uuid, date-time, minimum")
                .isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fail", "pass", "drop"})
    void unknownEventTypesFollowThePolicy(String policy) {
        value("on.unknown.type", policy);
        Map<String, Object> event = Events.map(1);
        event.put("event_type", "page_view");
        SinkRecord record = record(null, event);
        switch (policy) {
            case "fail" ->
                assertThatThrownBy(() -> smt.apply(record))
                        .isInstanceOf(DataException.class)
                        .hasMessageContaining("page_view: no schema for this event type");
            case "pass" -> assertThat(smt.apply(record)).isSameAs(record);
            default -> assertThat(smt.apply(record)).isNull();
        }
    }

    @Test
    void recordsWithoutTypeUseTheDefaultSchemaOrTheUnknownPolicy() {
        value();
        Map<String, Object> event = Events.map(0);
        event.remove("event_type");
        assertThatThrownBy(() -> smt.apply(record(null, event)))
                .hasMessageContaining("has no event type in its field 'event_type'");
        smt.close();

        value(
                "schema.default.event.type",
                "generic",
                "definitions.inline",
                "{\"generic\": {\"required\": [\"event_id\"]}}");
        SinkRecord withId = record(null, event);
        assertThat(smt.apply(withId)).isSameAs(withId);
        event.remove("event_id");
        assertThatThrownBy(() -> smt.apply(record(null, event)))
                .hasMessageContaining("generic v1")
                .hasMessageContaining("required");
    }

    @Test
    void eventTypeFromNestedFieldHeaderOrTopic() {
        value("event.type.field", "meta.type", "definitions.inline", "{\"a\": {\"required\": [\"x\"]}}");
        SinkRecord nested = record(null, Map.of("meta", Map.of("type", "a"), "x", 1));
        assertThat(smt.apply(nested)).isSameAs(nested);
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("meta", Map.of("type", "a")))))
                .hasMessageContaining("a v1");
        smt.close();

        value(
                "event.type.source",
                "header",
                "event.type.header",
                "type",
                "definitions.inline",
                "{\"a\": {\"required\": [\"x\"]}}");
        SinkRecord withHeader = new SinkRecord(
                "t",
                0,
                null,
                null,
                null,
                Map.of("y", 1),
                1L,
                null,
                org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE,
                new ConnectHeaders().add("type", "a".getBytes(StandardCharsets.UTF_8), Schema.BYTES_SCHEMA));
        assertThatThrownBy(() -> smt.apply(withHeader))
                .hasMessageContaining("a v1")
                .hasMessageContaining("required");
        smt.close();

        value("event.type.source", "topic", "definitions.inline", "{\"events.raw\": {\"required\": [\"x\"]}}");
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("y", 1)))).hasMessageContaining("events.raw v1");
    }

    @Test
    void schemaVersionFieldSelectsTheVersionAndLatestIsTheDefault() {
        value(
                "schema.version.field",
                "schema_version",
                "definitions.inline",
                "{\"a\": {\"1\": {\"required\": [\"x\"]}, \"2\": {\"required\": [\"x\", \"y\"]}}}");
        SinkRecord v1 = record(null, Map.of("event_type", "a", "schema_version", 1, "x", 1));
        assertThat(smt.apply(v1)).isSameAs(v1);
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("event_type", "a", "x", 1))))
                .as("latest is v2")
                .hasMessageContaining("a v2")
                .hasMessageContaining("'y'");
        SinkRecord v2Text = record(null, Map.of("event_type", "a", "schema_version", "v2", "x", 1, "y", 2));
        assertThat(smt.apply(v2Text)).isSameAs(v2Text);
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("event_type", "a", "schema_version", 7, "x", 1))))
                .hasMessageContaining("no schema version 7 for this event type (latest is 2)");
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("event_type", "a", "schema_version", "beta"))))
                .hasMessageContaining("schema version is not a non-negative integer");
    }

    @Test
    void formatAssertionsCanBeSwitchedOff() {
        Map<String, Object> event = Events.map(1);
        event.put("ts", "yesterday");
        value();
        assertThatThrownBy(() -> smt.apply(record(null, event))).hasMessageContaining("/ts format");
        smt.close();
        value("schema.format.assertions", "false");
        SinkRecord record = record(null, event);
        assertThat(smt.apply(record)).as("2020-12: format is an annotation").isSameAs(record);
    }

    @Test
    void defaultDraftAppliesToSchemasWithoutDollarSchema() {
        // dependentRequired exists since 2019-09; draft 7 ignores it as an unknown keyword
        String inline = "{\"a\": {\"dependentRequired\": {\"x\": [\"y\"]}}}";
        Map<String, Object> event = Map.of("event_type", "a", "x", 1);
        value("definitions.inline", inline);
        assertThatThrownBy(() -> smt.apply(record(null, event))).hasMessageContaining("dependentRequired");
        smt.close();
        value("definitions.inline", inline, "schema.draft", "2019-09");
        assertThatThrownBy(() -> smt.apply(record(null, event))).hasMessageContaining("dependentRequired");
        smt.close();
        value("definitions.inline", inline, "schema.draft", "7");
        SinkRecord record = record(null, event);
        assertThat(smt.apply(record)).isSameAs(record);
        smt.close();
        // a schema's own $schema wins over the default
        value(
                "definitions.inline",
                "{\"a\": {\"$schema\": \"http://json-schema.org/draft-07/schema#\","
                        + " \"dependentRequired\": {\"x\": [\"y\"]}}}");
        assertThat(smt.apply(record)).isSameAs(record);
    }

    @Test
    void refsToLocalDefinitionsAndOtherStoredSchemasWork() {
        value(
                "definitions.inline",
                "{\"money\": {\"type\": \"number\", \"minimum\": 0},"
                        + " \"a\": {\"properties\": {\"price\": {\"$ref\": \"cdp://schemas/money\"},"
                        + " \"tax\": {\"$ref\": \"../money/1\"}, \"qty\": {\"$ref\": \"#/$defs/qty\"}},"
                        + " \"$defs\": {\"qty\": {\"type\": \"integer\", \"minimum\": 1}}}}");
        SinkRecord ok = record(null, Map.of("event_type", "a", "price", 1, "tax", 0, "qty", 1));
        assertThat(smt.apply(ok)).isSameAs(ok);
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("event_type", "a", "price", -1))))
                .hasMessageContaining("/price minimum");
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("event_type", "a", "tax", -1))))
                .hasMessageContaining("/tax minimum");
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("event_type", "a", "qty", 0))))
                .hasMessageContaining("/qty minimum");
    }

    @Test
    void remoteRefsAreRefusedUnlessAllowed() {
        String inline = "{\"a\": {\"properties\": {\"x\": {\"$ref\": \"https://schemas.example.com/x.json\"}}},"
                + " \"b\": {\"properties\": {\"x\": {\"$ref\": \"file:///etc/passwd\"}}}}";
        assertThatThrownBy(() -> value("definitions.inline", inline))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining("a/1")
                .hasMessageContaining("b/1")
                .hasMessageContaining("$ref to https://schemas.example.com/x.json refused")
                .hasMessageContaining("schema.remote.refs.allowed=true");
        smt = null;
    }

    @Test
    void remoteRefsLoadWhenAllowed() throws Exception {
        com.sun.net.httpserver.HttpServer server =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] remote = "{\"type\": \"integer\", \"minimum\": 5}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/x.json", exchange -> {
            exchange.sendResponseHeaders(200, remote.length);
            exchange.getResponseBody().write(remote);
            exchange.close();
        });
        server.start();
        try {
            String inline = "{\"a\": {\"properties\": {\"x\": {\"$ref\": \"http://127.0.0.1:"
                    + server.getAddress().getPort() + "/x.json\"}}}}";
            assertThatThrownBy(() -> value("definitions.inline", inline)).hasMessageContaining("refused");
            value("definitions.inline", inline, "schema.remote.refs.allowed", "true");
            SinkRecord ok = record(null, Map.of("event_type", "a", "x", 5));
            assertThat(smt.apply(ok)).isSameAs(ok);
            assertThatThrownBy(() -> smt.apply(record(null, Map.of("event_type", "a", "x", 4))))
                    .hasMessageContaining("/x minimum");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void brokenSchemasFromADirectoryAreSkippedWithTheirErrorKept(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(
                dir.resolve("a.json"), "{\"properties\": {\"x\": {\"$ref\": \"http://schemas.example.com/x.json\"}}}");
        java.nio.file.Files.writeString(dir.resolve("b.json"), "{\"required\": [\"x\"]}");
        // definitions.on.invalid=fail (default) fails the start; skip starts without the broken one
        value(
                "definitions.source",
                "directory",
                "definitions.directory",
                dir.toString(),
                "definitions.on.invalid",
                "skip");
        assertThat(validatorOf(smt).schemas().errors()).containsOnlyKeys("a/1");
        assertThat(validatorOf(smt).schemas().errors().get("a/1")).contains("refused");
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("event_type", "a", "x", 1))))
                .hasMessageContaining("no schema for this event type");
        assertThatThrownBy(() -> smt.apply(record(null, Map.of("event_type", "b"))))
                .hasMessageContaining("b v1");
    }

    @Test
    void keyVariantValidatesKeys() {
        JsonSchemaValidation<SourceRecord> key = new JsonSchemaValidation.Key<>();
        try {
            key.configure(props(
                    "event.type.source",
                    "topic",
                    "definitions.inline",
                    "{\"users\": {\"type\": \"object\", \"required\": [\"user_id\"]}}"));
            SourceRecord ok =
                    new SourceRecord(null, null, "users", null, null, Map.of("user_id", "u-1"), null, Map.of("x", 1));
            assertThat(key.apply(ok)).isSameAs(ok);
            SourceRecord bad = new SourceRecord(
                    null, null, "users", null, Schema.STRING_SCHEMA, "{\"id\": 1}", null, Map.of("user_id", "u-1"));
            assertThatThrownBy(() -> key.apply(bad))
                    .hasMessageContaining("users v1")
                    .hasMessageContaining("user_id");
        } finally {
            key.close();
        }
    }

    @Test
    void invalidConfigIsRejectedWithTheKeyName() {
        assertThatThrownBy(() -> value("on.invalid", "ignore")).hasMessageContaining("on.invalid");
        assertThatThrownBy(() -> value("schema.draft", "4")).hasMessageContaining("schema.draft");
        assertThatThrownBy(() -> value("event.type.field", "a..b")).hasMessageContaining("event.type.field");
        assertThatThrownBy(() -> value("definitions.source", "jdbc")).hasMessageContaining("definitions.jdbc.url");
        smt = null;
    }

    @Test
    void everyConfigKeyIsDocumentedGroupedAndDefaulted() {
        JsonSchemaValidationConfig.CONFIG_DEF.configKeys().values().forEach(key -> {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
            assertThat(key.hasDefault()).as(key.name).isTrue();
        });
        assertThat(JsonSchemaValidationConfig.CONFIG_DEF.names())
                .contains(
                        "definitions.jdbc.password",
                        "on.invalid",
                        "on.unknown.type",
                        "schema.remote.refs.allowed",
                        "event.type.field");
        assertThat(new JsonSchemaValidation.Value<SinkRecord>().version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    static RecordValidator validatorOf(JsonSchemaValidation<?> smt) {
        try {
            var field = JsonSchemaValidation.class.getDeclaredField("validator");
            field.setAccessible(true);
            return (RecordValidator) field.get(smt);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unused")
    private static Header header(SinkRecord r, String name) {
        return r.headers().lastWithName(name);
    }
}
