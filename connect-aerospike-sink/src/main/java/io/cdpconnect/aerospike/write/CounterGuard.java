/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import java.util.List;

/**
 * The filter of a counter write: true when the record's offset has not been applied yet for its partition —
 * no offsets bin, no entry for the partition, or a lower entry.
 * <pre>cond(!exists(offsets), true, count(offsets, "topic/p") == 0, true, offsets["topic/p"] &lt; offset)</pre>
 */
public final class CounterGuard {

    private CounterGuard() {}

    /** Both entries must let the offset through: {@code cond(guard(partition), guard(legacy), false)}. */
    public static <E> E guard(
            ExpAlgebra<E> x, String offsetsBin, String partition, String legacyPartition, long offset) {
        return x.cond(List.of(
                guard(x, offsetsBin, partition, offset), guard(x, offsetsBin, legacyPartition, offset), x.bool(false)));
    }

    public static <E> E guard(ExpAlgebra<E> x, String offsetsBin, String partition, long offset) {
        E entry = x.str(partition);
        return x.cond(List.of(
                x.not(x.binExists(offsetsBin)),
                x.bool(true),
                x.eq(x.mapCountKey(entry, x.mapBin(offsetsBin)), x.intVal(0L)),
                x.bool(true),
                x.lt(x.mapIntValue(entry, x.mapBin(offsetsBin)), x.intVal(offset))));
    }
}
