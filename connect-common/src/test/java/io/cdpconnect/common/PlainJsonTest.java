/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainJson#write} must give, character for character, what the sinks wrote before it existed:
 * {@code RecordJson.write(RecordJson.toPlain(value))}, the value copied and written by Jackson's databind.
 */
class PlainJsonTest {

    /** What the sinks wrote before: copy, then Jackson. */
    private static String copyThenWrite(Object value) {
        return RecordJson.write(RecordJson.toPlain(value, null, false));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Values of every shape a converter or an SMT hands a sink, and the edge cases of exactness. */
    static List<Object> corpus() {
        Schema item = SchemaBuilder.struct()
                .field("sku", Schema.STRING_SCHEMA)
                .field("price", Decimal.schema(2))
                .field("at", Timestamp.SCHEMA)
                .field("note", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct struct = new Struct(item)
                .put("sku", "SKU-1")
                .put("price", new BigDecimal("39.90"))
                .put("at", Date.from(Instant.parse("2026-11-23T10:00:00Z")));
        Map<String, Object> hashed = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            hashed.put("k" + i, i % 3 == 0 ? null : i % 3 == 1 ? (Object) (long) i : "v" + i);
        }
        Map<Object, Object> otherKeys = new LinkedHashMap<>();
        otherKeys.put(1, "int key");
        otherKeys.put(null, "null key");
        otherKeys.put(true, List.of());
        List<Object> withNull = new ArrayList<>(Arrays.asList(1L, null, "x"));
        return List.of(
                map(),
                map("empty", map(), "none", List.of(), "null", null),
                map(
                        "big",
                        new BigInteger("123456789012345678901234567890"),
                        "long",
                        Long.MAX_VALUE,
                        "neg",
                        Long.MIN_VALUE,
                        "int",
                        7,
                        "short",
                        (short) 12,
                        "byte",
                        (byte) -3),
                map(
                        "scale",
                        new BigDecimal("79.90"),
                        "zeros",
                        new BigDecimal("100.000"),
                        "sci",
                        new BigDecimal("1E+3"),
                        "tiny",
                        new BigDecimal("0.0000001"),
                        "negzero",
                        new BigDecimal("-0.00")),
                map(
                        "d",
                        19.95,
                        "whole",
                        12.0,
                        "huge",
                        1.0E300,
                        "small",
                        1.0E-7,
                        "nan",
                        Double.NaN,
                        "inf",
                        Double.NEGATIVE_INFINITY,
                        "f",
                        1.1f,
                        "negzero",
                        -0.0),
                map(
                        "nested",
                        List.of(List.of(1L, List.of(2L, List.of())), map("a", List.of(map("b", null)))),
                        "list",
                        withNull),
                map(
                        "unicode",
                        "caf\u00e9 \u65e5\u672c \uD83D\uDE00",
                        "escapes",
                        "q\"b\\s/n\nt\tr\rc\u0001\u001f\u007f",
                        "lone",
                        "\uD800x",
                        "\u00fcber key",
                        "\u2028\u2029",
                        "",
                        "empty key"),
                map("bool", true, "f", false),
                hashed,
                otherKeys,
                map("struct", struct, "structs", List.of(struct)),
                map(
                        "node",
                        RecordJson.parseExact("{\"n\": 129.90, \"b\": 12345678901234567890, \"s\": \"x\", "
                                + "\"a\": [1, 2.50, null, {}]}")),
                map(
                        "bytes",
                        "h\u00e9llo".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "buffer",
                        ByteBuffer.wrap(new byte[] {0, 1, -1}),
                        "date",
                        new Date(1_795_428_000_000L)),
                map("set", new LinkedHashSet<>(List.of("b", "a")), "char", 'c'),
                List.of(map("a", 1L), 2.5, "s", new BigDecimal("3.10")),
                "just a string",
                new BigDecimal("0.10"));
    }

    @Test
    void sameTextAsCopyingThenWriting() {
        SoftAssertions.assertSoftly(soft -> {
            for (Object value : corpus()) {
                soft.assertThat(PlainJson.write(value))
                        .as(String.valueOf(value))
                        .isEqualTo(copyThenWrite(value));
            }
        });
    }

    @Test
    void numbersKeepTheirJavaTypeAndScale() {
        assertThat(PlainJson.write(map(
                        "price",
                        new BigDecimal("79.90"),
                        "id",
                        9_007_199_254_740_993L,
                        "big",
                        new BigInteger("123456789012345678901234567890"),
                        "d",
                        19.95,
                        "e",
                        map(),
                        "u",
                        "\u00e9\uD83D\uDE00")))
                .isEqualTo("{\"price\":79.90,\"id\":9007199254740993,\"big\":123456789012345678901234567890,"
                        + "\"d\":19.95,\"e\":{},\"u\":\"\u00e9\uD83D\uDE00\"}");
    }

    @Test
    void plainValuesAreUsedAsTheyAreOthersCopied() {
        Map<String, Object> plain = map("a", List.of(1L, map("b", new BigDecimal("1.0"))), "c", null);
        assertThat(PlainJson.view(plain)).isSameAs(plain);
        Map<String, Object> withStruct = map("a", corpus().get(10));
        assertThat(PlainJson.isPlain(withStruct)).isFalse();
        assertThat(PlainJson.view(withStruct))
                .isNotSameAs(withStruct)
                .isEqualTo(RecordJson.toPlain(withStruct, null, false));
        for (Object value : corpus()) {
            assertThat(PlainJson.view(value))
                    .as(String.valueOf(value))
                    .isEqualTo(RecordJson.toPlain(value, null, false));
        }
    }
}
