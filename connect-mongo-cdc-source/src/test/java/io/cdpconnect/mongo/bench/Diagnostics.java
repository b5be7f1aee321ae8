/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What decided a drain, read in the worker's JVM (the benchmark's embedded cluster): the connector's producer
 * (records per request, batch bytes, request latency, time blocked waiting for buffer memory), Connect's source-task
 * metrics (poll batch time) and the task thread's CPU time.
 */
final class Diagnostics {
    private Diagnostics() {}

    /** CPU time of every live thread (Connect's pool reuses task threads across connectors). */
    static java.util.Map<Long, Long> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            cpu.put(id, threads.getThreadCpuTime(id));
        }
        return cpu;
    }

    static String of(String connector, java.util.Map<Long, Long> cpuBefore) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StringBuilder b = new StringBuilder();
        try {
            Set<ObjectName> producers = server.queryNames(
                    new ObjectName(
                            "kafka.producer:type=producer-metrics,client-id=connector-producer-" + connector + "-*"),
                    null);
            for (ObjectName n : producers) {
                b.append(String.format(
                        "records/request %.1f, batch %.0f B, request latency %.2f ms, requests %.0f, queue time %.1f ms, "
                                + "buffer wait %.0f ms",
                        num(server, n, "records-per-request-avg"),
                        num(server, n, "batch-size-avg"),
                        num(server, n, "request-latency-avg"),
                        num(server, n, "request-total"),
                        num(server, n, "record-queue-time-avg"),
                        num(server, n, "bufferpool-wait-time-ns-total") / 1e6));
            }
            for (ObjectName n : server.queryNames(
                    new ObjectName("kafka.connect:type=source-task-metrics,connector=" + connector + ",task=*"),
                    null)) {
                b.append(String.format(
                        "; poll batch avg %.1f ms max %.0f ms",
                        num(server, n, "poll-batch-avg-time-ms"), num(server, n, "poll-batch-max-time-ms")));
            }
        } catch (Exception e) {
            b.append("metrics: ").append(e);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long all = 0;
        java.util.Map<Long, Long> now = threadCpu();
        for (var e : now.entrySet()) {
            all += e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
        }
        b.append(String.format("; cpu all threads %.0f ms", all / 1e6));
        for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
            if (t.getThreadName().startsWith("task-thread-" + connector)
                    || t.getThreadName().contains("producer-" + connector)) {
                b.append(String.format(
                        "; cpu %s %.0f ms",
                        t.getThreadName().startsWith("task-thread") ? "task" : "sender",
                        (threads.getThreadCpuTime(t.getThreadId()) - cpuBefore.getOrDefault(t.getThreadId(), 0L))
                                / 1e6));
            }
        }
        return b.toString();
    }

    /** CPU time the connector's task thread used since {@code cpuBefore}. */
    static long taskCpuNanos(String connector, java.util.Map<Long, Long> cpuBefore) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
            if (t.getThreadName().startsWith("task-thread-" + connector)) {
                total += threads.getThreadCpuTime(t.getThreadId()) - cpuBefore.getOrDefault(t.getThreadId(), 0L);
            }
        }
        return total;
    }

    private static double num(MBeanServer server, ObjectName name, String attribute) throws Exception {
        Object v = server.getAttribute(name, attribute);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
