/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import org.apache.kafka.connect.sink.SinkRecord;

/** A record that cannot be written, with the reason reported to the errant record reporter (DLQ). */
public record RecordFailure(SinkRecord record, Exception error) {}
