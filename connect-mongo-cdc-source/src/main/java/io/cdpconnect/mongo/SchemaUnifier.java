/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * One element schema for the elements of a BSON array, which may differ in type: numbers widen (int32 to int64
 * to double), decimals take the largest scale, structs merge their fields, an unknown null or empty array fits
 * anything. {@link #unify} answers null when no lossless common schema exists.
 */
final class SchemaUnifier {

    private SchemaUnifier() {}

    static Schema unify(Schema a, Schema b) {
        if (a == b || a.equals(b)) {
            return a;
        }
        if (a == BsonConverter.NULL_SCHEMA) {
            return b;
        }
        if (b == BsonConverter.NULL_SCHEMA) {
            return a;
        }
        if (a == BsonConverter.EMPTY_ARRAY_SCHEMA && b.type() == Schema.Type.ARRAY) {
            return b;
        }
        if (b == BsonConverter.EMPTY_ARRAY_SCHEMA && a.type() == Schema.Type.ARRAY) {
            return a;
        }
        if (isDecimal(a) && isDecimal(b)) {
            return scale(a) >= scale(b) ? a : b;
        }
        if (a.type() == Schema.Type.STRUCT
                && b.type() == Schema.Type.STRUCT
                && !BsonConverter.BSON_TIMESTAMP.equals(a.name())
                && !BsonConverter.BSON_TIMESTAMP.equals(b.name())) {
            return mergeStructs(a, b); // documents, named or not: the result is renamed by its user
        }
        if (a.name() != null || b.name() != null) {
            return null; // different logical types (ObjectId vs string, Timestamp vs int64...) stay apart
        }
        if (isNumber(a) && isNumber(b)) {
            if (a.type() == Schema.Type.FLOAT64 || b.type() == Schema.Type.FLOAT64) {
                return Schema.OPTIONAL_FLOAT64_SCHEMA;
            }
            return Schema.OPTIONAL_INT64_SCHEMA;
        }
        if (a.type() == Schema.Type.ARRAY && b.type() == Schema.Type.ARRAY) {
            Schema element = unify(a.valueSchema(), b.valueSchema());
            return element == null
                    ? null
                    : SchemaBuilder.array(element).optional().build();
        }
        if (a.type() == Schema.Type.STRUCT && b.type() == Schema.Type.STRUCT) {
            return mergeStructs(a, b);
        }
        return null;
    }

    private static Schema mergeStructs(Schema a, Schema b) {
        SchemaBuilder merged = SchemaBuilder.struct().optional();
        for (Field fa : a.fields()) {
            Field fb = b.field(fa.name());
            Schema s = fb == null ? fa.schema() : unify(fa.schema(), fb.schema());
            if (s == null) {
                return null;
            }
            merged.field(fa.name(), s);
        }
        for (Field fb : b.fields()) {
            if (a.field(fb.name()) == null) {
                merged.field(fb.name(), fb.schema());
            }
        }
        return merged.build();
    }

    /** Converts a value of schema {@code from} to the unified schema {@code to}. */
    static Object adapt(Object value, Schema from, Schema to) {
        if (value == null || from == to || Objects.equals(from, to)) {
            return value;
        }
        if (isDecimal(to)) {
            return ((BigDecimal) value).setScale(scale(to)); // only ever widens the scale: exact
        }
        switch (to.type()) {
            case INT64:
                return ((Number) value).longValue();
            case FLOAT64:
                return ((Number) value).doubleValue();
            case ARRAY: {
                List<?> in = (List<?>) value;
                List<Object> out = new ArrayList<>(in.size());
                for (Object element : in) {
                    out.add(adapt(element, from.valueSchema(), to.valueSchema()));
                }
                return out;
            }
            case STRUCT: {
                Struct in = (Struct) value;
                Struct out = new Struct(to);
                for (Field f : from.fields()) {
                    out.put(
                            f.name(),
                            adapt(in.get(f), f.schema(), to.field(f.name()).schema()));
                }
                return out;
            }
            default:
                return value;
        }
    }

    private static boolean isDecimal(Schema s) {
        return Decimal.LOGICAL_NAME.equals(s.name());
    }

    private static int scale(Schema s) {
        return Integer.parseInt(s.parameters().get(Decimal.SCALE_FIELD));
    }

    private static boolean isNumber(Schema s) {
        return s.type() == Schema.Type.INT32 || s.type() == Schema.Type.INT64 || s.type() == Schema.Type.FLOAT64;
    }
}
