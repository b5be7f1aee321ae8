/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    private static final Schema ITEM = SchemaBuilder.struct()
            .field("sku", Schema.STRING_SCHEMA)
            .field("qty", Schema.INT32_SCHEMA)
            .field("price", Decimal.schema(2))
            .build();
    private static final Schema ORDER = SchemaBuilder.struct()
            .field("order_id", Schema.STRING_SCHEMA)
            .field("total", Decimal.schema(2))
            .field("created_at", Timestamp.SCHEMA)
            .field("items", SchemaBuilder.array(ITEM).build())
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static Struct order() {
        return new Struct(ORDER)
                .put("order_id", "o-1001")
                .put("total", new BigDecimal("129.90"))
                .put("created_at", Date.from(Instant.parse("2026-11-23T10:00:00Z")))
                .put(
                        "items",
                        List.of(new Struct(ITEM)
                                .put("sku", "SKU-1")
                                .put("qty", 2)
                                .put("price", new BigDecimal("39.95"))));
    }

    @Test
    void structBecomesJsonWithLogicalTypesKept() {
        JsonNode json = RecordJson.toJsonNode(order(), ORDER);
        assertThat(json.get("order_id").asText()).isEqualTo("o-1001");
        assertThat(json.get("total").decimalValue()).isEqualByComparingTo("129.90");
        assertThat(json.get("total").toString()).isEqualTo("129.90");
        assertThat(json.get("created_at").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(json.at("/items/0/qty").isInt()).isTrue();
        assertThat(json.get("note").isNull()).isTrue();
    }

    @Test
    void jsonTextStringAndBytesParse() {
        String text = "{\"event_type\":\"page_view\",\"n\":12,\"x\":1.5}";
        for (Object value : List.of(text, text.getBytes(StandardCharsets.UTF_8))) {
            JsonNode json = RecordJson.toJsonNode(value, null);
            assertThat(json.get("event_type").asText()).isEqualTo("page_view");
            assertThat(json.get("n").isInt()).isTrue();
        }
        assertThat(RecordJson.toJsonNode(text, null, false).isTextual()).isTrue();
    }

    @Test
    void invalidJsonTextIsADataException() {
        assertThatThrownBy(() -> RecordJson.toJsonNode("{not json", null))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void plainKeepsIntegersAsIntegersAndStructsAsMaps() {
        @SuppressWarnings("unchecked")
        Map<String, Object> plain =
                (Map<String, Object>) RecordJson.toPlain("{\"a\":1,\"b\":2.5,\"c\":[true]}", null, true);
        assertThat(plain.get("a")).isEqualTo(1);
        assertThat(plain.get("b")).isEqualTo(2.5);
        assertThat(plain.get("c")).isEqualTo(List.of(true));

        @SuppressWarnings("unchecked")
        Map<String, Object> fromStruct = (Map<String, Object>) RecordJson.toPlain(order(), ORDER, true);
        assertThat(fromStruct.get("total")).isEqualTo(new BigDecimal("129.90"));
        assertThat(fromStruct.get("items")).asList().first().isInstanceOf(Map.class);
    }

    @Test
    void trailingTokensAfterTheFirstValueAreRejected() {
        for (String text : List.of("{\"event_type\":\"x\"} not json", "{\"a\":1} {\"b\":2}", "[1] ]", "1 2")) {
            assertThatThrownBy(() -> RecordJson.toJsonNode(text, null))
                    .as(text)
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("not valid JSON");
            assertThatThrownBy(() -> RecordJson.toJsonNode(text.getBytes(StandardCharsets.UTF_8), null))
                    .as(text)
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("not valid JSON");
            assertThatThrownBy(() -> RecordJson.parseExact(text)).as(text).isInstanceOf(DataException.class);
        }
        assertThat(RecordJson.parse(" {\"a\":1}  \n").get("a").intValue()).isEqualTo(1); // whitespace is fine
    }

    @Test
    void exactParseKeepsTheNumberText() {
        JsonNode json = RecordJson.parseExact(
                "{\"big\":12345678901234567.89,\"p\":129.90,\"n\":12," + "\"huge\":123456789012345678901234567890}");
        assertThat(json.get("big").toString()).isEqualTo("12345678901234567.89");
        assertThat(json.get("p").toString()).isEqualTo("129.90");
        assertThat(json.get("n").isInt()).isTrue();
        assertThat(json.get("huge").toString()).isEqualTo("123456789012345678901234567890");
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) RecordJson.fromJsonNode(json);
        assertThat(plain.get("big")).isEqualTo(new BigDecimal("12345678901234567.89"));
        assertThat(plain.get("p")).isEqualTo(new BigDecimal("129.90"));
        assertThat(plain.get("n")).isEqualTo(12);
    }

    @Test
    void stringFormatDecidesWhetherTextIsJson() {
        // auto: JSON objects and arrays are parsed, anything else is the string it is
        assertThat(RecordJson.toJsonNode("foo", null, RecordJson.StringFormat.AUTO)
                        .textValue())
                .isEqualTo("foo");
        assertThat(RecordJson.toJsonNode("\"foo\"", null, RecordJson.StringFormat.AUTO)
                        .textValue())
                .isEqualTo("\"foo\"");
        assertThat(RecordJson.toJsonNode(" {\"a\":1}", null, RecordJson.StringFormat.AUTO)
                        .get("a")
                        .intValue())
                .isEqualTo(1);
        assertThat(RecordJson.toJsonNode("[1]".getBytes(StandardCharsets.UTF_8), null, RecordJson.StringFormat.AUTO)
                        .get(0)
                        .intValue())
                .isEqualTo(1);
        assertThatThrownBy(() -> RecordJson.toJsonNode("{\"a\":1} x", null, RecordJson.StringFormat.AUTO))
                .isInstanceOf(DataException.class);
        // json: every text must be one JSON document
        assertThat(RecordJson.toJsonNode("\"foo\"", null, RecordJson.StringFormat.JSON)
                        .textValue())
                .isEqualTo("foo");
        assertThatThrownBy(() -> RecordJson.toJsonNode("foo", null, RecordJson.StringFormat.JSON))
                .isInstanceOf(DataException.class);
        // string: never parsed
        assertThat(RecordJson.toJsonNode("{\"a\":1}", null, RecordJson.StringFormat.STRING)
                        .textValue())
                .isEqualTo("{\"a\":1}");
        assertThat(RecordJson.StringFormat.of("Auto")).isEqualTo(RecordJson.StringFormat.AUTO);
    }

    @Test
    void canonicalNumbersMakeEqualValuesEqualNodes() {
        JsonNode fromMap =
                RecordJson.toJsonNode(Map.of("plan", 12L, "r", 1.5d, "d", new BigDecimal("2.50"), "w", 3.0d), null);
        JsonNode fromText = RecordJson.parseExact("{\"plan\":12,\"r\":1.50,\"d\":2.5,\"w\":3}");
        assertThat(fromMap).isNotEqualTo(fromText);
        assertThat(RecordJson.canonicalNumbers(fromMap)).isEqualTo(RecordJson.canonicalNumbers(fromText));
        assertThat(RecordJson.canonicalNumbers(RecordJson.parseExact("[123456789012345678901234567890]"))
                        .get(0)
                        .bigIntegerValue())
                .isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
    }
}
