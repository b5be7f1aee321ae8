package io.cdpconnect.aerospike.client;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;

/**
 * Which Aerospike result codes are worth retrying: the cluster or network is momentarily unable to take the
 * write, and the same write will succeed later. Everything else is a property of the record (type mismatch,
 * record too big, bad parameters) and is reported as a record error instead.
 */
public final class TransientErrors {

    private TransientErrors() {
    }

    public static boolean isTransient(int resultCode) {
        switch (resultCode) {
            // client side: no connection, node gone, nothing answered
            case ResultCode.SERVER_NOT_AVAILABLE:
            case ResultCode.NO_MORE_CONNECTIONS:
            case ResultCode.INVALID_NODE_ERROR:
            case ResultCode.MAX_RETRIES_EXCEEDED:
            case ResultCode.MAX_ERROR_RATE:
            case ResultCode.ASYNC_QUEUE_FULL:
            case ResultCode.NO_RESPONSE:
            case ResultCode.BATCH_FAILED:
            case ResultCode.TIMEOUT:
            // server side: cluster changing, partitions migrating or unavailable, overload
            case ResultCode.CLUSTER_KEY_MISMATCH:
            case ResultCode.PARTITION_UNAVAILABLE:
            case ResultCode.KEY_BUSY:
            case ResultCode.XDR_KEY_BUSY:
            case ResultCode.DEVICE_OVERLOAD:
            case ResultCode.SERVER_MEM_ERROR:
            case ResultCode.BATCH_MAX_REQUESTS_EXCEEDED:
            case ResultCode.BATCH_QUEUES_FULL:
            case ResultCode.QUOTA_EXCEEDED:
            case ResultCode.EXPIRED_SESSION:
            case ResultCode.NOT_AUTHENTICATED:
            case ResultCode.MRT_BLOCKED:
            case ResultCode.INDEX_OOM:
            case ResultCode.QUERY_QUEUEFULL:
            case ResultCode.QUERY_TIMEOUT:
                return true;
            default:
                return false;
        }
    }

    /**
     * Whether a command-level failure is transient: a transient code, or any failure while the client sees no live
     * node (then even "namespace not found" only means the partition map is empty until the cluster is back).
     */
    public static boolean isTransient(AerospikeException e, IAerospikeClient client) {
        if (isTransient(e.getResultCode())) {
            return true;
        }
        if (e.getResultCode() == ResultCode.INVALID_NAMESPACE && String.valueOf(e.getMessage()).contains("Partition map empty")) {
            return true;
        }
        try {
            return client != null && !client.isConnected();
        } catch (RuntimeException closed) {
            return false;
        }
    }

    /** "12 (Bin type error)": the code and the client's text for it, as shown in DLQ headers and logs. */
    public static String describe(int resultCode) {
        return resultCode + " (" + ResultCode.getResultString(resultCode) + ")";
    }
}
