package io.cdpconnect.aerospike.write;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.errors.DataException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Event times in the forms producers send: epoch millis (number or digits) or ISO-8601 text. */
final class Timestamps {

    private Timestamps() {
    }

    static long toEpochMillis(Object value, String field) {
        Object v = value;
        if (v instanceof JsonNode node) {
            if (node.isIntegralNumber()) {
                return node.longValue();
            }
            v = node.isTextual() ? node.textValue() : node.toString();
        }
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.util.Date date) {
            return date.getTime();
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(t);
            }
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                try {
                    return OffsetDateTime.parse(t).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new DataException("'" + field + "' is not an ISO-8601 time or epoch millis: '" + s + "'");
                }
            }
        }
        throw new DataException("'" + field + "' must be an ISO-8601 time or epoch millis, got "
                + (v == null ? "nothing" : v.getClass().getSimpleName()));
    }
}
