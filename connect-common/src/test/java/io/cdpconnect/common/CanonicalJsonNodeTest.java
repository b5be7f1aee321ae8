/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordJson#toCanonicalJsonNode} (what the validation SMT validates, built in one pass) must be the tree the
 * two passes gave: {@code canonicalNumbers(toJsonNode(value))}, node type for node type.
 */
class CanonicalJsonNodeTest {

    /** The values of {@link PlainJsonTest#corpus} and more roots: numbers of every type, a Struct, a tree, text. */
    private static List<Object> values() {
        List<Object> values = new ArrayList<>(PlainJsonTest.corpus());
        Schema schema = SchemaBuilder.struct()
                .field("amount", Decimal.schema(3))
                .field("n", Schema.INT64_SCHEMA)
                .field("d", Schema.FLOAT64_SCHEMA)
                .build();
        values.add(new Struct(schema)
                .put("amount", new BigDecimal("12.000"))
                .put("n", 3_000_000_000L)
                .put("d", 2.50));
        values.addAll(List.of(
                12L,
                3_000_000_000L,
                7,
                (short) 3,
                (byte) 1,
                12.0,
                12.5,
                1.0E20,
                1.1f,
                Double.NaN,
                new BigDecimal("12.00"),
                new BigDecimal("1E+2"),
                new BigDecimal("-0.000"),
                new BigInteger("12"),
                new BigInteger("123456789012345678901234567890"),
                new AtomicLong(5)));
        values.add(RecordJson.parseExact("{\"a\": 1.50, \"b\": [2.0, 3e2, 12345678901234567890], \"c\": {}}"));
        values.add("{\"text\": 1.50, \"n\": 2.0}");
        values.add("plain text");
        Map<String, Object> withNumbers = new LinkedHashMap<>();
        withNumbers.put("long", 1L);
        withNumbers.put("whole", 100.0);
        withNumbers.put("decimal", new BigDecimal("19.950"));
        withNumbers.put("list", List.of(1L, 2.0, new BigDecimal("3.10"), List.of(4.5f)));
        values.add(withNumbers);
        return values;
    }

    private static Schema schemaOf(Object value) {
        return value instanceof Struct s ? s.schema() : null;
    }

    @Test
    void oneBuiltTreeIsTheTwoPassTree() {
        SoftAssertions soft = new SoftAssertions();
        List<Object> reference = values(); // separate objects: the two-pass way rewrites nested trees in place
        List<Object> built = values();
        for (RecordJson.StringFormat format : RecordJson.StringFormat.values()) {
            for (int i = 0; i < built.size(); i++) {
                Object ref = reference.get(i) instanceof JsonNode n ? n.deepCopy() : reference.get(i);
                Object value = built.get(i);
                JsonNode expected;
                try {
                    expected = RecordJson.canonicalNumbers(RecordJson.toJsonNode(ref, schemaOf(ref), format));
                } catch (DataException notJson) { // text that must be JSON and is not: the same error
                    soft.assertThatThrownBy(() -> RecordJson.toCanonicalJsonNode(value, schemaOf(value), format))
                            .as(format + " " + value)
                            .isInstanceOf(DataException.class)
                            .hasMessage(notJson.getMessage());
                    continue;
                }
                JsonNode actual = RecordJson.toCanonicalJsonNode(value, schemaOf(value), format);
                soft.assertThat(actual).as(format + " " + built.get(i)).isEqualTo(expected);
                soft.assertThat(actual.toString())
                        .as(format + " " + built.get(i))
                        .isEqualTo(expected.toString());
            }
        }
        soft.assertAll();
    }

    @Test
    void theRecordsOwnTreeIsNotRewritten() {
        JsonNode tree = RecordJson.parseExact("{\"a\": 1.50, \"b\": [2.0]}");
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("tree", tree);
        JsonNode canonical = RecordJson.toCanonicalJsonNode(value, null, RecordJson.StringFormat.AUTO);
        assertThat(canonical.toString()).isEqualTo("{\"tree\":{\"a\":1.5,\"b\":[2]}}");
        assertThat(tree.toString()).isEqualTo("{\"a\":1.50,\"b\":[2.0]}");
        assertThat(RecordJson.toCanonicalJsonNode(tree, null, RecordJson.StringFormat.AUTO)
                        .toString())
                .isEqualTo("{\"a\":1.5,\"b\":[2]}");
        assertThat(tree.toString()).isEqualTo("{\"a\":1.50,\"b\":[2.0]}");
    }
}
