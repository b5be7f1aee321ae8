/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.common.Bytes;
import io.cdpconnect.common.RecordJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Connect/Jackson values to the Java types the Aerospike client packs natively: String, long (all integral
 * numbers), double (floats and decimals; Aerospike has no decimal type), boolean, byte[] (blob), List and Map
 * (CDTs, nested freely). Timestamps and dates become epoch milliseconds so they stay comparable in expressions.
 */
public final class ValueMapper {

    private ValueMapper() {}

    public static Object toAerospike(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof BigInteger i) {
            if (i.bitLength() < 64) {
                return i.longValue();
            }
            throw new DataException("integer " + i + " does not fit Aerospike's 64-bit integer");
        }
        if (value instanceof byte[]) {
            return value;
        }
        if (value instanceof ByteBuffer buffer) {
            return Bytes.copyOf(buffer);
        }
        if (value instanceof java.util.Date date) {
            return date.getTime();
        }
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Struct struct) {
            Map<String, Object> map =
                    new HashMap<>(Math.max(4, struct.schema().fields().size() * 2));
            for (Field field : struct.schema().fields()) {
                Object v = struct.get(field);
                if (v != null) {
                    map.put(field.name(), toAerospike(v));
                }
            }
            return map;
        }
        if (value instanceof Map<?, ?> in) {
            Map<Object, Object> map = new HashMap<>(Math.max(4, in.size() * 2));
            for (Map.Entry<?, ?> e : in.entrySet()) {
                if (e.getKey() == null) {
                    throw new DataException("map keys must not be null");
                }
                map.put(toAerospike(e.getKey()), toAerospike(e.getValue()));
            }
            return map;
        }
        if (value instanceof Collection<?> in) {
            List<Object> list = new ArrayList<>(in.size());
            for (Object item : in) {
                list.add(toAerospike(item));
            }
            return list;
        }
        if (value instanceof JsonNode node) {
            return toAerospike(RecordJson.fromJsonNode(node));
        }
        throw new DataException("unsupported value type " + value.getClass().getName());
    }

    /** A number for a counter: integral inputs as Long, everything else as Double; text is parsed. */
    public static Number toNumber(Object value) {
        Object v = value instanceof JsonNode node ? RecordJson.fromJsonNode(node) : value;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger i) {
            return (Long) toAerospike(i);
        }
        if (v instanceof Float || v instanceof Double || v instanceof BigDecimal) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String s) {
            String t = s.trim();
            try {
                if (t.indexOf('.') < 0 && t.indexOf('e') < 0 && t.indexOf('E') < 0) {
                    return Long.parseLong(t);
                }
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new DataException("'" + s + "' is not a number");
            }
        }
        throw new DataException("expected a number but got "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }
}
