/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.common.RecordJson;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/** The value of a record as something {@link io.cdpconnect.common.FieldPath} reads: Struct, Map or JSON object. */
public final class RecordValues {

    private RecordValues() {}

    /** Struct or Map as is; JSON text (String, byte[], ByteBuffer) parsed into a JSON object. */
    public static Object root(SinkRecord record) {
        Object value = record.value();
        if (value instanceof Struct || value instanceof Map) {
            return value;
        }
        if (value instanceof String || value instanceof byte[] || value instanceof ByteBuffer) {
            JsonNode node = RecordJson.toJsonNode(value, record.valueSchema(), true);
            if (!node.isObject()) {
                throw new DataException("record value must be a JSON object, got " + node.getNodeType());
            }
            return node;
        }
        if (value instanceof JsonNode node && node.isObject()) {
            return node;
        }
        throw new DataException("record value must be a Struct, a Map or a JSON object, got "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }
}
