/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

/** A namespace and set written to ({@code set} "" = the namespace's null set). */
public record SetRef(String namespace, String set) {

    @Override
    public String toString() {
        return namespace + "." + (set.isEmpty() ? "<null set>" : set);
    }
}
