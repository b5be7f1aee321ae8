/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.mapping;

import com.aerospike.client.Key;
import com.aerospike.client.Value;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.AerospikeSinkConfig.KeyType;
import io.cdpconnect.aerospike.AerospikeSinkConfig.SetSource;
import io.cdpconnect.common.FieldPath;
import io.cdpconnect.common.RecordJson;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Builds the Aerospike {@link Key} of a record: namespace, set (fixed, the topic, or a field) and user key (a
 * value field or the Kafka record key), coerced by {@code key.type}: {@code string} and {@code long} force one
 * type, {@code auto} keeps integral numbers as integer keys and everything else as string keys. The digest then
 * matches what a service computes with {@code new Key(ns, set, "u-1")} or {@code new Key(ns, set, 42L)}.
 *
 * <p>A tombstone has no value, so its key comes from the Kafka key, read with the same field and coerced the same
 * way as the write key ({@link #tombstoneKey}): a delete reaches exactly the record the writes created.
 */
public final class KeyResolver {

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");

    private final String namespace;
    private final SetSource setSource;
    private final String fixedSet;
    private final FieldPath setField;
    private final FieldPath keyField;
    private final KeyType keyType;
    private final FieldPath namespaceField;
    private final List<FieldPath> keyFields;
    private final String separator;
    private final boolean digest;

    public KeyResolver(AerospikeSinkConfig config) {
        this.namespace = config.namespace();
        String nsField = config.namespaceField();
        this.namespaceField = nsField.isBlank() ? null : FieldPath.of(nsField);
        List<FieldPath> fields = new ArrayList<>();
        for (String path : AerospikeSinkConfig.nonBlank(config.keyFields())) {
            fields.add(FieldPath.of(path));
        }
        this.keyFields = List.copyOf(fields);
        this.separator = config.keyFieldsSeparator();
        this.digest = config.keyDigest();
        this.setSource = config.setSource();
        String set = config.set();
        this.fixedSet = set.isBlank() ? null : set.trim();
        String setFieldPath = config.setField();
        this.setField = setFieldPath.isBlank() ? null : FieldPath.of(setFieldPath);
        String keyPath = config.keyField();
        this.keyField = keyPath.isBlank() ? null : FieldPath.of(keyPath);
        this.keyType = config.keyType();
    }

    public String namespace() {
        return namespace;
    }

    /** The key of a write; {@code root} is the parsed value. */
    public Key key(SinkRecord record, Object root) {
        String ns = namespace(root);
        String set = set(record, root);
        if (!keyFields.isEmpty()) {
            return new Key(ns, set, composite(root, "value"));
        }
        if (keyField != null) {
            Object userKey = root == null ? null : keyField.get(root);
            return toKey(ns, set, userKey, "value field '" + keyField + "'");
        }
        return toKey(ns, set, record.key(), "record key");
    }

    private String namespace(Object root) {
        if (namespaceField == null) {
            return namespace;
        }
        String ns = root == null ? null : namespaceField.getString(root);
        if (ns == null || ns.isBlank()) {
            throw new DataException("namespace field '" + namespaceField + "' is missing");
        }
        if (ns.length() > 31) {
            throw new DataException("namespace '" + ns + "' is longer than Aerospike's 31 characters");
        }
        return ns;
    }

    /** The parts of a composite key joined by the separator; every part must be present and scalar. */
    private String composite(Object root, String what) {
        StringBuilder out = new StringBuilder();
        for (FieldPath field : keyFields) {
            Object part = root == null ? null : field.get(root);
            Object k = part instanceof JsonNode node ? scalar(node, "key part '" + field + "'") : part;
            if (k == null
                    || k instanceof Struct
                    || k instanceof Map
                    || k instanceof byte[]
                    || k instanceof ByteBuffer
                    || k.toString().isEmpty()) {
                throw new DataException("key part '" + field + "' of the " + what + " is missing or not a scalar: "
                        + AerospikeSinkConfig.KEY_FIELDS + " needs every part");
            }
            if (out.length() > 0) {
                out.append(separator);
            }
            out.append(k);
        }
        return out.toString();
    }

    /**
     * The key of a tombstone, from the Kafka record key: with {@code key.field}, a structured key (Struct, Map,
     * JSON object text) is read at that field; a plain key is the field's value itself. Both are coerced by
     * {@code key.type} exactly as {@link #key} coerces the value field.
     */
    public Key tombstoneKey(SinkRecord record) {
        if (setSource == SetSource.FIELD) {
            throw new DataException("a tombstone has no value to read the set field '" + setField + "' from");
        }
        if (namespaceField != null) {
            throw new DataException(
                    "a tombstone has no value to read the namespace field '" + namespaceField + "' from");
        }
        String set = set(record, null);
        Object kafkaKey = record.key();
        if (!keyFields.isEmpty()) {
            Object structured = structured(kafkaKey);
            if (structured != null) {
                return new Key(namespace, set, composite(structured, "tombstone's record key"));
            }
            Object text = plainText(kafkaKey);
            if (!(text instanceof String joined) || joined.isEmpty()) {
                throw new DataException("a tombstone's record key must hold the " + AerospikeSinkConfig.KEY_FIELDS
                        + " parts or be the joined key text");
            }
            return new Key(namespace, set, joined);
        }
        if (keyField == null) {
            return toKey(namespace, set, kafkaKey, "record key");
        }
        Object structured = structured(kafkaKey);
        if (structured != null) {
            return toKey(
                    namespace, set, keyField.get(structured), "field '" + keyField + "' of the tombstone's record key");
        }
        if (keyType == KeyType.AUTO
                && !digest
                && plainText(kafkaKey) instanceof String text
                && INTEGER.matcher(text.trim()).matches()) {
            // The write key was the integer or the string, depending on the value's JSON type, which a text key
            // no longer shows. Guessing would delete nothing (or the wrong record): say how to make it exact.
            throw new DataException("the tombstone's record key '" + text + "' may stand for the integer key " + text
                    + " or the string key \"" + text + "\" of value field '" + keyField + "'; set "
                    + AerospikeSinkConfig.KEY_TYPE + "=long or " + AerospikeSinkConfig.KEY_TYPE
                    + "=string so writes and deletes use the same key");
        }
        return toKey(namespace, set, kafkaKey, "tombstone's record key (standing for value field '" + keyField + "')");
    }

    /** The key as something FieldPath reads, when it is a structure; null for a plain key. */
    private static Object structured(Object kafkaKey) {
        if (kafkaKey instanceof Struct || kafkaKey instanceof Map) {
            return kafkaKey;
        }
        if (kafkaKey instanceof JsonNode node) {
            return node.isObject() ? node : null;
        }
        Object text = plainText(kafkaKey);
        if (text instanceof String s && s.trim().startsWith("{")) {
            return RecordJson.parse(s);
        }
        return null;
    }

    private static Object plainText(Object kafkaKey) {
        if (kafkaKey instanceof String s) {
            return s;
        }
        return kafkaKey instanceof JsonNode node && node.isTextual() ? node.textValue() : null;
    }

    String set(SinkRecord record, Object root) {
        switch (setSource) {
            case TOPIC:
                return checkSet(record.topic());
            case FIELD:
                String s = root == null ? null : setField.getString(root);
                if (s == null || s.isBlank()) {
                    throw new DataException("set field '" + setField + "' is missing");
                }
                return checkSet(s);
            default:
                return fixedSet;
        }
    }

    private static String checkSet(String set) {
        if (set.length() > 63) {
            throw new DataException("set name '" + set + "' is longer than Aerospike's 63 characters");
        }
        return set;
    }

    private Key toKey(String ns, String set, Object userKey, String where) {
        if (digest) {
            return new Key(ns, digest(userKey, where), set, null);
        }
        return new Key(ns, set, userKey(userKey, where));
    }

    /** A 20-byte RIPEMD-160 digest given as bytes or 40 hex characters (key.digest=true). */
    private static byte[] digest(Object userKey, String where) {
        Object k = userKey instanceof JsonNode node && node.isTextual() ? node.textValue() : userKey;
        byte[] bytes = null;
        if (k instanceof byte[] b) {
            bytes = b;
        } else if (k instanceof ByteBuffer buffer) {
            bytes = (byte[]) ValueMapper.toAerospike(buffer);
        } else if (k instanceof String hex && hex.trim().matches("[0-9a-fA-F]{40}")) {
            bytes = java.util.HexFormat.of().parseHex(hex.trim());
        }
        if (bytes == null || bytes.length != 20) {
            throw new DataException(where + " must be a 20-byte digest (bytes or 40 hex characters) because "
                    + AerospikeSinkConfig.KEY_DIGEST + "=true");
        }
        return bytes;
    }

    /** The user key as the Aerospike {@link Value} the digest is computed from. */
    Value userKey(Object userKey, String where) {
        Object k = userKey instanceof JsonNode node ? scalar(node, where) : userKey;
        if (k instanceof Struct || k instanceof Map) {
            throw new DataException(where + " must be a string or an integer, not a structure");
        }
        if (k == null || (k instanceof String s && s.isEmpty())) {
            throw new DataException(where + " is missing: it is the Aerospike user key");
        }
        switch (keyType) {
            case STRING:
                if (k instanceof byte[] || k instanceof ByteBuffer) {
                    throw new DataException(where + " is binary but " + AerospikeSinkConfig.KEY_TYPE + "=string");
                }
                return Value.get(k.toString());
            case LONG:
                return Value.get(asLong(k, where));
            default:
                return autoKey(k);
        }
    }

    private static Value autoKey(Object k) {
        if (k instanceof String s) {
            return Value.get(s);
        }
        if (k instanceof Long || k instanceof Integer || k instanceof Short || k instanceof Byte) {
            return Value.get(((Number) k).longValue());
        }
        if (k instanceof BigInteger i && i.bitLength() < 64) {
            return Value.get(i.longValue());
        }
        if (k instanceof byte[] b) {
            return Value.get(b);
        }
        if (k instanceof ByteBuffer buffer) {
            return Value.get((byte[]) ValueMapper.toAerospike(buffer));
        }
        return Value.get(k.toString());
    }

    private static long asLong(Object k, String where) {
        if (k instanceof Long || k instanceof Integer || k instanceof Short || k instanceof Byte) {
            return ((Number) k).longValue();
        }
        if (k instanceof BigInteger i && i.bitLength() < 64) {
            return i.longValue();
        }
        if (k instanceof String s && INTEGER.matcher(s.trim()).matches()) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException tooBig) {
                // falls through to the error below
            }
        }
        throw new DataException(
                where + " is '" + k + "', not an integer, but " + AerospikeSinkConfig.KEY_TYPE + "=long");
    }

    /** A JSON scalar as a Java value: integral numbers as Long, other scalars as their text. */
    private static Object scalar(JsonNode node, String where) {
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        throw new DataException(where + " must be a string or an integer, got " + node.getNodeType());
    }
}
