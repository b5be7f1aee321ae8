/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import java.util.List;

/**
 * Where definitions come from. {@link #load()} returns the complete current set every time: a definition
 * missing from the result is removed from the store. Implementations must be safe to call from the store's
 * refresh thread.
 */
public interface DefinitionSource extends AutoCloseable {

    /** Reads every definition. Throws when the source cannot be read; the store then keeps its last good set. */
    List<Definition> load() throws Exception;

    /** A short description for logs ({@code directory /etc/schemas}, {@code jdbc:postgresql://db/cdp}), no secrets. */
    String describe();

    @Override
    default void close() {}
}
