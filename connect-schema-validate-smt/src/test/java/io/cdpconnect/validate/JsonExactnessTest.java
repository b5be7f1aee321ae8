/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the validation SMT reads is exactly what the record holds: no trailing text, exact numbers, strings. */
class JsonExactnessTest {

    private JsonSchemaValidation<SinkRecord> smt;

    @AfterEach
    void close() {
        if (smt != null) {
            smt.close();
        }
    }

    private JsonSchemaValidation<SinkRecord> smt(String inline, String... kv) {
        Map<String, Object> props = new HashMap<>();
        props.put("definitions.inline", inline);
        props.put("definitions.refresh.ms", "0");
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        smt = new JsonSchemaValidation.Value<>();
        smt.configure(props);
        return smt;
    }

    private static SinkRecord record(Schema schema, Object value) {
        return new SinkRecord("events.raw", 0, null, "u-1", schema, value, 42L);
    }

    @Test
    void textAfterTheJsonDocumentMakesTheRecordInvalid() {
        smt(Events.inlineSchemas());
        String valid = Events.json(1);
        assertThat(smt.apply(record(null, valid))).isNotNull();
        for (String text : new String[] {valid + " not json", valid + valid, valid + "]"}) {
            assertThatThrownBy(() -> smt.apply(record(null, text)))
                    .as(text)
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("not valid JSON");
            assertThatThrownBy(() -> smt.apply(record(Schema.BYTES_SCHEMA, text.getBytes(StandardCharsets.UTF_8))))
                    .as(text)
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("not valid JSON");
        }
    }

    @Test
    void trailingTextIsRoutedLikeAnyInvalidRecord() {
        smt(Events.inlineSchemas(), "on.invalid", "route");
        SinkRecord out = smt.apply(record(null, "{\"event_type\":\"add_to_cart\"} not json"));
        assertThat(out.topic()).isEqualTo("events.raw.invalid");
    }

    @Test
    void aJsonStringDatumIsValidatedAsTheStringItIs() {
        String names = "{\"name\": {\"type\": \"string\", \"minLength\": 2}}";
        smt(names, "schema.default.event.type", "name", "event.type.source", "header");
        // JsonConverter turns the JSON datum "foo" into the Java String foo
        assertThat(smt.apply(record(Schema.STRING_SCHEMA, "foo"))).isNotNull();
        assertThatThrownBy(() -> smt.apply(record(Schema.STRING_SCHEMA, "f")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("minLength");
        smt.close();
        smt(names, "schema.default.event.type", "name", "event.type.source", "header", "value.string.format", "json");
        assertThatThrownBy(() -> smt.apply(record(Schema.STRING_SCHEMA, "foo")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("not valid JSON");
        assertThat(smt.apply(record(Schema.STRING_SCHEMA, "\"foo\""))).isNotNull();
        smt.close();
        smt(
                "{\"name\": {\"type\": \"string\", \"pattern\": \"^\\\\{\"}}",
                "schema.default.event.type",
                "name",
                "event.type.source",
                "header",
                "value.string.format",
                "string");
        assertThat(smt.apply(record(Schema.STRING_SCHEMA, "{\"a\":1}"))).isNotNull();
    }

    @Test
    void enumAndConstMatchIntegersWhateverTheirJavaType() {
        smt("{\"plan_changed\": {\"type\": \"object\", \"properties\": {"
                + "\"p\": {\"enum\": [{\"plan\": 12}]}, \"c\": {\"const\": [1, {\"x\": 2.50}]}}}}");
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("event_type", "plan_changed");
        value.put("p", Map.of("plan", 12L)); // JsonConverter gives Long
        value.put("c", java.util.List.of(1L, Map.of("x", 2.5d)));
        assertThat(smt.apply(record(null, value))).isNotNull();
        value.put("p", Map.of("plan", 13L));
        assertThatThrownBy(() -> smt.apply(record(null, value)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("enum");
    }

    @Test
    void numbersAreComparedExactly() {
        smt("{\"pay\": {\"properties\": {\"amount\": {\"maximum\": 12345678901234567.88}}}}");
        assertThat(smt.apply(record(null, "{\"event_type\":\"pay\",\"amount\":12345678901234567.88}")))
                .isNotNull();
        assertThatThrownBy(() -> smt.apply(record(null, "{\"event_type\":\"pay\",\"amount\":12345678901234567.89}")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("maximum");
    }
}
