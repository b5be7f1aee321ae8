/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.metrics;

/** A second place a metric group is published to (Kafka's plugin metrics); free of Kafka 4.x types. */
interface MetricsMirror extends AutoCloseable {

    /** Publishes the group's metric of this name (called once per name). */
    void publish(String metric);

    @Override
    void close();
}
