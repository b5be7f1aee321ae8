/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.apache.kafka.connect.source.SourceTaskContext;

/**
 * Mirrors a metric group into Kafka's plugin metrics (KIP-877, Kafka 4.1+). This class names
 * {@link PluginMetrics}, so it is touched only inside {@link CdpMetrics#bindPluginMetrics}'s guard: on an older
 * worker loading it fails with a {@link LinkageError} that the caller swallows.
 */
final class KafkaPluginMetricsBridge implements MetricsMirror {

    private final PluginMetrics pluginMetrics;
    private final MetricGroup group;
    private final List<MetricName> registered = new ArrayList<>();

    private KafkaPluginMetricsBridge(PluginMetrics pluginMetrics, MetricGroup group) {
        this.pluginMetrics = pluginMetrics;
        this.group = group;
    }

    static KafkaPluginMetricsBridge bind(Object context, MetricGroup group) {
        PluginMetrics metrics;
        if (context instanceof SinkTaskContext sink) {
            metrics = sink.pluginMetrics();
        } else if (context instanceof SourceTaskContext source) {
            metrics = source.pluginMetrics();
        } else if (context instanceof ConnectorContext connector) {
            metrics = connector.pluginMetrics();
        } else {
            return null;
        }
        if (metrics == null) {
            return null;
        }
        KafkaPluginMetricsBridge bridge = new KafkaPluginMetricsBridge(metrics, group);
        for (String name : group.allPublished().keySet()) {
            bridge.publish(name);
        }
        return bridge;
    }

    /** Registers one published metric; the worker's tags (connector, task) are added by the worker itself. */
    @Override
    public synchronized void publish(String metric) {
        MetricGroup.Published p = group.published(metric);
        if (p == null) {
            return;
        }
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("plugin", group.plugin);
        for (Map.Entry<String, String> tag : group.tags.entrySet()) {
            if (!tag.getKey().equals("connector") && !tag.getKey().equals("task")) {
                tags.put(tag.getKey(), tag.getValue());
            }
        }
        MetricName name = pluginMetrics.metricName("cdp." + group.plugin + "." + metric, p.description(), tags);
        Gauge<Double> gauge = (config, now) -> p.value().getAsDouble();
        pluginMetrics.addMetric(name, gauge);
        registered.add(name);
    }

    @Override
    public synchronized void close() {
        for (MetricName name : registered) {
            pluginMetrics.removeMetric(name);
        }
        registered.clear();
    }
}
