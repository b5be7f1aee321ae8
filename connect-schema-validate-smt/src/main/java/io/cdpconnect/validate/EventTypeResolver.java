/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.common.FieldPath;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Header;

/** Finds a record's event type and (optional) schema version. Compiled once from config. */
final class EventTypeResolver {

    /** Returned by {@link #version} when the record names no version: the latest applies. */
    static final int LATEST = -1;
    /** Returned by {@link #version} when the record's version is not an integer. */
    static final int MALFORMED = -2;

    private final ValidationSettings.EventTypeSource source;
    private final FieldPath typeField;
    private final String typeHeader;
    private final FieldPath versionField;
    private final String defaultType;

    EventTypeResolver(
            ValidationSettings.EventTypeSource source,
            String typeField,
            String typeHeader,
            String versionField,
            String defaultType) {
        this.source = source;
        this.typeField = FieldPath.of(typeField);
        this.typeHeader = typeHeader;
        this.versionField = versionField == null ? null : FieldPath.of(versionField);
        this.defaultType = defaultType;
    }

    /** The event type, or null when the record carries none. {@code value} is the record part as JSON, or null. */
    String eventType(ConnectRecord<?> record, JsonNode value) {
        String type = switch (source) {
            case FIELD -> value == null ? null : typeField.getString(value);
            case HEADER -> headerText(record.headers().lastWithName(typeHeader));
            case TOPIC -> record.topic();
        };
        return type == null || type.isEmpty() ? null : type;
    }

    /** The version named by the record, {@link #LATEST} when none, {@link #MALFORMED} when not an integer. */
    int version(JsonNode value) {
        if (versionField == null || value == null) {
            return LATEST;
        }
        Object found = versionField.get(value);
        if (!(found instanceof JsonNode node) || node.isNull()) {
            return LATEST;
        }
        if (node.canConvertToInt() && node.isIntegralNumber()) {
            return node.intValue() >= 0 ? node.intValue() : MALFORMED;
        }
        if (node.isTextual()) {
            String text = node.textValue().trim();
            if (text.startsWith("v") || text.startsWith("V")) {
                text = text.substring(1);
            }
            try {
                int v = Integer.parseInt(text);
                return v >= 0 ? v : MALFORMED;
            } catch (NumberFormatException e) {
                return MALFORMED;
            }
        }
        return MALFORMED;
    }

    String defaultType() {
        return defaultType;
    }

    /** Where the type is read, for error messages. */
    String describeSource() {
        return switch (source) {
            case FIELD -> "field '" + typeField.path() + "'";
            case HEADER -> "header '" + typeHeader + "'";
            case TOPIC -> "topic name";
        };
    }

    private static String headerText(Header header) {
        if (header == null || header.value() == null) {
            return null;
        }
        Object v = header.value();
        if (v instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (v instanceof ByteBuffer buffer) {
            return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        }
        return v.toString();
    }
}
