/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One document schema per collection, kept by the task and reused for every record, that only widens: a field
 * seen for the first time is added (every field is optional), int32 widens to int64 and double, a Decimal keeps its
 * scale. With Avro, Protobuf or JSON Schema converters the subject gets a new, backward compatible version only
 * when documents gain fields, instead of one schema per document.
 *
 * <p>Struct schemas are named deterministically after the collection and the field path ({@code shop.orders},
 * {@code shop.orders.customer.address}, an array's elements {@code shop.orders.items}); names and, with
 * {@code document.field.names=avro}, field names are made Avro-safe ({@code [A-Za-z_][A-Za-z0-9_]*}).
 *
 * <p>A document that cannot fit a widening of the collection's schema (a field that was a string is now a
 * document) is written with its own schema, logged once per collection: nothing is changed to make it fit.
 */
final class CollectionSchemas {
    private static final Logger log = LoggerFactory.getLogger(CollectionSchemas.class);
    /** A value that does not fit the target schema. */
    private static final Object NO_FIT = new Object();

    private final boolean avroFieldNames;
    /** decimal.scale: every Decimal has this scale; negative: the largest scale seen (widens). */
    private final int decimalScale;

    private final Map<String, Schema> byNamespace = new HashMap<>();
    private final Map<String, String> baseNames = new HashMap<>();

    CollectionSchemas(boolean avroFieldNames, int decimalScale) {
        this.avroFieldNames = avroFieldNames;
        this.decimalScale = decimalScale;
    }

    /** The collection's current schema, or null before its first document. */
    Schema current(String namespace) {
        return byNamespace.get(namespace);
    }

    /**
     * Widens the collection's schema so every given document fits (nulls are skipped), and returns it. Documents
     * that cannot fit leave the schema as it was; {@link #value} then answers null for them.
     */
    Schema widen(String namespace, BsonDocument... documents) {
        Schema schema = byNamespace.get(namespace);
        if (schema == null) {
            // An empty struct to start with: the first records (a delete, say) already have the collection's schema.
            schema = SchemaBuilder.struct().name(baseName(namespace)).optional().build();
            byNamespace.put(namespace, schema);
        }
        for (BsonDocument doc : documents) {
            if (doc == null || (schema != null && fits(doc, schema))) {
                continue;
            }
            Schema own = BsonConverter.toStruct(doc, null, avroFieldNames).schema();
            Schema merged = SchemaUnifier.unify(schema, own);
            if (merged == null) {
                log.warn(
                        "{}: a document does not fit a widening of the collection's schema (a field changed its "
                                + "type); it is written with its own schema. Use document.format=json for collections whose "
                                + "field types vary.",
                        namespace);
                continue;
            }
            schema = named(merged, baseName(namespace), decimalScale);
            byNamespace.put(namespace, schema);
        }
        return schema;
    }

    /** The document as a Struct of {@code schema} (from {@link #widen}), or null when it does not fit. */
    Struct value(BsonDocument doc, Schema schema) {
        Object v = into(doc, schema);
        return v == NO_FIT ? null : (Struct) v;
    }

    /** The document with its own schema, named like the collection's: for a document that fits no widening. */
    SchemaAndValue own(String namespace, BsonDocument doc) {
        SchemaAndValue sv = BsonConverter.toStruct(doc, null, avroFieldNames);
        Schema schema = named(sv.schema(), baseName(namespace), decimalScale);
        Object value = into(doc, schema);
        if (value == NO_FIT) {
            throw new DataException("document does not fit its own schema"); // cannot happen: named() only renames
        }
        return new SchemaAndValue(schema, value);
    }

    private boolean fits(BsonDocument doc, Schema schema) {
        return into(doc, schema) != NO_FIT;
    }

    private String baseName(String namespace) {
        return baseNames.computeIfAbsent(namespace, CollectionSchemas::avroName);
    }

    // ------------------------------------------------------------------ conversion into a given schema

    private Object into(BsonValue value, Schema target) {
        if (value.isNull() || value.getBsonType() == org.bson.BsonType.UNDEFINED) {
            return null;
        }
        if (value.isDocument()
                && target.type() == Schema.Type.STRUCT
                && !BsonConverter.BSON_TIMESTAMP.equals(target.name())) {
            BsonDocument doc = value.asDocument();
            Struct out = new Struct(target);
            java.util.Set<String> renamed = null;
            for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
                String name = BsonConverter.fieldName(e.getKey(), avroFieldNames);
                Field f = target.field(name);
                if (f == null) {
                    return NO_FIT;
                }
                if (avroFieldNames && !name.equals(e.getKey()) || renamed != null) {
                    // Only documents with renamed fields pay for the check that two fields do not share a name.
                    if (renamed == null) {
                        renamed = new java.util.HashSet<>();
                        for (String k : doc.keySet()) {
                            if (k.equals(e.getKey())) {
                                break;
                            }
                            renamed.add(BsonConverter.fieldName(k, true));
                        }
                    }
                    if (!renamed.add(name)) {
                        throw collision(e.getKey(), e.getKey(), name);
                    }
                }
                Object v = into(e.getValue(), f.schema());
                if (v == NO_FIT) {
                    return NO_FIT;
                }
                out.put(f, v);
            }
            return out;
        }
        if (value.isArray() && target.type() == Schema.Type.ARRAY) {
            BsonArray array = value.asArray();
            List<Object> out = new ArrayList<>(array.size());
            if (BsonConverter.MIXED_ARRAY.equals(target.name())) {
                for (BsonValue v : array) {
                    out.add(v.isNull() ? null : BsonConverter.extendedJson(v));
                }
                return out;
            }
            for (BsonValue v : array) {
                Object converted = into(v, target.valueSchema());
                if (converted == NO_FIT) {
                    return NO_FIT;
                }
                out.add(converted);
            }
            return out;
        }
        if (value.isDocument() || value.isArray()) {
            return NO_FIT;
        }
        // The common scalars without an intermediate SchemaAndValue (per field of every record).
        Schema.Type type = target.type();
        String name = target.name();
        switch (value.getBsonType()) {
            case STRING:
                return type == Schema.Type.STRING && name == null
                        ? value.asString().getValue()
                        : NO_FIT;
            case INT32:
                if (name == null) {
                    int i = value.asInt32().getValue();
                    return type == Schema.Type.INT32
                            ? (Object) i
                            : type == Schema.Type.INT64
                                    ? (Object) (long) i
                                    : type == Schema.Type.FLOAT64 ? (Object) (double) i : NO_FIT;
                }
                return NO_FIT;
            case BOOLEAN:
                return type == Schema.Type.BOOLEAN && name == null
                        ? (Object) value.asBoolean().getValue()
                        : NO_FIT;
            case DOUBLE:
                return type == Schema.Type.FLOAT64 && name == null
                        ? (Object) value.asDouble().getValue()
                        : NO_FIT;
            case DATE_TIME:
                return org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME.equals(name)
                        ? new java.util.Date(value.asDateTime().getValue())
                        : NO_FIT;
            case OBJECT_ID:
                return BsonConverter.OBJECT_ID.equals(name)
                        ? value.asObjectId().getValue().toHexString()
                        : NO_FIT;
            default:
                break;
        }
        SchemaAndValue leaf = BsonConverter.toConnect(value);
        Schema from = leaf.schema();
        if (sameType(from, target)) {
            return leaf.value();
        }
        if (Decimal.LOGICAL_NAME.equals(from.name()) && Decimal.LOGICAL_NAME.equals(target.name())) {
            BigDecimal d = (BigDecimal) leaf.value();
            int scale = Integer.parseInt(target.parameters().get(Decimal.SCALE_FIELD));
            if (d.scale() <= scale) {
                return d.setScale(scale); // widening the scale is exact
            }
            if (decimalScale >= 0) {
                throw new DataException("Decimal " + d.toPlainString() + " has more than decimal.scale=" + decimalScale
                        + " decimal places; it is not rounded. Raise decimal.scale or use document.format=json");
            }
            return NO_FIT;
        }
        if (from.name() == null && target.name() == null) {
            if (from.type() == Schema.Type.INT32 && target.type() == Schema.Type.INT64) {
                return ((Integer) leaf.value()).longValue();
            }
            if ((from.type() == Schema.Type.INT32 || from.type() == Schema.Type.INT64)
                    && target.type() == Schema.Type.FLOAT64) {
                return ((Number) leaf.value()).doubleValue();
            }
        }
        return NO_FIT;
    }

    private static boolean sameType(Schema a, Schema b) {
        if (a.type() != b.type()) {
            return false;
        }
        if (a.name() == null ? b.name() != null : !a.name().equals(b.name())) {
            return false;
        }
        return !Decimal.LOGICAL_NAME.equals(a.name()) || a.parameters().equals(b.parameters());
    }

    // ------------------------------------------------------------------ names

    /** The schema with its document structs named {@code base}, {@code base.field}, {@code base.field.sub}... */
    static Schema named(Schema schema, String base, int decimalScale) {
        if (decimalScale >= 0 && Decimal.LOGICAL_NAME.equals(schema.name())) {
            return Decimal.builder(decimalScale).optional().build();
        }
        switch (schema.type()) {
            case STRUCT: {
                if (BsonConverter.BSON_TIMESTAMP.equals(schema.name())) {
                    return schema;
                }
                SchemaBuilder b = SchemaBuilder.struct().name(base).optional();
                for (Field f : schema.fields()) {
                    b.field(f.name(), named(f.schema(), base + "." + avroSegment(f.name()), decimalScale));
                }
                return b.build();
            }
            case ARRAY: {
                Schema element = named(schema.valueSchema(), base, decimalScale);
                if (element == schema.valueSchema()) {
                    return schema;
                }
                SchemaBuilder b = SchemaBuilder.array(element).optional();
                if (schema.name() != null) {
                    b.name(schema.name());
                }
                return b.build();
            }
            default:
                return schema;
        }
    }

    /** An Avro full name for a namespace: each dot-separated part Avro-safe. */
    static String avroName(String namespace) {
        String[] parts = namespace.split("\\.", -1);
        StringBuilder out = new StringBuilder(namespace.length() + 4);
        for (String part : parts) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(avroSegment(part));
        }
        return out.toString();
    }

    /** {@code [A-Za-z_][A-Za-z0-9_]*}: other characters become '_', a leading digit (or nothing) gets a '_' first. */
    static String avroSegment(String s) {
        StringBuilder out = new StringBuilder(s.length() + 1);
        if (s.isEmpty() || (s.charAt(0) >= '0' && s.charAt(0) <= '9')) {
            out.append('_');
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' ? c : '_');
        }
        return out.toString();
    }

    /** Thrown by {@link BsonConverter#fieldName} users when two fields of one document get one Avro name. */
    static DataException collision(String a, String b, String name) {
        return new DataException("fields '" + a + "' and '" + b + "' both become '" + name + "' as Avro-safe names; "
                + "set document.field.names=original or document.format=json for this collection");
    }
}
