/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.metrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of one plugin instance, the one way every cdp-connect plugin publishes them.
 *
 * <ul>
 *   <li>Always as a JMX MBean {@code cdp.<plugin>:connector=<c>,task=<t>[,alias=<a>][,<tag>=<v>]} whose attributes
 *       are the metric names ({@code records-written}, {@code flush-latency-p99-ms}, ...). These names are stable:
 *       they are what {@code docs/metrics.md} lists and what dashboards scrape.</li>
 *   <li>Additionally through Kafka's plugin metrics (KIP-877) when a connector or task hands its context to
 *       {@link #bindPluginMetrics(Object)} on a worker that offers them (Kafka 4.1+); on older workers that call is
 *       a no-op, never a {@code NoSuchMethodError}.</li>
 * </ul>
 *
 * <p>Opening the same scope twice in a worker (a task restarted before its predecessor closed, two instances of one
 * transform alias) shares one set of metrics, reference-counted: counters keep counting, the MBean disappears when
 * the last holder closes. Counters, latencies and gauges are created once ({@link #counter} returns the same object
 * for the same name) and updating them does not allocate.
 */
public final class CdpMetrics implements AutoCloseable {

    /** Values of an extra tag beyond this many per group share the group {@value #OTHER}: garbage keys cannot exhaust memory. */
    public static final int MAX_TAGGED_CHILDREN = 1000;

    public static final String OTHER = "_other";

    private static final Logger log = LoggerFactory.getLogger(CdpMetrics.class);
    private static final Map<ObjectName, MetricGroup> GROUPS = new HashMap<>();

    private final MetricGroup group;
    private final Map<String, CdpMetrics> children = new ConcurrentHashMap<>();
    private final List<MetricsMirror> bridges = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    private CdpMetrics(MetricGroup group) {
        this.group = group;
    }

    /** Opens (or joins) the metrics of {@code scope}; {@link #close()} once per call. */
    public static CdpMetrics open(MetricsScope scope) {
        return open(scope.plugin(), scope.tags());
    }

    private static CdpMetrics open(String plugin, Map<String, String> tags) {
        ObjectName name = objectName(plugin, tags);
        MetricGroup group;
        synchronized (GROUPS) {
            group = GROUPS.computeIfAbsent(name, n -> new MetricGroup(n, plugin, tags));
            if (group.references++ == 0) {
                register(group);
            }
        }
        return new CdpMetrics(group);
    }

    /** The JMX name of a scope. */
    public static ObjectName objectName(MetricsScope scope) {
        return objectName(scope.plugin(), scope.tags());
    }

    static ObjectName objectName(String plugin, Map<String, String> tags) {
        StringBuilder name = new StringBuilder("cdp.").append(plugin).append(':');
        boolean first = true;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!first) {
                name.append(',');
            }
            first = false;
            name.append(tag.getKey()).append('=').append(ObjectName.quote(tag.getValue()));
        }
        try {
            return new ObjectName(name.toString());
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a usable metric scope: " + name, e);
        }
    }

    /** The counter {@code name}, created on first use. */
    public Counter counter(String name, String description) {
        return group.counter(name, description, this::mirror);
    }

    /**
     * The latency {@code name}, created on first use; published as {@code <name>-p50-ms}, {@code <name>-p99-ms},
     * {@code <name>-max-ms} and {@code <name>-count}.
     */
    public Latency latency(String name, String description) {
        return group.latency(name, description, this::mirror);
    }

    /** A value read when someone looks (lag in ms, a ratio); replaces an earlier gauge of the same name. */
    public void gauge(String name, String description, DoubleSupplier value) {
        group.gauge(name, description, value, false, this::mirror);
    }

    /** A whole-number value read when someone looks (queue size, documents copied). */
    public void longGauge(String name, String description, LongSupplier value) {
        group.gauge(name, description, value::getAsLong, true, this::mirror);
    }

    /**
     * The metrics of this scope narrowed by one more tag ({@code event_type=add_to_cart}, {@code collection=...}),
     * published as its own MBean; closed with this one. Past {@value #MAX_TAGGED_CHILDREN} values, {@value #OTHER}.
     */
    public CdpMetrics tagged(String key, String value) {
        String v = value == null ? "_none" : value;
        CdpMetrics child = children.get(v);
        if (child != null) {
            return child;
        }
        synchronized (children) {
            child = children.get(v);
            if (child != null) {
                return child;
            }
            if (children.size() >= MAX_TAGGED_CHILDREN && !v.equals(OTHER)) {
                return tagged(key, OTHER);
            }
            Map<String, String> tags = new LinkedHashMap<>(group.tags);
            tags.put(key, v);
            child = open(group.plugin, tags);
            children.put(v, child);
            return child;
        }
    }

    /**
     * Also publishes these metrics through Kafka's plugin metrics (KIP-877), given a {@code ConnectorContext},
     * {@code SinkTaskContext} or {@code SourceTaskContext}. Does nothing on workers older than Kafka 4.1.
     */
    public void bindPluginMetrics(Object connectContext) {
        if (connectContext == null || closed) {
            return;
        }
        try {
            MetricsMirror bridge = KafkaPluginMetricsBridge.bind(connectContext, group);
            if (bridge != null) {
                bridges.add(bridge);
            }
        } catch (LinkageError | RuntimeException e) {
            // NoSuchMethodError / NoClassDefFoundError on Connect < 4.1: JMX alone serves
            log.debug("Kafka plugin metrics not available on this worker: {}", e.toString());
        }
    }

    /** Current values by published name (what JMX shows); for tests, the dry run and progress lines. */
    public Map<String, Object> snapshot() {
        return group.snapshot();
    }

    public ObjectName objectName() {
        return group.name;
    }

    private void mirror(String name) {
        synchronized (bridges) {
            for (MetricsMirror bridge : bridges) {
                bridge.publish(name);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (CdpMetrics child : children.values()) {
            child.close();
        }
        children.clear();
        synchronized (bridges) {
            for (MetricsMirror bridge : bridges) {
                try {
                    bridge.close();
                } catch (RuntimeException | LinkageError e) {
                    log.debug("could not remove plugin metrics", e);
                }
            }
            bridges.clear();
        }
        synchronized (GROUPS) {
            if (--group.references > 0) {
                return;
            }
            GROUPS.remove(group.name);
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(group.name)) {
                server.unregisterMBean(group.name);
            }
        } catch (JMException e) {
            log.debug("could not unregister {}", group.name, e);
        }
    }

    private static void register(MetricGroup group) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(group.name)) {
                server.unregisterMBean(group.name); // left over from a class loader that was discarded
            }
            server.registerMBean(group, group.name);
        } catch (JMException | RuntimeException e) {
            log.warn("could not register JMX metrics {}: {}", group.name, e.toString());
        }
    }
}
