/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.Operation;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.exp.Expression;
import io.cdpconnect.aerospike.read.SegmentLayout;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Builds and serialises (Exp.build, packing without a server) every expression shape the sink sends, once at
 * task start: a client library mismatch in the plugin folder then fails the task with a clear message before
 * any record is consumed, instead of on the first batch.
 */
public final class ExpressionSelfCheck {

    private ExpressionSelfCheck() {}

    /** Returns the total packed size in bytes of the sample expressions. */
    public static int run(SegmentLayout layout, String offsetsBin) {
        try {
            SegmentExpressions<Exp> segments = new SegmentExpressions<>(ExpAlgebra.AEROSPIKE, layout);
            List<SegmentUpdate> sample = List.of(
                    new SegmentUpdate("check-add", true, 2_000L, 3_600L),
                    new SegmentUpdate("check-remove", false, 2_000L, 0L));
            int size = 0;
            for (Operation op : SegmentExpressions.operations(segments, sample, 1_000_000L, 1_000L)) {
                size += op.value.estimateSize();
            }
            Expression guard = Exp.build(CounterGuard.guard(ExpAlgebra.AEROSPIKE, offsetsBin, "check/0", 1L));
            size += guard.size();
            return size;
        } catch (RuntimeException | LinkageError e) {
            throw new ConnectException(
                    "the Aerospike client in the plugin folder cannot build the sink's " + "expressions: " + e, e);
        }
    }
}
