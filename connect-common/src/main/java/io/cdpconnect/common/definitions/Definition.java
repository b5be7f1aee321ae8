/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored definition as read from a {@link DefinitionSource}: the text of a JSON Schema, a template, ...
 *
 * @param eventType the event type it applies to ({@code add_to_cart})
 * @param name      its name within the event type: a schema version ({@code "2"}) or a template name
 *                  ({@code value}, {@code key}, {@code topic}, {@code headers.source})
 * @param body      the definition text, compiled by the plugin's {@link DefinitionCompiler}
 * @param updatedAt when the source says it last changed (file mtime, {@code updated_at} column), or null
 */
public record Definition(String eventType, String name, String body, Instant updatedAt) {

    public Definition {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    /** The name as a version number, or -1 when it is not a non-negative integer. */
    public int version() {
        return parseVersion(name);
    }

    /** {@code add_to_cart/2}, {@code add_to_cart/value}: how definitions are named in logs and errors. */
    public String id() {
        return eventType + "/" + name;
    }

    static int parseVersion(String name) {
        if (name == null || name.isEmpty() || name.length() > 9) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
