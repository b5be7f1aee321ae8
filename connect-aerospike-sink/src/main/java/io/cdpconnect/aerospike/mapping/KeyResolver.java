package io.cdpconnect.aerospike.mapping;

import com.aerospike.client.Key;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.AerospikeSinkConfig.SetSource;
import io.cdpconnect.common.FieldPath;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Builds the Aerospike {@link Key} of a record: namespace, set (fixed, the topic, or a field) and user key (a
 * value field or the Kafka record key). Integral keys become integer keys, everything else a string key, so the
 * digest matches what a service computes with {@code new Key(ns, set, "u-1")} or {@code new Key(ns, set, 42L)}.
 */
public final class KeyResolver {

    private final String namespace;
    private final SetSource setSource;
    private final String fixedSet;
    private final FieldPath setField;
    private final FieldPath keyField;

    public KeyResolver(AerospikeSinkConfig config) {
        this.namespace = config.getString(AerospikeSinkConfig.NAMESPACE);
        this.setSource = config.setSource();
        String set = config.getString(AerospikeSinkConfig.SET);
        this.fixedSet = set.isBlank() ? null : set.trim();
        String setFieldPath = config.getString(AerospikeSinkConfig.SET_FIELD);
        this.setField = setFieldPath.isBlank() ? null : FieldPath.of(setFieldPath);
        String keyPath = config.getString(AerospikeSinkConfig.KEY_FIELD);
        this.keyField = keyPath.isBlank() ? null : FieldPath.of(keyPath);
    }

    public String namespace() {
        return namespace;
    }

    /** The key; {@code root} is the parsed value (may be null for tombstones, then the key must be the record key). */
    public Key key(SinkRecord record, Object root) {
        String set = set(record, root);
        Object userKey;
        String where;
        if (keyField != null) {
            where = "value field '" + keyField + "'";
            userKey = root == null ? null : keyField.get(root);
        } else {
            where = "record key";
            userKey = record.key();
        }
        return toKey(set, userKey, where);
    }

    /** The key from the Kafka record key (tombstones); the set must not depend on the value. */
    public Key keyFromRecordKey(SinkRecord record) {
        if (setSource == SetSource.FIELD) {
            throw new DataException("a tombstone has no value to read the set field '" + setField + "' from");
        }
        return toKey(set(record, null), record.key(), "record key");
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

    private Key toKey(String set, Object userKey, String where) {
        Object k = userKey instanceof JsonNode node ? scalar(node) : userKey;
        if (k instanceof Struct || k instanceof Map) {
            throw new DataException(where + " must be a string or an integer, not a structure");
        }
        if (k == null || (k instanceof String s && s.isEmpty())) {
            throw new DataException(where + " is missing: it is the Aerospike user key");
        }
        if (k instanceof String s) {
            return new Key(namespace, set, s);
        }
        if (k instanceof Long || k instanceof Integer || k instanceof Short || k instanceof Byte) {
            return new Key(namespace, set, ((Number) k).longValue());
        }
        if (k instanceof BigInteger i && i.bitLength() < 64) {
            return new Key(namespace, set, i.longValue());
        }
        if (k instanceof byte[] b) {
            return new Key(namespace, set, b);
        }
        if (k instanceof ByteBuffer buffer) {
            return new Key(namespace, set, (byte[]) ValueMapper.toAerospike(buffer));
        }
        return new Key(namespace, set, k.toString());
    }

    private static Object scalar(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        throw new DataException("the user key must be a string or an integer, got " + node.getNodeType());
    }
}
