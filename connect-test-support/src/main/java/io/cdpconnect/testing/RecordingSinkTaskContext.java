/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * A SinkTaskContext for driving a sink task outside a worker (unit tests, benchmarks) that records what the task asks
 * of Connect: rewinds, errant records (with {@code withReporter}; without, the task sees a pre-2.6 worker), backoffs.
 */
public class RecordingSinkTaskContext implements SinkTaskContext {

    public final Map<TopicPartition, Long> rewinds = new HashMap<>();
    public final List<SinkRecord> errant = new ArrayList<>();
    public final List<Throwable> causes = new ArrayList<>();
    public final Set<TopicPartition> assignment = new HashSet<>();
    public long timeout = -1;
    private final boolean withReporter;

    public RecordingSinkTaskContext(boolean withReporter) {
        this.withReporter = withReporter;
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        rewinds.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        rewinds.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        timeout = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}

    @Override
    public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        return null;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!withReporter) {
            return null;
        }
        return (record, error) -> {
            errant.add(record);
            causes.add(error);
            return CompletableFuture.completedFuture(null);
        };
    }
}
