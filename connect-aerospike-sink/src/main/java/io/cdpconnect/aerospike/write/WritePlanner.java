/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import java.util.Collection;
import org.apache.kafka.connect.sink.SinkRecord;

/** Turns a batch of Kafka records into Aerospike batch writes, one implementation per write mode. */
public interface WritePlanner {

    WritePlan plan(Collection<SinkRecord> records, long nowMillis);
}
