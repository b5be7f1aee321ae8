/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

/** Read access to the raw definitions of one load, given to a {@link DefinitionCompiler}. */
public interface DefinitionResolver {

    /** The definition of that event type and name (a version number as text for versioned kinds), or null. */
    Definition find(String eventType, String name);

    /** The definition with the highest version of that event type, or null. */
    Definition latest(String eventType);
}
