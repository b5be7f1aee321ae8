/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.mapping;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.errors.DataException;

/** Aerospike's bin-name rule: 1 to 15 bytes (UTF-8). Checked at config time and per record. */
public final class BinNames {

    public static final int MAX_BYTES = 15;

    private BinNames() {}

    /** A description of what is wrong with {@code name}, or null when Aerospike accepts it. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a bin name must not be empty";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "bin name '" + name + "' is " + bytes + " bytes long; Aerospike allows at most " + MAX_BYTES;
        }
        return null;
    }

    /** Throws a DataException (a record error, sent to the DLQ) when the name derived from a record is invalid. */
    public static String checked(String name, String hint) {
        String problem = problem(name);
        if (problem != null) {
            throw new DataException(problem + (hint == null ? "" : "; " + hint));
        }
        return name;
    }
}
