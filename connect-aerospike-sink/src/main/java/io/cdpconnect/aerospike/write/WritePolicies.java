/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.policy.BatchDeletePolicy;
import com.aerospike.client.policy.BatchWritePolicy;
import com.aerospike.client.policy.CommitLevel;
import com.aerospike.client.policy.RecordExistsAction;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.mapping.ValueMapper;
import io.cdpconnect.common.FieldPath;
import org.apache.kafka.connect.errors.DataException;

/**
 * The per-record batch policies shared by the planners, built once from the config: send key, commit level,
 * durable delete, the record TTL ({@code record.ttl.seconds}, or per record from {@code ttl.field}).
 */
public final class WritePolicies {

    private final boolean sendKey;
    private final int expiration;
    private final boolean durableDelete;
    private final CommitLevel commitLevel;
    private final FieldPath ttlField;

    public WritePolicies(AerospikeSinkConfig config, boolean forceSendKey) {
        this.sendKey = forceSendKey || config.sendKey();
        this.expiration = config.recordTtlSeconds();
        this.durableDelete = config.durableDelete();
        this.commitLevel = config.commitLevel() == AerospikeSinkConfig.CommitLevel.MASTER
                ? CommitLevel.COMMIT_MASTER
                : CommitLevel.COMMIT_ALL;
        String ttl = config.ttlField();
        this.ttlField = ttl.isBlank() ? null : FieldPath.of(ttl);
    }

    /** A write policy; callers that set a per-record filter expression ask for a fresh copy. */
    public BatchWritePolicy write(RecordExistsAction action) {
        BatchWritePolicy policy = new BatchWritePolicy();
        policy.sendKey = sendKey;
        policy.expiration = expiration;
        policy.durableDelete = durableDelete;
        policy.commitLevel = commitLevel;
        policy.recordExistsAction = action;
        return policy;
    }

    /**
     * {@code base}, or a copy with the record's own TTL when {@code ttl.field} is set and present in the value.
     * The copy is per record, so a caller may also set a per-record filter on it.
     */
    public BatchWritePolicy forRecord(BatchWritePolicy base, Object root, boolean mustCopy) {
        Integer ttl = ttl(root);
        if (ttl == null && !mustCopy) {
            return base;
        }
        BatchWritePolicy policy = new BatchWritePolicy(base);
        if (ttl != null) {
            policy.expiration = ttl;
        }
        return policy;
    }

    /** The value's TTL in seconds from ttl.field, or null when not configured or absent. */
    Integer ttl(Object root) {
        if (ttlField == null || root == null) {
            return null;
        }
        Object value = ttlField.get(root);
        if (value == null || (value instanceof com.fasterxml.jackson.databind.JsonNode node && node.isNull())) {
            return null;
        }
        Number n;
        try {
            n = ValueMapper.toNumber(value);
        } catch (DataException e) {
            throw new DataException("ttl field '" + ttlField + "': " + e.getMessage());
        }
        if (!(n instanceof Long l) || l < -2 || l > Integer.MAX_VALUE) {
            throw new DataException("ttl field '" + ttlField + "' must be a whole number of seconds: -1 never, "
                    + "-2 keep, 0 namespace default or up to " + Integer.MAX_VALUE + "; got " + value);
        }
        return (int) l.longValue();
    }

    public BatchDeletePolicy delete() {
        BatchDeletePolicy policy = new BatchDeletePolicy();
        policy.durableDelete = durableDelete;
        policy.sendKey = sendKey;
        policy.commitLevel = commitLevel;
        return policy;
    }
}
