package io.cdpconnect.aerospike.client;

import com.aerospike.client.ResultCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransientErrorsTest {

    @Test
    void clusterAndNetworkConditionsAreTransient() {
        for (int code : new int[] {ResultCode.TIMEOUT, ResultCode.SERVER_NOT_AVAILABLE, ResultCode.NO_MORE_CONNECTIONS,
                ResultCode.INVALID_NODE_ERROR, ResultCode.PARTITION_UNAVAILABLE, ResultCode.CLUSTER_KEY_MISMATCH,
                ResultCode.KEY_BUSY, ResultCode.DEVICE_OVERLOAD, ResultCode.NO_RESPONSE, ResultCode.MAX_RETRIES_EXCEEDED,
                ResultCode.BATCH_QUEUES_FULL, ResultCode.SERVER_MEM_ERROR}) {
            assertThat(TransientErrors.isTransient(code)).as(TransientErrors.describe(code)).isTrue();
        }
    }

    @Test
    void recordProblemsAreNot() {
        for (int code : new int[] {ResultCode.BIN_TYPE_ERROR, ResultCode.RECORD_TOO_BIG, ResultCode.PARAMETER_ERROR,
                ResultCode.KEY_EXISTS_ERROR, ResultCode.FILTERED_OUT, ResultCode.BIN_NAME_TOO_LONG,
                ResultCode.FAIL_FORBIDDEN, ResultCode.OP_NOT_APPLICABLE, ResultCode.ROLE_VIOLATION}) {
            assertThat(TransientErrors.isTransient(code)).as(TransientErrors.describe(code)).isFalse();
        }
        assertThat(TransientErrors.describe(ResultCode.BIN_TYPE_ERROR)).startsWith("12 (");
    }
}
