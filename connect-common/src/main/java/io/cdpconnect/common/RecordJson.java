package io.cdpconnect.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

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

/**
 * Conversion between Connect record values and JSON, shared by the plugins that read arbitrary values.
 *
 * <p>Accepted shapes: {@link Struct} (with its schema), {@link Map}, {@link List}, JSON text in a
 * {@link String}, JSON in {@code byte[]} or {@link ByteBuffer}, and scalars. Logical types become JSON the way
 * a warehouse or a schema expects: Decimal as a number, Timestamp as ISO-8601 UTC, Date as {@code yyyy-MM-dd},
 * Time as {@code HH:mm:ss.SSS}; other bytes as base64.
 */
public final class RecordJson {

    /** Decimals stay exact; floats in JSON text parse as BigDecimal only when asked (see {@link #parse}). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, false);

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private RecordJson() {
    }

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
            throw new DataException("value is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode toNode(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (schema != null && schema.name() != null) {
            JsonNode logical = logical(value, schema);
            if (logical != null) {
                return logical;
            }
        }
        if (value instanceof Struct struct) {
            ObjectNode node = NODES.objectNode();
            for (Field field : struct.schema().fields()) {
                node.set(field.name(), toNode(struct.get(field), field.schema()));
            }
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            Schema valueSchema = schema != null && schema.type() == Schema.Type.MAP ? schema.valueSchema() : null;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                node.set(String.valueOf(e.getKey()), toNode(e.getValue(), valueSchema));
            }
            return node;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode node = NODES.arrayNode(list.size());
            Schema valueSchema = schema != null && schema.type() == Schema.Type.ARRAY ? schema.valueSchema() : null;
            for (Object item : list) {
                node.add(toNode(item, valueSchema));
            }
            return node;
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
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
                return value instanceof java.util.Date d ? NODES.textNode(d.toInstant().toString()) : null;
            case Date.LOGICAL_NAME:
                return value instanceof java.util.Date d
                        ? NODES.textNode(d.toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString()) : null;
            case Time.LOGICAL_NAME:
                return value instanceof java.util.Date d
                        ? NODES.textNode(LocalTime.ofNanoOfDay(Math.floorMod(d.getTime(), 86_400_000L) * 1_000_000L)
                        .toString()) : null;
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
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
