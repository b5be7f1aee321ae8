/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Topic records of the connector read back as JSON (JsonConverter, schemas.enable=false). */
final class Records {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Event(String topic, JsonNode key, JsonNode value) {
        String op() {
            return value.isNull() ? "tombstone" : value.path("operation").asText();
        }

        int id() {
            return key.path("_id").asInt();
        }

        @Override
        public String toString() {
            return topic + " " + op() + " " + key;
        }
    }

    private Records() {}

    static List<Event> parse(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Event> out = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                out.add(new Event(
                        r.topic(),
                        r.key() == null ? MAPPER.nullNode() : MAPPER.readTree(r.key()),
                        r.value() == null ? MAPPER.nullNode() : MAPPER.readTree(r.value())));
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + new String(r.value()), e);
            }
        }
        return out;
    }
}
