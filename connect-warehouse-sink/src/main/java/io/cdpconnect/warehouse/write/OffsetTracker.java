/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.write;

import io.cdpconnect.warehouse.record.Row;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The sink task's offset bookkeeping: which partitions it owns, the next offset of everything buffered (pending)
 * and of everything safely written, so that the offsets Connect commits never pass a record that is not in the
 * warehouse or the dead-letter queue. {@link AtLeastOnceOffsets} leaves the truth to Connect's consumer group;
 * {@link ExactlyOnceOffsets} keeps it in the warehouse's offsets table, rewinds to it on every assignment and skips
 * what it already holds.
 */
public interface OffsetTracker {

    /** Partitions assigned to the task (Connect's open). */
    void open(Collection<TopicPartition> partitions);

    /**
     * A record arrived.
     *
     * @return false when it is already in the warehouse and must be skipped; true when it counts as pending
     * @throws org.apache.kafka.connect.errors.ConnectException when its offset shows the stored offsets cannot be
     *     right (exactly-once: the topic was re-created or its offsets reset): the task must fail
     */
    boolean consume(TopicPartition tp, long offset);

    /** Whether anything consumed is not yet written. */
    boolean hasPending();

    /** The pending offsets, to {@link #restorePending restore} when Connect redelivers a failed put. */
    Map<TopicPartition, Long> pendingSnapshot();

    void restorePending(Map<TopicPartition, Long> snapshot);

    /**
     * Writes the buffered rows (exactly-once: with the pending offsets, in one transaction).
     *
     * @throws BatchWriter.FencedWrite when another task stored offsets of these partitions meanwhile
     */
    void write(List<Row> rows, ErrantRecords errant);

    /** The write succeeded: everything pending counts as written. */
    void written();

    /**
     * The write was fenced off: forget what is pending and rewind the owned partitions to the stored offsets, so
     * everything is consumed again.
     */
    void fenced();

    /** What Connect may commit of {@code currentOffsets} (preCommit). */
    Map<TopicPartition, OffsetAndMetadata> committable(Map<TopicPartition, OffsetAndMetadata> currentOffsets);

    /** The buffered records of these partitions were dropped: their next owner consumes them again. */
    void discardPending(Collection<TopicPartition> partitions);

    /** Partitions revoked (Connect's close). */
    void close(Collection<TopicPartition> partitions);
}
