/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where a record was read from, before any SMT re-routed it (KIP-793, {@code SinkRecord.originalTopic()} on
 * Connect 3.6+). The counter guard is keyed on it, so adding or changing a routing SMT does not re-count history.
 * On older workers the methods do not exist and the record's topic and partition are used.
 */
final class OriginalPosition {

    private static volatile boolean available = true;

    private OriginalPosition() {}

    /** {@code topic/partition}: a topic name cannot contain '/', so the key is unambiguous. */
    static String partitionKey(SinkRecord record) {
        if (available) {
            try {
                return record.originalTopic() + "/" + record.originalKafkaPartition();
            } catch (NoSuchMethodError | NoClassDefFoundError oldWorker) {
                available = false;
            }
        }
        return record.topic() + "/" + record.kafkaPartition();
    }

    static long offset(SinkRecord record) {
        if (available) {
            try {
                return record.originalKafkaOffset();
            } catch (NoSuchMethodError | NoClassDefFoundError oldWorker) {
                available = false;
            }
        }
        return record.kafkaOffset();
    }

    /** {@code topic-partition@offset} for messages. */
    static String describe(SinkRecord record) {
        String key = partitionKey(record);
        int slash = key.lastIndexOf('/');
        return key.substring(0, slash) + "-" + key.substring(slash + 1) + "@" + offset(record);
    }
}
