/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * MongoDB relaxed extended JSON (what the MongoDB source writes with {@code output.format=json} or
 * {@code document.format=json}) back to the values its Struct output carries, so both outputs fill the same
 * columns with the same values: {@code {"$oid": h}} → the hex string, {@code $numberDecimal} → BigDecimal,
 * {@code $date} → Instant, {@code $numberLong}/{@code $numberInt}/{@code $numberDouble} → the number,
 * {@code $binary} → bytes (UUID subtypes → the UUID text), {@code $timestamp} → {@code {t, i}}. Anything else
 * (regex, code, min/max key, a malformed wrapper) stays as it is, so it lands as JSON unchanged, never guessed.
 */
final class MongoExtendedJson {

    private MongoExtendedJson() {}

    /** Plain values (maps, lists, scalars) with every known wrapper replaced by its value. */
    static Object decode(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                String name = String.valueOf(only.getKey());
                if (name.startsWith("$")) {
                    Object unwrapped = unwrap(name, only.getValue());
                    if (unwrapped != null) {
                        return unwrapped;
                    }
                }
            }
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), decode(e.getValue()));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(decode(item));
            }
            return out;
        }
        return value;
    }

    /** The value of one wrapper, or null when it is not one this knows exactly. */
    private static Object unwrap(String name, Object inner) {
        try {
            switch (name) {
                case "$oid":
                    return inner instanceof String s ? s : null;
                case "$numberDecimal":
                    return inner instanceof String s ? decimal(s) : null;
                case "$numberLong":
                    return inner instanceof String s ? Long.valueOf(s) : null;
                case "$numberInt":
                    return inner instanceof String s ? Integer.valueOf(s) : null;
                case "$numberDouble":
                    return inner instanceof String s ? Double.valueOf(s) : null;
                case "$date":
                    if (inner instanceof String s) {
                        return OffsetDateTime.parse(s).toInstant();
                    }
                    if (inner instanceof Map<?, ?> m && m.size() == 1 && m.get("$numberLong") instanceof String s) {
                        return Instant.ofEpochMilli(Long.parseLong(s));
                    }
                    return inner instanceof Number n && !(inner instanceof BigDecimal)
                            ? Instant.ofEpochMilli(n.longValue())
                            : null;
                case "$timestamp":
                    if (inner instanceof Map<?, ?> m
                            && m.size() == 2
                            && m.get("t") instanceof Number t
                            && m.get("i") instanceof Number i) {
                        Map<String, Object> ts = new LinkedHashMap<>();
                        ts.put("t", t.longValue());
                        ts.put("i", i.longValue());
                        return ts;
                    }
                    return null;
                case "$binary":
                    return inner instanceof Map<?, ?> m ? binary(m) : null;
                default:
                    return null;
            }
        } catch (RuntimeException notExactlyAWrapper) {
            return null;
        }
    }

    private static Object decimal(String text) {
        BigDecimal d = new BigDecimal(text); // NaN / Infinity throw: the wrapper stays JSON
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    private static Object binary(Map<?, ?> m) {
        if (!(m.get("base64") instanceof String base64)
                || !(m.get("subType") instanceof String subType)
                || m.size() != 2) {
            return null;
        }
        byte[] data = Base64.getDecoder().decode(base64);
        int type = Integer.parseInt(subType, 16);
        if ((type == 3 || type == 4) && data.length == 16) {
            ByteBuffer b = ByteBuffer.wrap(data);
            long msb = b.getLong();
            long lsb = b.getLong();
            if (type == 3) { // the Java driver's legacy byte order, as the source decodes it
                msb = Long.reverseBytes(msb);
                lsb = Long.reverseBytes(lsb);
            }
            return new UUID(msb, lsb).toString();
        }
        return data;
    }
}
