/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.common.EventTimes;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.connect.errors.DataException;

/** Event times in the forms producers send: what {@link EventTimes} reads, numbers as epoch millis. */
final class Timestamps {

    private Timestamps() {}

    static long toEpochMillis(Object value, String field) {
        Object v = value;
        if (v instanceof JsonNode node) {
            if (node.isIntegralNumber()) {
                return node.longValue();
            }
            v = node.isTextual() ? node.textValue() : node.toString();
        }
        if (v == null) {
            throw new DataException("'" + field + "' must be an ISO-8601 time or epoch millis, got nothing");
        }
        try {
            return EventTimes.parse(v, ChronoUnit.MILLIS).toEpochMilli();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new DataException("'" + field + "' is not an ISO-8601 time or epoch millis: " + e.getMessage());
        }
    }
}
