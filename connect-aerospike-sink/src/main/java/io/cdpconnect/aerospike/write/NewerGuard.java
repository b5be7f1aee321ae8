/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import java.util.List;

/**
 * The filter of a bins write with {@code bins.ts.field}: true when the record has no stored event time yet or an
 * older one than the write's, the same newer-only rule segments apply per segment. A late or replayed record is
 * then filtered out (FILTERED_OUT, a no-op) instead of overwriting newer data.
 * <pre>cond(!exists(tsBin), true, tsBin &lt; ts)</pre>
 */
public final class NewerGuard {

    private NewerGuard() {}

    public static <E> E guard(ExpAlgebra<E> x, String tsBin, long tsMillis) {
        return x.cond(List.of(x.not(x.binExists(tsBin)), x.bool(true), x.lt(x.intBin(tsBin), x.intVal(tsMillis))));
    }
}
