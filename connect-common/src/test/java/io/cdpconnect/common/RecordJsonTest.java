package io.cdpconnect.common;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordJsonTest {

    private static final Schema ITEM = SchemaBuilder.struct().field("sku", Schema.STRING_SCHEMA)
            .field("qty", Schema.INT32_SCHEMA).field("price", Decimal.schema(2)).build();
    private static final Schema ORDER = SchemaBuilder.struct()
            .field("order_id", Schema.STRING_SCHEMA)
            .field("total", Decimal.schema(2))
            .field("created_at", Timestamp.SCHEMA)
            .field("items", SchemaBuilder.array(ITEM).build())
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static Struct order() {
        return new Struct(ORDER).put("order_id", "o-1001")
                .put("total", new BigDecimal("129.90"))
                .put("created_at", Date.from(Instant.parse("2026-11-23T10:00:00Z")))
                .put("items", List.of(new Struct(ITEM).put("sku", "SKU-1").put("qty", 2)
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
                .isInstanceOf(DataException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void plainKeepsIntegersAsIntegersAndStructsAsMaps() {
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) RecordJson.toPlain("{\"a\":1,\"b\":2.5,\"c\":[true]}", null, true);
        assertThat(plain.get("a")).isEqualTo(1);
        assertThat(plain.get("b")).isEqualTo(2.5);
        assertThat(plain.get("c")).isEqualTo(List.of(true));

        @SuppressWarnings("unchecked")
        Map<String, Object> fromStruct = (Map<String, Object>) RecordJson.toPlain(order(), ORDER, true);
        assertThat(fromStruct.get("total")).isEqualTo(new BigDecimal("129.90"));
        assertThat(fromStruct.get("items")).asList().first().isInstanceOf(Map.class);
    }
}
