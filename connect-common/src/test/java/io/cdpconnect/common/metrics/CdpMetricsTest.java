/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CdpMetricsTest {

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void countersLatenciesAndGaugesAreReadableOverJmxUnderTheScopeName() throws Exception {
        try (CdpMetrics metrics = CdpMetrics.open(MetricsScope.of("warehouse-sink", "orders", "0"))) {
            ObjectName name = new ObjectName("cdp.warehouse-sink:connector=\"orders\",task=\"0\"");
            assertEquals(name, metrics.objectName());
            metrics.counter("records-written", "rows written").add(41);
            metrics.counter("records-written", "rows written").increment();
            Latency flush = metrics.latency("flush-latency", "time of one flush");
            for (int i = 1; i <= 100; i++) {
                flush.record(i * 1_000_000L);
            }
            metrics.longGauge("buffered-records", "records waiting", () -> 7);
            metrics.gauge("last-commit-age-ms", "since the last commit", () -> 12.5);

            assertEquals(42L, jmx.getAttribute(name, "records-written"));
            assertEquals(99.0, (double) jmx.getAttribute(name, "flush-latency-p99-ms"), 1e-9);
            assertEquals(50.0, (double) jmx.getAttribute(name, "flush-latency-p50-ms"), 1e-9);
            assertEquals(100.0, (double) jmx.getAttribute(name, "flush-latency-max-ms"), 1e-9);
            assertEquals(100L, jmx.getAttribute(name, "flush-latency-count"));
            assertEquals(7L, jmx.getAttribute(name, "buffered-records"));
            assertEquals(12.5, (double) jmx.getAttribute(name, "last-commit-age-ms"), 1e-9);
            assertEquals(
                    Set.of(
                            "records-written",
                            "flush-latency-p50-ms",
                            "flush-latency-p99-ms",
                            "flush-latency-max-ms",
                            "flush-latency-count",
                            "buffered-records",
                            "last-commit-age-ms"),
                    Set.copyOf(Arrays.stream(jmx.getMBeanInfo(name).getAttributes())
                            .map(a -> a.getName())
                            .toList()));
        }
        assertFalse(jmx.isRegistered(new ObjectName("cdp.warehouse-sink:connector=\"orders\",task=\"0\"")));
    }

    @Test
    void theSameScopeOpenedTwiceSharesCountersUntilTheLastHolderCloses() throws Exception {
        MetricsScope scope = new MetricsScope("validation", "events", "1", "validate");
        CdpMetrics first = CdpMetrics.open(scope);
        CdpMetrics second = CdpMetrics.open(scope); // a restarted task that opens before its predecessor closed
        first.counter("valid", "").add(3);
        assertSame(first.counter("valid", ""), second.counter("valid", ""));
        first.close();
        assertTrue(jmx.isRegistered(CdpMetrics.objectName(scope)), "still held by the second instance");
        second.counter("valid", "").increment();
        assertEquals(4L, jmx.getAttribute(CdpMetrics.objectName(scope), "valid"));
        second.close();
        assertFalse(jmx.isRegistered(CdpMetrics.objectName(scope)));
    }

    @Test
    void taggedChildrenAreTheirOwnMBeansAndCappedSoGarbageKeysCannotExhaustMemory() throws Exception {
        try (CdpMetrics metrics = CdpMetrics.open(new MetricsScope("validation", "c", "0", "v"))) {
            for (int i = 0; i < CdpMetrics.MAX_TAGGED_CHILDREN + 5; i++) {
                metrics.tagged("event_type", "t" + i).counter("invalid", "").increment();
            }
            ObjectName t0 = new ObjectName("cdp.validation:connector=\"c\",task=\"0\",alias=\"v\",event_type=\"t0\"");
            assertEquals(1L, jmx.getAttribute(t0, "invalid"));
            ObjectName other = new ObjectName(
                    "cdp.validation:connector=\"c\",task=\"0\",alias=\"v\",event_type=\"" + CdpMetrics.OTHER + "\"");
            assertEquals(5L, jmx.getAttribute(other, "invalid"), "the values past the cap count under _other");
        }
        assertTrue(
                jmx.queryNames(new ObjectName("cdp.validation:connector=\"c\",*"), null)
                        .isEmpty(),
                "children are unregistered with their parent");
    }

    @Test
    void scopeComesFromConnectsLoggingContextOnThePluginsThread() {
        MDC.put(MetricsScope.CONNECTOR_CONTEXT, "[event-store|task-3] ");
        MetricsScope scope = MetricsScope.fromLoggingContext("validation", "validate", "fallback");
        assertEquals(new MetricsScope("validation", "event-store", "3", "validate"), scope);

        MDC.put(MetricsScope.CONNECTOR_CONTEXT, "[a|b|worker] ");
        assertEquals(
                new MetricsScope("validation", "a|b", "worker", null),
                MetricsScope.fromLoggingContext("validation", null, null),
                "a connector name may hold '|'");

        MDC.clear();
        assertEquals(
                new MetricsScope("template", "fallback", MetricsScope.UNKNOWN, "t"),
                MetricsScope.fromLoggingContext("template", "t", "fallback"));
    }

    @Test
    void metricsAreMirroredIntoKafkasPluginMetricsWhenTheWorkerOffersThem() {
        try (Metrics registry = new Metrics();
                CdpMetrics metrics = CdpMetrics.open(MetricsScope.of("aerospike-sink", "segments", "0"))) {
            PluginMetricsImpl pluginMetrics =
                    new PluginMetricsImpl(registry, Map.of("connector", "segments", "task", "0"));
            metrics.counter("records-written", "").add(5);
            metrics.bindPluginMetrics(context(pluginMetrics));
            metrics.counter("deletes-missing", "").add(2); // created after binding: mirrored too

            assertEquals(5.0, value(registry, "cdp.aerospike-sink.records-written"));
            assertEquals(2.0, value(registry, "cdp.aerospike-sink.deletes-missing"));
            metrics.close();
            assertTrue(
                    registry.metrics().keySet().stream().noneMatch(n -> n.name().startsWith("cdp.")),
                    "closing removes the mirrored metrics");
        }
    }

    @Test
    void bindingAContextWithoutPluginMetricsIsANoOp() {
        try (CdpMetrics metrics = CdpMetrics.open(MetricsScope.of("mongo-source", "m", "0"))) {
            metrics.bindPluginMetrics(new Object());
            metrics.bindPluginMetrics(null);
            metrics.counter("events", "").increment();
            assertEquals(Map.of("events", 1L), metrics.snapshot());
        }
    }

    private static double value(Metrics registry, String metric) {
        for (Map.Entry<MetricName, KafkaMetric> e : registry.metrics().entrySet()) {
            if (e.getKey().name().equals(metric)) {
                assertEquals("aerospike-sink", e.getKey().tags().get("plugin"));
                assertEquals("segments", e.getKey().tags().get("connector"));
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError(
                "no plugin metric " + metric + " in " + registry.metrics().keySet());
    }

    private static SinkTaskContext context(PluginMetrics pluginMetrics) {
        return new SinkTaskContext() {
            public Map<String, String> configs() {
                return Map.of();
            }

            public void offset(Map<TopicPartition, Long> offsets) {}

            public void offset(TopicPartition tp, long offset) {}

            public void timeout(long timeoutMs) {}

            public Set<TopicPartition> assignment() {
                return Set.of();
            }

            public void pause(TopicPartition... partitions) {}

            public void resume(TopicPartition... partitions) {}

            public void requestCommit() {}

            public ErrantRecordReporter errantRecordReporter() {
                return null;
            }

            public PluginMetrics pluginMetrics() {
                return pluginMetrics;
            }
        };
    }
}
