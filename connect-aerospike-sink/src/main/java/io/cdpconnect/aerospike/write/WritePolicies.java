package io.cdpconnect.aerospike.write;

import com.aerospike.client.policy.BatchDeletePolicy;
import com.aerospike.client.policy.BatchWritePolicy;
import com.aerospike.client.policy.RecordExistsAction;
import io.cdpconnect.aerospike.AerospikeSinkConfig;

/** The per-record batch policies shared by the planners, built once from the config. */
public final class WritePolicies {

    private final boolean sendKey;
    private final int expiration;
    private final boolean durableDelete;

    public WritePolicies(AerospikeSinkConfig config, boolean forceSendKey) {
        this.sendKey = forceSendKey || config.getBoolean(AerospikeSinkConfig.SEND_KEY);
        this.expiration = config.getInt(AerospikeSinkConfig.RECORD_TTL_SECONDS);
        this.durableDelete = config.getBoolean(AerospikeSinkConfig.DURABLE_DELETE);
    }

    /** A write policy; callers that set a per-record filter expression ask for a fresh copy. */
    public BatchWritePolicy write(RecordExistsAction action) {
        BatchWritePolicy policy = new BatchWritePolicy();
        policy.sendKey = sendKey;
        policy.expiration = expiration;
        policy.durableDelete = durableDelete;
        policy.recordExistsAction = action;
        return policy;
    }

    public BatchDeletePolicy delete() {
        BatchDeletePolicy policy = new BatchDeletePolicy();
        policy.durableDelete = durableDelete;
        policy.sendKey = sendKey;
        return policy;
    }
}
