/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class ErrantReportingTest {

    @Test
    void noContextMeansNoReporter() {
        assertThat(ErrantReporting.reporterOf(null)).isNull();
    }

    @Test
    void aFailedReportFailsTheWaitNamingItsCause() {
        ErrantReporting.awaitAll(List.of(CompletableFuture.completedFuture(null)));
        Future<Void> failed = CompletableFuture.failedFuture(new IllegalStateException("DLQ topic missing"));
        assertThatThrownBy(() -> ErrantReporting.awaitAll(List.of(failed)))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("could not report")
                .hasRootCauseMessage("DLQ topic missing");
    }
}
