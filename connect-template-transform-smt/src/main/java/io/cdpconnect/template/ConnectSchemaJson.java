/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.common.RecordJson;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Reads a Connect schema written in the JSON form JsonConverter uses in its envelopes
 * ({@code {"type":"struct","fields":[{"field":"id","type":"string","optional":false}]}}), so users describe
 * the output schema the way they already see schemas on the wire.
 */
final class ConnectSchemaJson {

    private ConnectSchemaJson() {}

    /** @throws IllegalArgumentException naming what is wrong */
    static Schema parse(String json) {
        JsonNode node;
        try {
            node = RecordJson.parse(json);
        } catch (DataException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
        return schema(node, "$");
    }

    private static Schema schema(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": a schema must be a JSON object with a 'type'");
        }
        String type = node.path("type").asText("").toLowerCase(Locale.ROOT);
        String name = node.hasNonNull("name") ? node.get("name").asText() : null;
        SchemaBuilder builder = logical(name, node, where);
        if (builder == null) {
            builder = switch (type) {
                case "int8" -> SchemaBuilder.int8();
                case "int16" -> SchemaBuilder.int16();
                case "int32" -> SchemaBuilder.int32();
                case "int64" -> SchemaBuilder.int64();
                case "float", "float32" -> SchemaBuilder.float32();
                case "double", "float64" -> SchemaBuilder.float64();
                case "boolean" -> SchemaBuilder.bool();
                case "string" -> SchemaBuilder.string();
                case "bytes" -> SchemaBuilder.bytes();
                case "array" -> SchemaBuilder.array(schema(node.get("items"), where + ".items"));
                case "map" ->
                    SchemaBuilder.map(
                            schema(node.get("keys"), where + ".keys"), schema(node.get("values"), where + ".values"));
                case "struct" -> struct(node, where);
                default -> throw new IllegalArgumentException(where + ": unknown type '" + type + "'");
            };
            if (name != null) {
                builder.name(name);
            }
        }
        if (node.path("optional").asBoolean(false)) {
            builder.optional();
        }
        if (node.hasNonNull("doc")) {
            builder.doc(node.get("doc").asText());
        }
        if (node.hasNonNull("version")) {
            builder.version(node.get("version").asInt());
        }
        return builder.build();
    }

    private static SchemaBuilder struct(JsonNode node, String where) {
        SchemaBuilder struct = SchemaBuilder.struct();
        JsonNode fields = node.get("fields");
        if (fields == null || !fields.isArray()) {
            throw new IllegalArgumentException(where + ": a struct needs a 'fields' array");
        }
        for (JsonNode field : fields) {
            String fieldName = field.path("field").asText(null);
            if (fieldName == null || fieldName.isEmpty()) {
                throw new IllegalArgumentException(where + ": every field needs a 'field' name");
            }
            struct.field(fieldName, schema(field, where + "." + fieldName));
        }
        return struct;
    }

    private static SchemaBuilder logical(String name, JsonNode node, String where) {
        if (name == null) {
            return null;
        }
        switch (name) {
            case Decimal.LOGICAL_NAME: {
                JsonNode scale = node.path("parameters").path(Decimal.SCALE_FIELD);
                if (scale.isMissingNode()) {
                    throw new IllegalArgumentException(where + ": a Decimal needs parameters.scale");
                }
                SchemaBuilder decimal = Decimal.builder(scale.asInt());
                Iterator<Map.Entry<String, JsonNode>> params =
                        node.path("parameters").fields();
                while (params.hasNext()) {
                    Map.Entry<String, JsonNode> p = params.next();
                    if (!Decimal.SCALE_FIELD.equals(p.getKey())) {
                        decimal.parameter(p.getKey(), p.getValue().asText());
                    }
                }
                return decimal;
            }
            case Timestamp.LOGICAL_NAME:
                return Timestamp.builder();
            case Date.LOGICAL_NAME:
                return Date.builder();
            case Time.LOGICAL_NAME:
                return Time.builder();
            default:
                return null;
        }
    }
}
