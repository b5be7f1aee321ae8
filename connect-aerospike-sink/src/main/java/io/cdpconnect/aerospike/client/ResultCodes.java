/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.client;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;

/**
 * The error class of an Aerospike result code, which decides what the sink does with a failed write:
 * <ul>
 *   <li>transient: the cluster or network cannot take the write now (timeouts, migrations, overload,
 *       stop-writes, device full, forbidden at this time, lost XDR conflict) — retried with back-off;</li>
 *   <li>systemic: the connector's setup is wrong (role or allow-list violation, Enterprise-only feature, unknown
 *       namespace, unsupported feature) — the task fails with the cause and the fix, no record is dead-lettered;</li>
 *   <li>otherwise a property of the record (type mismatch, record too big, bad parameter) — the record goes to
 *       the errant record reporter (DLQ).</li>
 * </ul>
 */
public final class ResultCodes {

    private ResultCodes() {}

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
            case ResultCode.BATCH_MAX_REQUESTS_EXCEEDED:
            case ResultCode.BATCH_QUEUES_FULL:
            case ResultCode.QUOTA_EXCEEDED:
            case ResultCode.EXPIRED_SESSION:
            case ResultCode.NOT_AUTHENTICATED:
            case ResultCode.MRT_BLOCKED:
            case ResultCode.INDEX_OOM:
            case ResultCode.QUERY_QUEUEFULL:
            case ResultCode.QUERY_TIMEOUT:
            // server-side states that pass: stop-writes / device full (8 "out of space"), writes forbidden at
            // this time (22: stop-writes, clock skew, set being truncated), a write that lost an XDR conflict (28)
            case ResultCode.SERVER_MEM_ERROR:
            case ResultCode.FAIL_FORBIDDEN:
            case ResultCode.LOST_CONFLICT:
                return true;
            default:
                return false;
        }
    }

    /** Codes that no retry and no other record will fix: the setup must change. */
    public static boolean isSystemic(int resultCode) {
        switch (resultCode) {
            case ResultCode.ROLE_VIOLATION:
            case ResultCode.NOT_WHITELISTED:
            case ResultCode.ALWAYS_FORBIDDEN:
            case ResultCode.ENTERPRISE_ONLY:
            case ResultCode.UNSUPPORTED_FEATURE:
            case ResultCode.INVALID_NAMESPACE:
            case ResultCode.SECURITY_NOT_ENABLED:
            case ResultCode.SECURITY_NOT_SUPPORTED:
            case ResultCode.INVALID_USER:
            case ResultCode.INVALID_PASSWORD:
            case ResultCode.EXPIRED_PASSWORD:
            case ResultCode.INVALID_CREDENTIAL:
            case ResultCode.BATCH_DISABLED:
                return true;
            default:
                return false;
        }
    }

    /** What a transient server-side condition usually is, for the retry warning; "" when obvious. */
    public static String transientHint(int resultCode) {
        return switch (resultCode) {
            case ResultCode.SERVER_MEM_ERROR ->
                " (stop-writes: the namespace's memory or device is full; free space "
                        + "or add capacity, writes resume by themselves)";
            case ResultCode.FAIL_FORBIDDEN ->
                " (stop-writes, clock skew, a set being truncated, or a TTL on a namespace "
                        + "with nsup-period 0: then enable nsup or set record.ttl.seconds=-1)";
            case ResultCode.LOST_CONFLICT -> " (a concurrent XDR write won; retried)";
            default -> "";
        };
    }

    /** What to change for a systemic code, for the task's failure message. */
    public static String fix(int resultCode) {
        return switch (resultCode) {
            case ResultCode.ROLE_VIOLATION ->
                "grant aerospike.user a role with read-write (and sindex-admin "
                        + "when segments.index.create=true) on the namespace, or fix aerospike.user";
            case ResultCode.NOT_WHITELISTED -> "add the Connect workers' addresses to the role's allow-list";
            case ResultCode.ENTERPRISE_ONLY ->
                "this server is Community Edition: set aerospike.durable.delete=false "
                        + "(and drop other Enterprise-only options)";
            case ResultCode.INVALID_NAMESPACE -> "set aerospike.namespace to a namespace the cluster has";
            case ResultCode.ALWAYS_FORBIDDEN, ResultCode.UNSUPPORTED_FEATURE ->
                "the server's configuration refuses "
                        + "this kind of write (e.g. allow-ttl-without-nsup for record.ttl.seconds, a server older than 7.0)";
            case ResultCode.BATCH_DISABLED -> "enable batch commands on the server (batch-index-threads > 0)";
            default -> "check aerospike.user, aerospike.password and aerospike.auth.mode";
        };
    }

    /**
     * Whether a command-level failure is transient: a transient code, or any failure while the client sees no live
     * node (then even "namespace not found" only means the partition map is empty until the cluster is back).
     */
    public static boolean isTransient(AerospikeException e, IAerospikeClient client) {
        if (isTransient(e.getResultCode())) {
            return true;
        }
        if (e.getResultCode() == ResultCode.INVALID_NAMESPACE
                && String.valueOf(e.getMessage()).contains("Partition map empty")) {
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
