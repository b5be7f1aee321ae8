/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.ObjectName;

/** One scope's metrics and their JMX view: each published name is a read-only numeric attribute. */
final class MetricGroup implements DynamicMBean {

    final ObjectName name;
    final String plugin;
    final Map<String, String> tags;
    int references; // guarded by CdpMetrics.GROUPS

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Latency> latencies = new ConcurrentHashMap<>();
    /** Published name → value and description, in creation order. */
    private final Map<String, Published> published = new LinkedHashMap<>();

    /** {@code integral}: published as a long (counts), else as a double (durations, ratios). */
    record Published(String description, DoubleSupplier value, boolean integral) {}

    MetricGroup(ObjectName name, String plugin, Map<String, String> tags) {
        this.name = name;
        this.plugin = plugin;
        this.tags = new LinkedHashMap<>(tags);
    }

    Counter counter(String metric, String description, Consumer<String> onNew) {
        Counter existing = counters.get(metric);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            Counter counter = counters.computeIfAbsent(metric, m -> new Counter());
            if (publish(metric, description, counter::count, true)) {
                onNew.accept(metric);
            }
            return counter;
        }
    }

    Latency latency(String metric, String description, Consumer<String> onNew) {
        Latency existing = latencies.get(metric);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            Latency latency = latencies.computeIfAbsent(metric, m -> new Latency());
            String[][] views = {
                {"-p50-ms", "median of the last 1024"},
                {"-p99-ms", "99th percentile of the last 1024"},
                {"-max-ms", "maximum since start"},
                {"-count", "count since start"}
            };
            for (String[] view : views) {
                String published = metric + view[0];
                DoubleSupplier value = switch (view[0]) {
                    case "-p50-ms" -> () -> latency.quantileMs(0.50);
                    case "-p99-ms" -> () -> latency.quantileMs(0.99);
                    case "-max-ms" -> latency::maxMs;
                    default -> latency::count;
                };
                if (publish(published, description + " (" + view[1] + ")", value, view[0].equals("-count"))) {
                    onNew.accept(published);
                }
            }
            return latency;
        }
    }

    synchronized void gauge(
            String metric, String description, DoubleSupplier value, boolean integral, Consumer<String> onNew) {
        boolean isNew = !published.containsKey(metric);
        published.put(metric, new Published(description, value, integral));
        if (isNew) {
            onNew.accept(metric);
        }
    }

    private boolean publish(String metric, String description, DoubleSupplier value, boolean integral) {
        return published.putIfAbsent(metric, new Published(description, value, integral)) == null;
    }

    synchronized Published published(String metric) {
        return published.get(metric);
    }

    synchronized Map<String, Published> allPublished() {
        return new LinkedHashMap<>(published);
    }

    Map<String, Object> snapshot() {
        Map<String, Object> values = new LinkedHashMap<>();
        allPublished().forEach((metric, p) -> values.put(metric, value(metric, p)));
        return values;
    }

    private static Object value(String metric, Published p) {
        double v = p.value().getAsDouble();
        return p.integral() ? (Object) (long) v : (Object) v;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Published p = published(attribute);
        if (p == null) {
            throw new AttributeNotFoundException(attribute);
        }
        return value(attribute, p);
    }

    @Override
    public void setAttribute(Attribute attribute) {
        throw new UnsupportedOperationException("metrics are read-only");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String attribute : attributes) {
            Published p = published(attribute);
            if (p != null) {
                list.add(new Attribute(attribute, value(attribute, p)));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("metrics have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        Map<String, Published> all = allPublished();
        MBeanAttributeInfo[] attributes = new MBeanAttributeInfo[all.size()];
        int i = 0;
        for (Map.Entry<String, Published> e : all.entrySet()) {
            String type = e.getValue().integral() ? "long" : "double";
            attributes[i++] =
                    new MBeanAttributeInfo(e.getKey(), type, e.getValue().description(), true, false, false);
        }
        return new MBeanInfo(
                MetricGroup.class.getName(), "cdp-connect " + plugin + " metrics", attributes, null, null, null);
    }
}
