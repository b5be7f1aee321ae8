/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it.inprocess;

import io.cdpconnect.mongo.MongoCdcSourceTask;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Runs {@link MongoCdcSourceTask} in-process through its public API only, as a worker would: started with a config
 * map, polled, each polled record's offset "committed" and handed to the next task through the context's offset
 * reader; its metrics read over JMX by connector name.
 */
final class TaskDriver {
    /** The offset fields of the source (README "Offsets"). */
    static final String SNAPSHOT_LAST_ID = "snapshot_last_id";

    static final String RESUME_TOKEN = "resume_token";
    static final String START_AT_T = "start_at_t";

    private final String connector;
    /** What the "worker" committed: partition to offset. */
    final Map<Map<String, Object>, Map<String, Object>> committed = new HashMap<>();

    TaskDriver(String connector) {
        this.connector = connector;
    }

    /** Starts a task with {@code props} plus this driver's connector name. */
    MongoCdcSourceTask start(Map<String, String> props) {
        Map<String, String> all = new HashMap<>(props);
        all.put("name", connector);
        MongoCdcSourceTask task = new MongoCdcSourceTask();
        task.initialize(new Context());
        task.start(all);
        return task;
    }

    /** Polls until {@code count} records arrived or {@code timeoutMs} passed, committing each record's offset. */
    List<SourceRecord> pollUntil(MongoCdcSourceTask task, int count, long timeoutMs) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (out.size() < count && System.currentTimeMillis() < deadline) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                for (SourceRecord r : batch) {
                    out.add(r);
                    committed.put(partitionOf(r), offsetOf(r));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> partitionOf(SourceRecord record) {
        return (Map<String, Object>) record.sourcePartition();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> offsetOf(SourceRecord record) {
        return (Map<String, Object>) record.sourceOffset();
    }

    private Set<ObjectName> mbeans() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> out = new HashSet<>();
        for (ObjectName name : server.queryNames(new ObjectName("cdp.mongo-cdc-source:*"), null)) {
            String tag = name.getKeyProperty("connector");
            if (tag != null && ObjectName.unquote(tag).equals(connector)) {
                out.add(name);
            }
        }
        return out;
    }

    /** A metric of the task's own MBean (the one without a collection tag). */
    Object taskMetric(String metric) throws Exception {
        for (ObjectName name : mbeans()) {
            if (name.getKeyProperty("collection") == null) {
                return ManagementFactory.getPlatformMBeanServer().getAttribute(name, metric);
            }
        }
        throw new AssertionError("no task MBean for connector " + connector + " in " + mbeans());
    }

    /** A metric of a collection's MBean (cdp.mongo-cdc-source:connector=..,collection=<namespace>). */
    Object collectionMetric(String namespace, String metric) throws Exception {
        for (ObjectName name : mbeans()) {
            String tag = name.getKeyProperty("collection");
            if (tag != null && ObjectName.unquote(tag).equals(namespace)) {
                return ManagementFactory.getPlatformMBeanServer().getAttribute(name, metric);
            }
        }
        throw new AssertionError("no MBean for " + namespace + " of connector " + connector + " in " + mbeans());
    }

    /** The collections that have a per-collection MBean. */
    Set<String> collectionMBeans() throws Exception {
        Set<String> out = new java.util.TreeSet<>();
        for (ObjectName name : mbeans()) {
            String tag = name.getKeyProperty("collection");
            if (tag != null) {
                out.add(ObjectName.unquote(tag));
            }
        }
        return out;
    }

    private final class Context implements SourceTaskContext {
        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
            return null; // no KIP-877 bridge here: the metrics are read over JMX
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return committed.get(partition);
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                    for (Map<String, T> p : partitions) {
                        out.put(p, committed.get(p));
                    }
                    return out;
                }
            };
        }
    }
}
