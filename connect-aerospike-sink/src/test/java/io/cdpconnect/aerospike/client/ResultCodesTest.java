/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.aerospike.client.ResultCode;
import org.junit.jupiter.api.Test;

class ResultCodesTest {

    @Test
    void setupProblemsAreSystemicWithAFix() {
        for (int code : new int[] {
            ResultCode.ROLE_VIOLATION,
            ResultCode.NOT_WHITELISTED,
            ResultCode.ENTERPRISE_ONLY,
            ResultCode.INVALID_NAMESPACE
        }) {
            assertThat(ResultCodes.isSystemic(code))
                    .as(ResultCodes.describe(code))
                    .isTrue();
            assertThat(ResultCodes.isTransient(code))
                    .as(ResultCodes.describe(code))
                    .isFalse();
            assertThat(ResultCodes.fix(code)).isNotBlank();
        }
        assertThat(ResultCodes.isSystemic(ResultCode.BIN_TYPE_ERROR)).isFalse();
    }

    @Test
    void clusterAndNetworkConditionsAreTransient() {
        for (int code : new int[] {
            ResultCode.TIMEOUT,
            ResultCode.SERVER_NOT_AVAILABLE,
            ResultCode.NO_MORE_CONNECTIONS,
            ResultCode.INVALID_NODE_ERROR,
            ResultCode.PARTITION_UNAVAILABLE,
            ResultCode.CLUSTER_KEY_MISMATCH,
            ResultCode.KEY_BUSY,
            ResultCode.DEVICE_OVERLOAD,
            ResultCode.NO_RESPONSE,
            ResultCode.MAX_RETRIES_EXCEEDED,
            ResultCode.BATCH_QUEUES_FULL,
            ResultCode.SERVER_MEM_ERROR,
            ResultCode.FAIL_FORBIDDEN,
            ResultCode.LOST_CONFLICT
        }) {
            assertThat(ResultCodes.isTransient(code))
                    .as(ResultCodes.describe(code))
                    .isTrue();
        }
    }

    @Test
    void recordProblemsAreNot() {
        for (int code : new int[] {
            ResultCode.BIN_TYPE_ERROR,
            ResultCode.RECORD_TOO_BIG,
            ResultCode.PARAMETER_ERROR,
            ResultCode.KEY_EXISTS_ERROR,
            ResultCode.FILTERED_OUT,
            ResultCode.BIN_NAME_TOO_LONG,
            ResultCode.OP_NOT_APPLICABLE
        }) {
            assertThat(ResultCodes.isTransient(code))
                    .as(ResultCodes.describe(code))
                    .isFalse();
        }
        assertThat(ResultCodes.describe(ResultCode.BIN_TYPE_ERROR)).startsWith("12 (");
    }
}
