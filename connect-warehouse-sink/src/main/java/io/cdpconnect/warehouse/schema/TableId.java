/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

/** A table in a schema; {@link #sql()} is the quoted, qualified name. */
public record TableId(String schema, String name) {

    public String sql() {
        return Identifiers.quote(schema) + '.' + Identifiers.quote(name);
    }

    @Override
    public String toString() {
        return schema + '.' + name;
    }
}
