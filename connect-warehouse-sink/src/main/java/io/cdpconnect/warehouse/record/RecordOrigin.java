/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The topic partition and offset a record was consumed from. {@code originalTopic()} and friends (KIP-793) exist
 * from Connect 3.6; on an older worker, or when an SMT rewrote the topic there, the record's own coordinates are
 * the only ones. The first NoSuchMethodError switches to them for good.
 */
public final class RecordOrigin {

    private static volatile boolean originals = true;

    private RecordOrigin() {}

    public static TopicPartition partition(SinkRecord record) {
        if (originals) {
            try {
                return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            } catch (NoSuchMethodError | NoClassDefFoundError oldWorker) {
                originals = false;
            }
        }
        return new TopicPartition(record.topic(), record.kafkaPartition());
    }

    public static long offset(SinkRecord record) {
        if (originals) {
            try {
                return record.originalKafkaOffset();
            } catch (NoSuchMethodError | NoClassDefFoundError oldWorker) {
                originals = false;
            }
        }
        return record.kafkaOffset();
    }
}
