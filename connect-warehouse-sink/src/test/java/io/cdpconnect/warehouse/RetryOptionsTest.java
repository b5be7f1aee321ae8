/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** max.retries counts failed writes only; reading the stored offsets at assignment has its own bound. */
class RetryOptionsTest {

    @Test
    void offsetReadsAndWritesHaveTheirOwnRetryBounds() {
        WarehouseSinkConfig defaults = new WarehouseSinkConfig(Map.of());
        assertThat(defaults.maxRetries()).isEqualTo(30);
        assertThat(defaults.offsetsReadMaxRetries()).isEqualTo(30);
        WarehouseSinkConfig config = new WarehouseSinkConfig(
                Map.of(WarehouseSinkConfig.MAX_RETRIES, "5", WarehouseSinkConfig.OFFSETS_READ_MAX_RETRIES, "2"));
        assertThat(config.maxRetries()).isEqualTo(5);
        assertThat(config.offsetsReadMaxRetries()).isEqualTo(2);
    }
}
