/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import io.cdpconnect.testing.RecordingSinkTaskContext;
import io.cdpconnect.warehouse.WarehouseSinkTask;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/** Drives a WarehouseSinkTask the way WorkerSinkTask does: start, open, put, preCommit, close, stop. */
public final class TaskDriver implements AutoCloseable {

    public final WarehouseSinkTask task = new WarehouseSinkTask();
    public final RecordingSinkTaskContext context;
    private final Map<TopicPartition, Long> consumed = new HashMap<>();

    public TaskDriver(Map<String, String> config, boolean withReporter, Collection<TopicPartition> partitions) {
        context = new RecordingSinkTaskContext(withReporter);
        context.assignment.addAll(partitions);
        task.initialize(context);
        task.start(config);
        task.open(partitions);
    }

    public void put(List<SinkRecord> records) {
        task.put(records);
        for (SinkRecord r : records) {
            consumed.merge(new TopicPartition(r.topic(), r.kafkaPartition()), r.kafkaOffset() + 1, Math::max);
        }
    }

    public Map<TopicPartition, OffsetAndMetadata> commit() {
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        consumed.forEach((tp, o) -> current.put(tp, new OffsetAndMetadata(o)));
        return task.preCommit(current);
    }

    public static SinkRecord record(String topic, long offset, Object key, Object value) {
        return new SinkRecord(topic, 0, null, key, null, value, offset);
    }

    @Override
    public void close() {
        task.close(context.assignment);
        task.stop();
    }
}
