/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.common.RecordJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns the JSON a value template rendered into the record value: a schemaless Map (numbers as Integer/Long
 * /Double, like JsonConverter), a Struct of the configured {@code value.schema}, or a Struct of a schema
 * inferred from the JSON (cached while records keep the same shape).
 */
abstract class ValueOutput {

    /** Exactly one JSON document (a second object or any text after the first is an error), numbers exact. */
    private static final ObjectMapper EXACT = RecordJson.exactMapper();

    static ValueOutput schemaless() {
        return schemaless(NumberFormat.EXACT);
    }

    static ValueOutput schemaless(NumberFormat numbers) {
        return numbers == NumberFormat.DOUBLE ? new SchemalessDouble() : new Schemaless();
    }

    static ValueOutput of(Schema schema) {
        return new Fixed(schema);
    }

    static ValueOutput inferred() {
        return new Inferred();
    }

    /** The new value and its schema; the JSON {@code null} is a tombstone (null value, null schema). */
    abstract SchemaAndValue convert(String json, String template);

    static JsonNode tree(String json, String template) {
        try {
            return EXACT.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalidJson(template, e);
        }
    }

    static DataException invalidJson(String template, JsonProcessingException e) {
        return new DataException("template '" + template + "' did not render valid JSON: " + e.getOriginalMessage()
                + (e.getLocation() == null
                        ? ""
                        : " (output line " + e.getLocation().getLineNr() + ", column "
                                + e.getLocation().getColumnNr() + ")"));
    }

    /** Maps and lists; integers as Integer, Long or BigInteger by size, other numbers as BigDecimal, text kept. */
    private static class Schemaless extends ValueOutput {
        @Override
        SchemaAndValue convert(String json, String template) {
            try {
                return new SchemaAndValue(null, EXACT.readValue(json, Object.class));
            } catch (JsonProcessingException e) {
                throw invalidJson(template, e);
            }
        }
    }

    /**
     * As {@link Schemaless}, with non-integral numbers as Double (JsonConverter without schemas cannot write
     * BigDecimal or BigInteger). A number a double does not hold exactly, or an integer beyond a long, fails the
     * record instead of being rounded.
     */
    private static final class SchemalessDouble extends Schemaless {
        @Override
        SchemaAndValue convert(String json, String template) {
            SchemaAndValue exact = super.convert(json, template);
            try {
                return new SchemaAndValue(null, doubles(exact.value(), "value"));
            } catch (DataException e) {
                throw new DataException("template '" + template + "': " + e.getMessage());
            }
        }

        @SuppressWarnings("unchecked")
        private static Object doubles(Object value, String path) {
            if (value instanceof BigDecimal d) {
                return exactDouble(d, path);
            }
            if (value instanceof BigInteger i) {
                throw new DataException(path + ": " + i + " is beyond a long, and value.number.format=double "
                        + "cannot hold it exactly (use exact)");
            }
            if (value instanceof Map<?, ?> map) {
                ((Map<String, Object>) map).replaceAll((k, v) -> doubles(v, path + "." + k));
            } else if (value instanceof List<?> list) {
                List<Object> items = (List<Object>) list;
                for (int i = 0; i < items.size(); i++) {
                    items.set(i, doubles(items.get(i), path + "[" + i + "]"));
                }
            }
            return value;
        }
    }

    /** The double of exactly that value; a number a double would round fails instead. */
    static double exactDouble(BigDecimal value, String path) {
        double d = value.doubleValue();
        if (!Double.isFinite(d) || new BigDecimal(Double.toString(d)).compareTo(value) != 0) {
            throw new DataException(path + ": " + value.toPlainString() + " does not fit a double exactly "
                    + "(it would become " + d + ")");
        }
        return d;
    }

    private static float exactFloat(BigDecimal value, String path) {
        float f = value.floatValue();
        if (!Float.isFinite(f) || new BigDecimal(Float.toString(f)).compareTo(value) != 0) {
            throw new DataException(path + ": " + value.toPlainString() + " does not fit a float exactly "
                    + "(it would become " + f + ")");
        }
        return f;
    }

    private static final class Fixed extends ValueOutput {
        private final Schema schema;

        Fixed(Schema schema) {
            this.schema = schema;
        }

        @Override
        SchemaAndValue convert(String json, String template) {
            JsonNode node = tree(json, template);
            if (node == null || node.isNull()) {
                return new SchemaAndValue(null, null);
            }
            try {
                return new SchemaAndValue(schema, toConnect(node, schema, "value"));
            } catch (DataException e) {
                throw new DataException(
                        "template '" + template + "': output does not match value.schema: " + e.getMessage());
            }
        }
    }

    private static final class Inferred extends ValueOutput {
        private final Schema[] recent = new Schema[4];
        private int next;

        @Override
        SchemaAndValue convert(String json, String template) {
            JsonNode node = tree(json, template);
            if (node == null || node.isNull()) {
                return new SchemaAndValue(null, null);
            }
            if (!node.isObject()) {
                throw new DataException("template '" + template + "': value.schema.infer needs a JSON object, got "
                        + node.getNodeType().toString().toLowerCase());
            }
            Schema schema = cached(node);
            if (schema == null) {
                try {
                    schema = inferStruct(node, "value", false);
                } catch (DataException e) {
                    throw new DataException("template '" + template + "': cannot infer a schema: " + e.getMessage());
                }
                recent[next] = schema;
                next = (next + 1) % recent.length;
            }
            return new SchemaAndValue(schema, toConnect(node, schema, "value"));
        }

        private Schema cached(JsonNode node) {
            for (Schema schema : recent) {
                if (schema != null && fits(node, schema)) {
                    return schema;
                }
            }
            return null;
        }
    }

    // ------------------------------------------------------------------ inference

    static Schema inferStruct(JsonNode node, String path, boolean optional) {
        SchemaBuilder struct = SchemaBuilder.struct();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            struct.field(field.getKey(), infer(field.getValue(), path + "." + field.getKey()));
        }
        if (optional) {
            struct.optional();
        }
        return struct.build();
    }

    private static Schema infer(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isTextual()) {
            return Schema.OPTIONAL_STRING_SCHEMA;
        }
        if (node.isIntegralNumber()) {
            return Schema.OPTIONAL_INT64_SCHEMA;
        }
        if (node.isNumber()) {
            return Schema.OPTIONAL_FLOAT64_SCHEMA;
        }
        if (node.isBoolean()) {
            return Schema.OPTIONAL_BOOLEAN_SCHEMA;
        }
        if (node.isObject()) {
            return inferStruct(node, path, true);
        }
        if (node.isArray()) {
            Schema element = null;
            for (JsonNode item : node) {
                if (item.isNull()) {
                    continue;
                }
                Schema itemSchema = infer(item, path + "[]");
                if (element == null) {
                    element = itemSchema;
                } else if (!element.equals(itemSchema)) {
                    throw new DataException(path + ": array elements of different types");
                }
            }
            return SchemaBuilder.array(element == null ? Schema.OPTIONAL_STRING_SCHEMA : element)
                    .optional()
                    .build();
        }
        throw new DataException(path + ": cannot infer a schema for " + node.getNodeType());
    }

    /** Whether the JSON has exactly the shape an inferred schema describes. */
    static boolean fits(JsonNode node, Schema schema) {
        if (node == null || node.isNull()) {
            return schema.isOptional();
        }
        switch (schema.type()) {
            case STRING:
                return node.isTextual();
            case INT64:
                return node.isIntegralNumber();
            case FLOAT64:
                return node.isNumber() && !node.isIntegralNumber();
            case BOOLEAN:
                return node.isBoolean();
            case ARRAY:
                if (!node.isArray()) {
                    return false;
                }
                for (JsonNode item : node) {
                    if (!fits(item, schema.valueSchema())) {
                        return false;
                    }
                }
                return true;
            case STRUCT: {
                if (!node.isObject() || node.size() != schema.fields().size()) {
                    return false;
                }
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                for (Field field : schema.fields()) {
                    Map.Entry<String, JsonNode> entry = fields.next();
                    if (!entry.getKey().equals(field.name()) || !fits(entry.getValue(), field.schema())) {
                        return false;
                    }
                }
                return true;
            }
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------ JSON -> Connect value of a schema

    static Object toConnect(JsonNode node, Schema schema, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (schema.defaultValue() != null) {
                return schema.defaultValue();
            }
            if (schema.isOptional()) {
                return null;
            }
            throw new DataException(path + " is required but missing or null");
        }
        if (schema.name() != null) {
            Object logical = logical(node, schema, path);
            if (logical != null) {
                return logical;
            }
        }
        switch (schema.type()) {
            case INT8:
                return (byte) integral(node, path, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16:
                return (short) integral(node, path, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32:
                return (int) integral(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64:
                return integral(node, path, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT32:
                return exactFloat(number(node, path), path);
            case FLOAT64:
                return exactDouble(number(node, path), path);
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw mismatch(path, "a boolean", node);
                }
                return node.booleanValue();
            case STRING:
                if (!node.isTextual()) {
                    throw mismatch(path, "a string", node);
                }
                return node.textValue();
            case BYTES:
                if (!node.isTextual()) {
                    throw mismatch(path, "base64 text", node);
                }
                try {
                    return Base64.getDecoder().decode(node.textValue());
                } catch (IllegalArgumentException e) {
                    throw new DataException(path + " is not valid base64");
                }
            case ARRAY: {
                if (!node.isArray()) {
                    throw mismatch(path, "an array", node);
                }
                List<Object> list = new ArrayList<>(node.size());
                int i = 0;
                for (JsonNode item : node) {
                    list.add(toConnect(item, schema.valueSchema(), path + "[" + i++ + "]"));
                }
                return list;
            }
            case MAP: {
                if (!node.isObject()) {
                    throw mismatch(path, "an object", node);
                }
                if (schema.keySchema().type() != Schema.Type.STRING) {
                    throw new DataException(path + ": only maps with string keys can come from JSON");
                }
                Map<Object, Object> map = new LinkedHashMap<>();
                node.fields()
                        .forEachRemaining(e -> map.put(
                                e.getKey(), toConnect(e.getValue(), schema.valueSchema(), path + "." + e.getKey())));
                return map;
            }
            case STRUCT: {
                if (!node.isObject()) {
                    throw mismatch(path, "an object", node);
                }
                Struct struct = new Struct(schema);
                Iterator<String> names = node.fieldNames();
                while (names.hasNext()) {
                    String name = names.next();
                    if (schema.field(name) == null) {
                        throw new DataException(path + "." + name + " is not a field of the schema");
                    }
                }
                for (Field field : schema.fields()) {
                    struct.put(field, toConnect(node.get(field.name()), field.schema(), path + "." + field.name()));
                }
                return struct;
            }
            default:
                throw new DataException(path + ": unsupported schema type " + schema.type());
        }
    }

    private static Object logical(JsonNode node, Schema schema, String path) {
        switch (schema.name()) {
            case Decimal.LOGICAL_NAME: {
                int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                BigDecimal value = node.isTextual() ? parseDecimal(node.textValue(), path) : number(node, path);
                try {
                    return value.setScale(scale);
                } catch (ArithmeticException e) {
                    throw new DataException(path + ": " + value.toPlainString() + " does not fit scale " + scale);
                }
            }
            case Timestamp.LOGICAL_NAME:
                if (node.isIntegralNumber()) {
                    return new java.util.Date(node.longValue());
                }
                try {
                    return java.util.Date.from(TimeValues.toInstant(node.asText(), "ms"));
                } catch (TemplateHelperException e) {
                    throw new DataException(path + ": " + e.getMessage());
                }
            case Date.LOGICAL_NAME:
                if (node.isIntegralNumber()) {
                    return new java.util.Date(node.longValue() * 86_400_000L);
                }
                try {
                    return new java.util.Date(LocalDate.parse(node.asText()).toEpochDay() * 86_400_000L);
                } catch (RuntimeException e) {
                    throw new DataException(path + ": '" + node.asText() + "' is not a date (yyyy-MM-dd)");
                }
            case Time.LOGICAL_NAME:
                if (node.isIntegralNumber()) {
                    return new java.util.Date(node.longValue());
                }
                try {
                    return new java.util.Date(LocalTime.parse(node.asText()).toNanoOfDay() / 1_000_000L);
                } catch (RuntimeException e) {
                    throw new DataException(path + ": '" + node.asText() + "' is not a time (HH:mm:ss.SSS)");
                }
            default:
                return null;
        }
    }

    private static BigDecimal parseDecimal(String text, String path) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new DataException(path + ": '" + text + "' is not a number");
        }
    }

    private static BigDecimal number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw mismatch(path, "a number", node);
        }
        return node.decimalValue();
    }

    private static long integral(JsonNode node, String path, long min, long max) {
        BigDecimal value = number(node, path);
        BigInteger integer;
        try {
            integer = value.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw mismatch(path, "an integer", node);
        }
        if (integer.compareTo(BigInteger.valueOf(min)) < 0 || integer.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new DataException(path + ": " + integer + " is out of range [" + min + ", " + max + "]");
        }
        return integer.longValue();
    }

    private static DataException mismatch(String path, String expected, JsonNode node) {
        return new DataException(path + " must be " + expected + ", got "
                + node.getNodeType().toString().toLowerCase());
    }
}
