/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * A dotted path into a record value ({@code customer.id}, {@code items.0.sku}), the one path syntax every
 * cdp-connect plugin uses. It reads Connect Structs, Maps, Lists and Jackson trees alike. Compile once, then
 * {@link #get(Object)} per record without allocating.
 */
public final class FieldPath {

    private static final Pattern DOT = Pattern.compile("\\.");

    private final String path;
    private final String[] segments;
    private final int[] indexes;

    private FieldPath(String path) {
        this.path = path;
        this.segments = DOT.split(path, -1);
        this.indexes = new int[segments.length];
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                throw new IllegalArgumentException("invalid field path '" + path + "': empty segment");
            }
            indexes[i] = parseIndex(segments[i]);
        }
    }

    public static FieldPath of(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("invalid field path: blank");
        }
        return new FieldPath(path.trim());
    }

    private static int parseIndex(String segment) {
        if (segment.length() > 9) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The value at this path, or null where any step is missing or the value has no such field. */
    public Object get(Object root) {
        Object current = root;
        for (int i = 0; i < segments.length && current != null; i++) {
            current = step(current, segments[i], indexes[i]);
        }
        if (current instanceof JsonNode node) {
            return node.isNull() || node.isMissingNode() ? null : node;
        }
        return current;
    }

    /** The value at this path rendered as text (JSON scalars unwrapped), or null. */
    public String getString(Object root) {
        Object value = get(root);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNode node) {
            return node.isValueNode() ? node.asText() : node.toString();
        }
        return value.toString();
    }

    private static Object step(Object current, String name, int index) {
        if (current instanceof Struct struct) {
            Field field = struct.schema().field(name);
            return field == null ? null : struct.get(field);
        }
        if (current instanceof Map<?, ?> map) {
            return map.get(name);
        }
        if (current instanceof List<?> list) {
            return index >= 0 && index < list.size() ? list.get(index) : null;
        }
        if (current instanceof JsonNode node) {
            if (node.isArray()) {
                return index >= 0 ? node.get(index) : null;
            }
            return node.get(name);
        }
        return null;
    }

    public String path() {
        return path;
    }

    /** The last segment, e.g. {@code sku} for {@code properties.sku}: a natural column or bin name. */
    public String leaf() {
        return segments[segments.length - 1];
    }

    @Override
    public String toString() {
        return path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && other.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }
}
