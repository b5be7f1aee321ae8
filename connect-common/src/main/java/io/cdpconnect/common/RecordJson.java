/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Conversion between Connect record values and JSON, shared by the plugins that read arbitrary values.
 *
 * <p>Accepted shapes: {@link Struct} (with its schema), {@link Map}, {@link List}, JSON text in a
 * {@link String}, JSON in {@code byte[]} or {@link ByteBuffer}, and scalars. Logical types become JSON the way
 * a warehouse or a schema expects: Decimal as a number, Timestamp as ISO-8601 UTC, Date as {@code yyyy-MM-dd},
 * Time as {@code HH:mm:ss.SSS}; other bytes as base64.
 */
public final class RecordJson {

    /**
     * Reads one JSON document and nothing after it ({@code {"a":1} garbage} is an error, not {@code {"a":1}});
     * floats as double (the sinks' long-standing behaviour; use {@link #parseExact} to keep their text).
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, false)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    /** As {@link #MAPPER}, but every number keeps its exact text: floats as BigDecimal (scale kept). */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .setNodeFactory(NODES);

    /**
     * The one configuration for reading JSON exactly (one document, nothing after it, every number with its text):
     * for plugins that need the mapper itself rather than {@link #parseExact}.
     */
    public static ObjectMapper exactMapper() {
        return EXACT;
    }

    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * Whether a text (String or bytes) value is read as JSON: {@code JSON} always (it must be one JSON document),
     * {@code STRING} never (it is a JSON string), {@code AUTO} when it is a JSON object or array (its first
     * non-blank character is {@code {} or {@code [}), otherwise it is the string it is. A JSON string datum
     * {@code "foo"} that JsonConverter turned into the Java String {@code foo} is thus the string {@code foo}.
     */
    public enum StringFormat {
        AUTO,
        JSON,
        STRING;

        public static StringFormat of(String name) {
            return io.cdpconnect.common.config.EnumOptions.parse(StringFormat.class, name);
        }

        /** The config values, lowercase. */
        public static List<String> names() {
            return List.of("auto", "json", "string");
        }
    }

    private RecordJson() {}

    /**
     * The value as a Jackson tree. Strings and bytes are parsed as JSON text when {@code parseText} is true
     * (a record whose whole value is a JSON document); otherwise they are JSON strings.
     *
     * @throws DataException when text that must be JSON is not
     */
    public static JsonNode toJsonNode(Object value, Schema schema, boolean parseText) {
        if (parseText) {
            if (value instanceof String text) {
                return parse(text);
            }
            if (value instanceof byte[] bytes) {
                return parse(bytes);
            }
            if (value instanceof ByteBuffer buffer) {
                return parse(toArray(buffer));
            }
        }
        return toNode(value, schema);
    }

    /**
     * The value as a Jackson tree, text read as JSON according to {@code format}; numbers in text keep their
     * exact text (see {@link #parseExact}).
     *
     * @throws DataException when text that must be JSON is not (including text after the first JSON value)
     */
    public static JsonNode toJsonNode(Object value, Schema schema, StringFormat format) {
        if (format != StringFormat.STRING) {
            if (value instanceof String text) {
                return format == StringFormat.JSON || looksLikeJsonContainer(text)
                        ? parseExact(text)
                        : NODES.textNode(text);
            }
            byte[] bytes = value instanceof byte[] b ? b : value instanceof ByteBuffer buffer ? toArray(buffer) : null;
            if (bytes != null) {
                if (format == StringFormat.JSON || looksLikeJsonContainer(bytes)) {
                    return parseExact(bytes);
                }
                return NODES.textNode(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return toNode(value, schema);
    }

    /**
     * {@code canonicalNumbers(toJsonNode(value, schema, format))} in one pass for record values (no second walk over
     * the tree), and never touching the record's own objects: a {@link JsonNode} inside the value is copied before
     * its numbers are rewritten. What the validation SMT validates.
     */
    public static JsonNode toCanonicalJsonNode(Object value, Schema schema, StringFormat format) {
        if (format != StringFormat.STRING
                && (value instanceof String || value instanceof byte[] || value instanceof ByteBuffer)) {
            return canonicalNumbers(toJsonNode(value, schema, format)); // a tree of our own, just parsed
        }
        return toNode(value, schema, true);
    }

    /** Whether the first non-blank character opens a JSON object or array. */
    public static boolean looksLikeJsonContainer(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    /** As {@link #looksLikeJsonContainer(CharSequence)} for UTF-8 bytes (a UTF-8 BOM counts as blank). */
    public static boolean looksLikeJsonContainer(byte[] bytes) {
        int i = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF
                ? 3
                : 0;
        for (; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    /** A record value as a Jackson tree, parsing whole-value JSON text. */
    public static JsonNode toJsonNode(Object value, Schema schema) {
        return toJsonNode(value, schema, true);
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DataException("value is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new DataException("value is not valid JSON: " + messageOf(e), e);
        }
    }

    /**
     * One JSON document (nothing may follow it) with every number exact: integers as int, long or big integer by
     * size, other numbers as BigDecimal with the scale written ({@code 129.90} stays {@code 129.90}).
     */
    public static JsonNode parseExact(String text) {
        try {
            return EXACT.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DataException("value is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode parseExact(byte[] bytes) {
        try {
            return EXACT.readTree(bytes);
        } catch (IOException e) {
            throw new DataException("value is not valid JSON: " + messageOf(e), e);
        }
    }

    private static String messageOf(IOException e) {
        return e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    }

    /**
     * Numbers rewritten (in place, where the tree allows) so that equal values are equal nodes, whatever Java type
     * they arrived as: integral values (also {@code 12.0}) as int, long or big integer by size, others as BigDecimal
     * without trailing zeros. Meant for comparisons (JSON Schema {@code enum}/{@code const}), not for output.
     *
     * @return the canonical tree (the same object unless the root itself is a number)
     */
    public static JsonNode canonicalNumbers(JsonNode node) {
        if (node.isNumber()) {
            return canonicalNumber(node);
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                JsonNode child = e.getValue();
                if (child.isContainerNode()) {
                    canonicalNumbers(child);
                } else if (child.isNumber()) {
                    JsonNode canonical = canonicalNumber(child);
                    if (canonical != child) {
                        e.setValue(canonical);
                    }
                }
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                if (child.isContainerNode()) {
                    canonicalNumbers(child);
                } else if (child.isNumber()) {
                    JsonNode canonical = canonicalNumber(child);
                    if (canonical != child) {
                        array.set(i, canonical);
                    }
                }
            }
        }
        return node;
    }

    /** {@code canonicalNumber(toNode(number))}, without the intermediate node for ints and longs. */
    private static JsonNode canonicalNumberOf(Number number) {
        if (number instanceof Integer i) {
            return NODES.numberNode(i.intValue());
        }
        if (number instanceof Long l) {
            long v = l;
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? NODES.numberNode((int) v) : NODES.numberNode(v);
        }
        JsonNode node = toNode(number, null, false);
        return node.isNumber() ? canonicalNumber(node) : node; // a Number type Jackson has no node for is text
    }

    private static JsonNode canonicalNumber(JsonNode node) {
        if (node.isInt()) {
            return node;
        }
        if (node.isLong() || node.isShort()) {
            long v = node.longValue();
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? NODES.numberNode((int) v) : node;
        }
        BigInteger integer;
        if (node.isBigInteger()) {
            integer = node.bigIntegerValue();
        } else {
            if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                return node;
            }
            BigDecimal decimal = node.isBigDecimal()
                    ? node.decimalValue()
                    : new BigDecimal(
                            node.isFloat() ? Float.toString(node.floatValue()) : Double.toString(node.doubleValue()));
            BigDecimal stripped = decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
            if (stripped.scale() > 0) {
                return NODES.numberNode(stripped);
            }
            integer = stripped.toBigIntegerExact();
        }
        if (integer.compareTo(INT_MIN) >= 0 && integer.compareTo(INT_MAX) <= 0) {
            return NODES.numberNode(integer.intValue());
        }
        if (integer.compareTo(LONG_MIN) >= 0 && integer.compareTo(LONG_MAX) <= 0) {
            return NODES.numberNode(integer.longValue());
        }
        return NODES.numberNode(integer);
    }

    private static JsonNode toNode(Object value, Schema schema) {
        return toNode(value, schema, false);
    }

    /** @param canonical numbers as {@link #canonicalNumbers} makes them, JsonNodes inside copied first */
    private static JsonNode toNode(Object value, Schema schema, boolean canonical) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (schema != null && schema.name() != null) {
            JsonNode logical = logical(value, schema);
            if (logical != null) {
                return canonical && logical.isNumber() ? canonicalNumber(logical) : logical;
            }
        }
        if (value instanceof Struct struct) {
            ObjectNode node = NODES.objectNode();
            for (Field field : struct.schema().fields()) {
                node.set(field.name(), toNode(struct.get(field), field.schema(), canonical));
            }
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            Schema valueSchema = schema != null && schema.type() == Schema.Type.MAP ? schema.valueSchema() : null;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                node.set(String.valueOf(e.getKey()), toNode(e.getValue(), valueSchema, canonical));
            }
            return node;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode node = NODES.arrayNode(list.size());
            Schema valueSchema = schema != null && schema.type() == Schema.Type.ARRAY ? schema.valueSchema() : null;
            for (Object item : list) {
                node.add(toNode(item, valueSchema, canonical));
            }
            return node;
        }
        if (value instanceof JsonNode node) {
            // the record's own object: canonicalise a copy, never the record
            return canonical ? canonicalNumbers(node.deepCopy()) : node;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (canonical && value instanceof Number number) {
            return canonicalNumberOf(number);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Short s) {
            return NODES.numberNode(s);
        }
        if (value instanceof Byte b) {
            return NODES.numberNode(b);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof BigInteger i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof ByteBuffer buffer) {
            return NODES.textNode(Base64.getEncoder().encodeToString(toArray(buffer)));
        }
        if (value instanceof java.util.Date date) {
            return NODES.textNode(date.toInstant().toString());
        }
        if (value instanceof Instant instant) {
            return NODES.textNode(instant.toString());
        }
        return NODES.textNode(value.toString());
    }

    private static JsonNode logical(Object value, Schema schema) {
        switch (schema.name()) {
            case Decimal.LOGICAL_NAME:
                return value instanceof BigDecimal d ? NODES.numberNode(d) : null;
            case Timestamp.LOGICAL_NAME:
                return value instanceof java.util.Date d
                        ? NODES.textNode(d.toInstant().toString())
                        : null;
            case Date.LOGICAL_NAME:
                return value instanceof java.util.Date d
                        ? NODES.textNode(d.toInstant()
                                .atOffset(ZoneOffset.UTC)
                                .toLocalDate()
                                .toString())
                        : null;
            case Time.LOGICAL_NAME:
                return value instanceof java.util.Date d
                        ? NODES.textNode(LocalTime.ofNanoOfDay(Math.floorMod(d.getTime(), 86_400_000L) * 1_000_000L)
                                .toString())
                        : null;
            default:
                return null;
        }
    }

    /**
     * The value as plain Java: {@code Map<String,Object>} (insertion ordered), {@code List<Object>}, String,
     * Long/Integer/Double/BigDecimal, Boolean or null. Struct logical types keep their Java type
     * (BigDecimal, java.util.Date) so sinks can bind them natively.
     */
    public static Object toPlain(Object value, Schema schema, boolean parseText) {
        if (parseText && (value instanceof String || value instanceof byte[] || value instanceof ByteBuffer)) {
            return fromJsonNode(toJsonNode(value, schema, true));
        }
        return plain(value);
    }

    private static Object plain(Object value) {
        if (value instanceof Struct struct) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Field field : struct.schema().fields()) {
                map.put(field.name(), plain(struct.get(field)));
            }
            return map;
        }
        if (value instanceof Map<?, ?> in) {
            Map<String, Object> map = new LinkedHashMap<>(Math.max(4, in.size() * 2));
            for (Map.Entry<?, ?> e : in.entrySet()) {
                map.put(String.valueOf(e.getKey()), plain(e.getValue()));
            }
            return map;
        }
        if (value instanceof Collection<?> in) {
            List<Object> list = new ArrayList<>(in.size());
            for (Object item : in) {
                list.add(plain(item));
            }
            return list;
        }
        if (value instanceof JsonNode node) {
            return fromJsonNode(node);
        }
        return value;
    }

    /** A Jackson tree as plain Java (see {@link #toPlain}); integral numbers become Integer or Long. */
    public static Object fromJsonNode(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
            node.fields().forEachRemaining(e -> map.put(e.getKey(), fromJsonNode(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(fromJsonNode(item)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isInt()) {
            return node.intValue();
        }
        if (node.isLong()) {
            return node.longValue();
        }
        if (node.isBigInteger()) {
            return node.bigIntegerValue();
        }
        if (node.isBigDecimal()) {
            return node.decimalValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBinary()) {
            try {
                return node.binaryValue();
            } catch (IOException e) {
                throw new DataException(e);
            }
        }
        return node.asText();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new DataException("cannot write value as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        return Bytes.copyOf(buffer);
    }
}
