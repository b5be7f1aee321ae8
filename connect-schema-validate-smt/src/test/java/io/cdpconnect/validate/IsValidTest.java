/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IsValidTest {

    private final IsValid<SinkRecord> predicate = new IsValid<>();

    @AfterEach
    void close() {
        predicate.close();
    }

    private Predicate<SinkRecord> configure(String... kv) {
        Map<String, Object> props = new HashMap<>();
        props.put("definitions.inline", Events.inlineSchemas());
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        predicate.configure(props);
        return predicate;
    }

    private static SinkRecord record(Object key, Object value) {
        return new SinkRecord("events.raw", 0, null, key, null, value, 1L);
    }

    @Test
    void trueForValidFalseForInvalidInEveryShape() {
        configure();
        assertThat(predicate.test(record(null, Events.map(1)))).isTrue();
        assertThat(predicate.test(record(null, Events.struct(1)))).isTrue();
        assertThat(predicate.test(record(null, Events.json(1)))).isTrue();
        assertThat(predicate.test(record(null, Events.map(0)))).isFalse();
        assertThat(predicate.test(record(null, Events.json(0).getBytes()))).isFalse();
        assertThat(predicate.test(record(null, "not json"))).isFalse();
        assertThat(predicate.test(record(null, null))).as("tombstone").isTrue();
    }

    @Test
    void unknownTypesAreInvalidUnlessConfigured() {
        Map<String, Object> other = Events.map(1);
        other.put("event_type", "page_view");
        configure();
        assertThat(predicate.test(record(null, other))).isFalse();
        predicate.close();
        configure("unknown.type.valid", "true");
        assertThat(predicate.test(record(null, other))).isTrue();
    }

    @Test
    void canValidateTheKey() {
        configure(
                "validate.key",
                "true",
                "event.type.source",
                "topic",
                "definitions.inline",
                "{\"events.raw\": {\"type\": \"string\", \"pattern\": \"^u-\"}}");
        // value.string.format=auto: a key that is not a JSON object or array is the string it is
        assertThat(predicate.test(new SinkRecord("events.raw", 0, Schema.STRING_SCHEMA, "u-1", null, 1, 1L)))
                .isTrue();
        assertThat(predicate.test(new SinkRecord("events.raw", 0, null, Map.of("id", 1), null, 1, 1L)))
                .isFalse();
        predicate.close();
        configure(
                "validate.key",
                "true",
                "event.type.source",
                "topic",
                "value.string.format",
                "json",
                "definitions.inline",
                "{\"events.raw\": {\"type\": \"string\", \"pattern\": \"^u-\"}}");
        assertThat(predicate.test(new SinkRecord("events.raw", 0, Schema.STRING_SCHEMA, "\"u-1\"", null, 1, 1L)))
                .isTrue();
        assertThat(predicate.test(new SinkRecord("events.raw", 0, Schema.STRING_SCHEMA, "u-1", null, 1, 1L)))
                .as("not JSON text")
                .isFalse();
    }

    @Test
    void combinesWithKafkasFilterThroughTheConnectApi() {
        // the predicate is what a connector config names in predicates.<name>.type; its ConfigDef is documented
        assertThat(predicate.config().names()).contains("unknown.type.valid", "definitions.source");
        assertThat(predicate.version()).isNotBlank();
    }
}
