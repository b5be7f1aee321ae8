/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

/**
 * Turns a definition's text into its compiled form (a JSON Schema, a parsed template), once per change.
 *
 * @param <T> the compiled form; must be safe to share between threads
 */
@FunctionalInterface
public interface DefinitionCompiler<T> {

    /**
     * Compiles one definition. Throw any exception to reject it: the store logs a warning and keeps the
     * previous compiled version of the same definition, if there is one.
     *
     * @param definition the definition to compile
     * @param resolver   the other definitions of the same load, for references between them ({@code $ref},
     *                   includes). The store remembers what was resolved and recompiles this definition when
     *                   any of those change.
     */
    T compile(Definition definition, DefinitionResolver resolver) throws Exception;
}
