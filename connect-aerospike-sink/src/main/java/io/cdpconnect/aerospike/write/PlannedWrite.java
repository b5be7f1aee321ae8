/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.BatchRecord;
import java.util.List;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One batch sub-command and the Kafka records it carries. {@code acceptedCode} is a result code that means
 * "nothing to do" rather than failure for this write (FILTERED_OUT for a replayed counter, KEY_NOT_FOUND_ERROR
 * for deleting an absent record, KEY_EXISTS_ERROR for CREATE_ONLY, KEY_NOT_FOUND_ERROR for UPDATE_ONLY), or OK when
 * there is none; {@code alsoAccepted} a second one (FILTERED_OUT of the bins timestamp guard).
 */
public record PlannedWrite(BatchRecord command, List<SinkRecord> sources, int acceptedCode, int alsoAccepted) {

    public PlannedWrite(BatchRecord command, List<SinkRecord> sources, int acceptedCode) {
        this(command, sources, acceptedCode, acceptedCode);
    }

    /** Whether a (non-OK) result code means "nothing to do" for this write. */
    public boolean accepts(int code) {
        return code != 0 && (code == acceptedCode || code == alsoAccepted);
    }
}
