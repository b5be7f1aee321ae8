/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.MetricsScope;

/** A collection stream's metrics opened as a task opens them (JMX), for unit tests; closed after each test. */
final class StreamMetricsFixture implements AutoCloseable {

    private final String connector;
    private CdpMetrics task;

    StreamMetricsFixture(String connector) {
        this.connector = connector;
    }

    StreamMetrics forCollection(String namespace) {
        return new StreamMetrics(collection(namespace));
    }

    /** What the collection's MBean publishes now (cdp.mongo-cdc-source:...,collection=<namespace>). */
    java.util.Map<String, Object> published(String namespace) {
        return collection(namespace).snapshot(); // read only: a new StreamMetrics would replace the gauges
    }

    private CdpMetrics collection(String namespace) {
        if (task == null) {
            task = CdpMetrics.open(MetricsScope.of(MongoCdcSourceTask.METRICS_PLUGIN, connector, "0"));
        }
        return task.tagged("collection", namespace);
    }

    @Override
    public void close() {
        if (task != null) {
            task.close();
            task = null;
        }
    }
}
