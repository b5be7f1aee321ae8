/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Decimal128;

/**
 * BSON values to Connect data, in two shapes.
 *
 * <p>{@link #toConnect}: a value with an inferred Connect schema. ObjectId becomes a string named
 * {@value #OBJECT_ID}, Decimal128 a {@link Decimal} with the value's scale, dates a {@link Timestamp}, binary
 * bytes (UUID subtypes a string named {@value #UUID}), documents Structs (every field optional: documents of a
 * collection differ), arrays Arrays whose element schema is unified across elements (numbers widen, structs
 * merge their fields); an array whose elements cannot be unified becomes an array of relaxed extended JSON
 * strings, named {@value #MIXED_ARRAY}, rather than losing data.
 *
 */
final class BsonConverter {

    static final String OBJECT_ID = "io.cdpconnect.mongo.ObjectId";
    static final String UUID = "io.cdpconnect.mongo.UUID";
    static final String BSON_TIMESTAMP = "io.cdpconnect.mongo.BsonTimestamp";
    static final String EXTENDED_JSON = "io.cdpconnect.mongo.ExtendedJson";
    static final String MIXED_ARRAY = "io.cdpconnect.mongo.MixedArray";

    static final JsonWriterSettings RELAXED =
            JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    static final Schema OBJECT_ID_SCHEMA =
            SchemaBuilder.string().name(OBJECT_ID).optional().build();
    static final Schema UUID_SCHEMA =
            SchemaBuilder.string().name(UUID).optional().build();
    static final Schema TIMESTAMP_SCHEMA = Timestamp.builder().optional().build();
    static final Schema BSON_TIMESTAMP_SCHEMA = SchemaBuilder.struct()
            .name(BSON_TIMESTAMP)
            .optional()
            .field("t", Schema.INT64_SCHEMA)
            .field("i", Schema.INT64_SCHEMA)
            .build();
    static final Schema EXTENDED_JSON_SCHEMA =
            SchemaBuilder.string().name(EXTENDED_JSON).optional().build();
    static final Schema MIXED_ARRAY_SCHEMA = SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA)
            .name(MIXED_ARRAY)
            .optional()
            .build();
    /** Schema of a null whose type is unknown. */
    static final Schema NULL_SCHEMA = SchemaBuilder.string().optional().build();
    /** Schema of an empty array, whose element type is unknown. */
    static final Schema EMPTY_ARRAY_SCHEMA =
            SchemaBuilder.array(NULL_SCHEMA).optional().build();

    private BsonConverter() {}

    /** Whether {@code schema} is one of the constant schemas {@link #toConnect} answers for scalars. */
    static boolean isShared(Schema schema) {
        return schema == OBJECT_ID_SCHEMA
                || schema == Schema.OPTIONAL_STRING_SCHEMA
                || schema == Schema.OPTIONAL_INT32_SCHEMA
                || schema == Schema.OPTIONAL_INT64_SCHEMA
                || schema == UUID_SCHEMA
                || schema == Schema.OPTIONAL_FLOAT64_SCHEMA
                || schema == TIMESTAMP_SCHEMA
                || schema == Schema.OPTIONAL_BOOLEAN_SCHEMA
                || schema == Schema.OPTIONAL_BYTES_SCHEMA
                || schema == EXTENDED_JSON_SCHEMA;
    }

    // ------------------------------------------------------------------ Connect with schema

    /** A document as a Struct with an inferred schema named {@code name} (may be null). */
    static SchemaAndValue toStruct(BsonDocument document, String name) {
        return toStruct(document, name, false);
    }

    /**
     * A document as a Struct with an inferred schema named {@code name} (may be null); with {@code avroNames} the
     * field names are made Avro-safe ({@link #fieldName}), and two fields that would get one name are an error.
     */
    static SchemaAndValue toStruct(BsonDocument document, String name, boolean avroNames) {
        List<String> names = new ArrayList<>(document.size());
        List<SchemaAndValue> values = new ArrayList<>(document.size());
        SchemaBuilder builder = SchemaBuilder.struct().optional();
        if (name != null) {
            builder.name(name);
        }
        for (Map.Entry<String, BsonValue> e : document.entrySet()) {
            String field = fieldName(e.getKey(), avroNames);
            if (avroNames && builder.field(field) != null) {
                throw CollectionSchemas.collision(original(document, field, e.getKey(), avroNames), e.getKey(), field);
            }
            SchemaAndValue sv = toConnect(e.getValue(), avroNames);
            builder.field(field, sv.schema());
            names.add(field);
            values.add(sv);
        }
        Schema schema = builder.build();
        Struct struct = new Struct(schema);
        for (int i = 0; i < names.size(); i++) {
            struct.put(names.get(i), values.get(i).value());
        }
        return new SchemaAndValue(schema, struct);
    }

    /** The Connect field name of a BSON field: as is, or Avro-safe ({@code [A-Za-z_][A-Za-z0-9_]*}). */
    static String fieldName(String bsonName, boolean avroNames) {
        if (!avroNames) {
            return bsonName;
        }
        for (int i = 0; i < bsonName.length(); i++) {
            char c = bsonName.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return CollectionSchemas.avroSegment(bsonName);
            }
        }
        return bsonName.isEmpty() ? "_" : bsonName;
    }

    private static String original(BsonDocument document, String field, String not, boolean avroNames) {
        for (String key : document.keySet()) {
            if (!key.equals(not) && fieldName(key, avroNames).equals(field)) {
                return key;
            }
        }
        return field;
    }

    static SchemaAndValue toConnect(BsonValue value) {
        return toConnect(value, false);
    }

    static SchemaAndValue toConnect(BsonValue value, boolean avroNames) {
        switch (value.getBsonType()) {
            case NULL:
            case UNDEFINED:
                return new SchemaAndValue(NULL_SCHEMA, null);
            case STRING:
                return new SchemaAndValue(
                        Schema.OPTIONAL_STRING_SCHEMA, value.asString().getValue());
            case INT32:
                return new SchemaAndValue(
                        Schema.OPTIONAL_INT32_SCHEMA, value.asInt32().getValue());
            case INT64:
                return new SchemaAndValue(
                        Schema.OPTIONAL_INT64_SCHEMA, value.asInt64().getValue());
            case DOUBLE:
                return new SchemaAndValue(
                        Schema.OPTIONAL_FLOAT64_SCHEMA, value.asDouble().getValue());
            case BOOLEAN:
                return new SchemaAndValue(
                        Schema.OPTIONAL_BOOLEAN_SCHEMA, value.asBoolean().getValue());
            case OBJECT_ID:
                return new SchemaAndValue(
                        OBJECT_ID_SCHEMA, value.asObjectId().getValue().toHexString());
            case DECIMAL128:
                return decimal(value.asDecimal128().getValue());
            case DATE_TIME:
                return new SchemaAndValue(
                        TIMESTAMP_SCHEMA, new Date(value.asDateTime().getValue()));
            case TIMESTAMP: {
                Struct ts = new Struct(BSON_TIMESTAMP_SCHEMA)
                        .put("t", (long) value.asTimestamp().getTime())
                        .put("i", (long) value.asTimestamp().getInc());
                return new SchemaAndValue(BSON_TIMESTAMP_SCHEMA, ts);
            }
            case BINARY: {
                BsonBinary binary = value.asBinary();
                if (BsonBinarySubType.isUuid(binary.getType()) && binary.getData().length == 16) {
                    java.util.UUID uuid = binary.asUuid(
                            binary.getType() == BsonBinarySubType.UUID_STANDARD.getValue()
                                    ? org.bson.UuidRepresentation.STANDARD
                                    : org.bson.UuidRepresentation.JAVA_LEGACY);
                    return new SchemaAndValue(UUID_SCHEMA, uuid.toString());
                }
                return new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, binary.getData());
            }
            case DOCUMENT:
                return toStruct(value.asDocument(), null, avroNames);
            case ARRAY:
                return array(value.asArray(), avroNames);
            default:
                // regex, javascript, symbol, min/max key, db pointer: keep them exactly as extended JSON.
                return new SchemaAndValue(EXTENDED_JSON_SCHEMA, extendedJson(value));
        }
    }

    private static SchemaAndValue decimal(Decimal128 d) {
        if (d.isNaN() || d.isInfinite()) {
            throw new DataException("Decimal128 " + d + " has no Connect Decimal representation");
        }
        BigDecimal big = d.bigDecimalValue();
        if (big.scale() < 0) {
            big = big.setScale(0);
        }
        return new SchemaAndValue(Decimal.builder(big.scale()).optional().build(), big);
    }

    private static SchemaAndValue array(BsonArray array, boolean avroNames) {
        if (array.isEmpty()) {
            return new SchemaAndValue(EMPTY_ARRAY_SCHEMA, new ArrayList<>(0));
        }
        List<SchemaAndValue> elements = new ArrayList<>(array.size());
        Schema unified = null;
        boolean compatible = true;
        for (BsonValue v : array) {
            SchemaAndValue sv = toConnect(v, avroNames);
            elements.add(sv);
            if (sv.value() == null) {
                continue; // a null fits any element schema
            }
            if (unified == null) {
                unified = sv.schema();
            } else if (compatible) {
                unified = SchemaUnifier.unify(unified, sv.schema());
                compatible = unified != null;
            }
        }
        if (!compatible) {
            List<Object> json = new ArrayList<>(array.size());
            for (BsonValue v : array) {
                json.add(v.isNull() ? null : extendedJson(v));
            }
            return new SchemaAndValue(MIXED_ARRAY_SCHEMA, json);
        }
        if (unified == null) {
            unified = NULL_SCHEMA;
        }
        List<Object> values = new ArrayList<>(elements.size());
        for (SchemaAndValue sv : elements) {
            values.add(SchemaUnifier.adapt(sv.value(), sv.schema(), unified));
        }
        return new SchemaAndValue(SchemaBuilder.array(unified).optional().build(), values);
    }

    /** One BSON value as relaxed extended JSON text (a document or, for a scalar, the scalar's JSON). */
    static String extendedJson(BsonValue value) {
        if (value.isDocument()) {
            return value.asDocument().toJson(RELAXED);
        }
        String wrapped = new BsonDocument("v", value).toJson(RELAXED);
        // {"v": <json>} -> <json>
        return wrapped.substring(wrapped.indexOf(':') + 1, wrapped.length() - 1).trim();
    }
}
