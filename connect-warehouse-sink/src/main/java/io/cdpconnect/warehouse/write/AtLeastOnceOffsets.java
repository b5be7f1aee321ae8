/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.write;

import io.cdpconnect.warehouse.record.Row;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * At-least-once: Connect's consumer group offsets are the truth; they only advance past what is written. The
 * exactly-once tracker extends this bookkeeping with the warehouse's stored offsets.
 */
public class AtLeastOnceOffsets implements OffsetTracker {

    protected final BatchWriter writer;
    protected final Set<TopicPartition> assigned = new HashSet<>();
    /** Next offset per partition of everything buffered (rows, skipped tombstones, dead-lettered records). */
    protected final Map<TopicPartition, Long> pending = new HashMap<>();
    /** Next offset per partition that is safely written: what Connect may commit. */
    protected final Map<TopicPartition, Long> written = new HashMap<>();

    public AtLeastOnceOffsets(BatchWriter writer) {
        this.writer = writer;
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        assigned.addAll(partitions);
    }

    @Override
    public boolean consume(TopicPartition tp, long offset) {
        pending.merge(tp, offset + 1, Math::max);
        return true;
    }

    @Override
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    @Override
    public Map<TopicPartition, Long> pendingSnapshot() {
        return new HashMap<>(pending);
    }

    @Override
    public void restorePending(Map<TopicPartition, Long> snapshot) {
        pending.clear();
        pending.putAll(snapshot);
    }

    @Override
    public void write(List<Row> rows, ErrantRecords errant) {
        if (rows.isEmpty()) {
            // only skipped or dead-lettered records: nothing to write, their offsets may simply advance
            errant.awaitReported();
        } else {
            writer.write(rows, null, Map.of(), errant);
        }
    }

    @Override
    public void written() {
        written.putAll(pending);
        pending.clear();
    }

    @Override
    public void fenced() {
        // only exactly-once writes store offsets, so only they are fenced
        throw new IllegalStateException("an at-least-once write cannot be fenced");
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committable(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : currentOffsets.entrySet()) {
            TopicPartition tp = e.getKey();
            if (!assigned.contains(tp)) {
                continue;
            }
            if (pending.containsKey(tp)) {
                Long safe = written.get(tp);
                if (safe != null) {
                    commit.put(tp, new OffsetAndMetadata(safe));
                }
            } else {
                // Nothing of this partition waits in the buffer. Connect's offset also covers records that never
                // reached put() (dropped or dead-lettered by an SMT or converter), which are done too; without
                // this, a trailing invalid record would keep the partition's committed offset behind forever.
                commit.put(tp, e.getValue());
            }
        }
        return commit;
    }

    @Override
    public void discardPending(Collection<TopicPartition> partitions) {
        pending.keySet().removeAll(partitions);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        assigned.removeAll(partitions);
        written.keySet().removeAll(partitions);
    }
}
