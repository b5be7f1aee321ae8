/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import java.util.Set;

/**
 * A definition with its compiled form, as the store hands it out.
 *
 * @param definition   the raw definition it was compiled from
 * @param compiled     the compiler's result
 * @param dependencies ids ({@code type/name}, or {@code type/*} for "latest of type") resolved while compiling
 */
public record CompiledDefinition<T>(Definition definition, T compiled, Set<String> dependencies) {

    public String eventType() {
        return definition.eventType();
    }

    public String name() {
        return definition.name();
    }

    /** The version, or -1 for names that are not numbers. */
    public int version() {
        return definition.version();
    }
}
