/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;

/**
 * Plain record values ({@link RecordJson#toPlain}: maps with String keys, lists, strings, numbers, booleans, null) as
 * JSON text, on the hot path of the sinks: without copying the value first and without Jackson's databind per node.
 *
 * <p>Exactness: the text is character for character what {@code RecordJson.write(RecordJson.toPlain(value, null,
 * false))} gives (Jackson's defaults): numbers as their Java type writes them (a BigDecimal keeps its scale, a Long
 * stays integral, a Double is written as Jackson writes a double), keys in the map's iteration order, strings with
 * Jackson's escapes. Whatever is not one of those shapes (a Struct, a JsonNode, bytes, a Date, anything else) is
 * handed to {@link RecordJson#toPlain} and Jackson for that sub-value, as the copy would have been.
 */
public final class PlainJson {

    private PlainJson() {}

    /** Whether {@code value} is plain already: {@link RecordJson#toPlain} would return an equal copy of it. */
    public static boolean isPlain(Object value) {
        if (value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Long
                || value instanceof Integer
                || value instanceof Double
                || value instanceof BigDecimal
                || value instanceof BigInteger
                || value instanceof Float
                || value instanceof Short
                || value instanceof Byte) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || !isPlain(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!isPlain(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * The value itself when it is plain ({@link #isPlain}), else the plain copy {@link RecordJson#toPlain} makes
     * (text is not parsed). The caller must not modify the result: it may be the record's own object.
     */
    public static Object view(Object value) {
        return isPlain(value) ? value : RecordJson.toPlain(value, null, false);
    }

    /**
     * The JSON text of {@code RecordJson.toPlain(value, null, false)}, as {@link RecordJson#write} writes it.
     *
     * @throws DataException when Jackson cannot write a part of it (as {@link RecordJson#write} would)
     */
    public static String write(Object value) {
        BufferRecycler recycler = RecordJson.MAPPER.getFactory()._getBufferRecycler();
        try (SegmentedStringWriter out = new SegmentedStringWriter(recycler)) {
            try (JsonGenerator g = RecordJson.MAPPER.createGenerator(out)) {
                write(g, value);
            }
            return out.getAndClear();
        } catch (IOException e) {
            throw new DataException("cannot write value as JSON: " + e.getMessage(), e);
        } finally {
            recycler.releaseToPool();
        }
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(g, map);
        } else if (value instanceof List<?> list) {
            g.writeStartArray(list, list.size());
            for (Object item : list) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else if (value instanceof Short s) {
            g.writeNumber(s);
        } else if (value instanceof Byte b) {
            g.writeNumber(b.intValue()); // Jackson writes a Byte as an int
        } else {
            // Struct, JsonNode, bytes, dates...: what the plain copy holds there, written by Jackson's databind
            RecordJson.MAPPER.writeValue(g, RecordJson.toPlain(value, null, false));
        }
    }

    private static void writeObject(JsonGenerator g, Map<?, ?> map) throws IOException {
        g.writeStartObject(map);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            // toPlain turns every key into String.valueOf(key)
            g.writeFieldName(e.getKey() instanceof String s ? s : String.valueOf(e.getKey()));
            write(g, e.getValue());
        }
        g.writeEndObject();
    }
}
