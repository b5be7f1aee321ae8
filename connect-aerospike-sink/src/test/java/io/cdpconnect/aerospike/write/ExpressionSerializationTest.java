/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.aerospike.client.Operation;
import com.aerospike.client.cdt.MapPolicy;
import com.aerospike.client.cdt.MapReturnType;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.exp.ExpOperation;
import com.aerospike.client.exp.ExpWriteFlags;
import com.aerospike.client.exp.Expression;
import com.aerospike.client.exp.MapExp;
import io.cdpconnect.aerospike.read.SegmentLayout;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The expressions serialise with the real client (Exp.build, no server) and are exactly the documented shapes,
 * written out here by hand with the Aerospike API.
 */
class ExpressionSerializationTest {

    private static final SegmentLayout LAYOUT = SegmentLayout.defaults();
    private static final SegmentExpressions<Exp> EXPRESSIONS = new SegmentExpressions<>(ExpAlgebra.AEROSPIKE, LAYOUT);

    private static Exp orEmpty(String bin) {
        return Exp.cond(Exp.binExists(bin), Exp.mapBin(bin), Exp.val(Collections.emptyMap()));
    }

    private static Exp newer(String segment, long ts, boolean add) {
        Exp stored = MapExp.getByKey(MapReturnType.VALUE, Exp.Type.INT, Exp.val(segment), Exp.var("t"));
        return Exp.cond(
                Exp.eq(MapExp.getByKey(MapReturnType.COUNT, Exp.Type.INT, Exp.val(segment), Exp.var("t")), Exp.val(0L)),
                Exp.val(true),
                add ? Exp.lt(stored, Exp.val(ts)) : Exp.le(stored, Exp.val(ts)));
    }

    @Test
    void membershipExpressionIsExactlyTheDocumentedShape() {
        long now = 1_795_000_000_123L;
        List<SegmentUpdate> updates = List.of(
                new SegmentUpdate("high-value", true, 1_000L, 7_200L),
                new SegmentUpdate("churn-risk", false, 2_000L, 0L));
        Exp expected = Exp.let(
                Exp.def("t", orEmpty("segments_ts")),
                Exp.def("m0", orEmpty("segments")),
                Exp.def(
                        "m1",
                        Exp.cond(
                                newer("high-value", 1_000L, true),
                                MapExp.put(MapPolicy.Default, Exp.val("high-value"), Exp.val(7_200L), Exp.var("m0")),
                                Exp.var("m0"))),
                Exp.def(
                        "m2",
                        Exp.cond(
                                newer("churn-risk", 2_000L, false),
                                MapExp.removeByKey(Exp.val("churn-risk"), Exp.var("m1")),
                                Exp.var("m1"))),
                MapExp.removeByValueRange(MapReturnType.NONE, Exp.val(1L), Exp.val(1_795_000_001L), Exp.var("m2")));
        assertThat(Exp.build(EXPRESSIONS.membership(updates, now))).isEqualTo(Exp.build(expected));
    }

    @Test
    void timestampExpressionIsExactlyTheDocumentedShape() {
        List<SegmentUpdate> updates = List.of(new SegmentUpdate("high-value", true, 1_000L, 7_200L));
        Exp expected = Exp.let(
                Exp.def("t", orEmpty("segments_ts")),
                Exp.def(
                        "n1",
                        Exp.cond(
                                newer("high-value", 1_000L, true),
                                MapExp.put(MapPolicy.Default, Exp.val("high-value"), Exp.val(1_000L), Exp.var("t")),
                                Exp.var("t"))),
                MapExp.removeByValueRange(MapReturnType.NONE, Exp.val(Long.MIN_VALUE), Exp.val(500L), Exp.var("n1")));
        assertThat(Exp.build(EXPRESSIONS.timestamps(updates, 500L))).isEqualTo(Exp.build(expected));

        Exp withoutRetention = Exp.let(
                Exp.def("t", orEmpty("segments_ts")),
                Exp.def(
                        "n1",
                        Exp.cond(
                                newer("high-value", 1_000L, true),
                                MapExp.put(MapPolicy.Default, Exp.val("high-value"), Exp.val(1_000L), Exp.var("t")),
                                Exp.var("t"))),
                Exp.var("n1"));
        assertThat(Exp.build(EXPRESSIONS.timestamps(updates, Long.MIN_VALUE))).isEqualTo(Exp.build(withoutRetention));
    }

    @Test
    void operationsWriteTheMembershipBinFirstThenTheTimestampBin() {
        List<SegmentUpdate> updates = List.of(new SegmentUpdate("s", true, 1_000L, 0L));
        Operation[] ops = SegmentExpressions.operations(EXPRESSIONS, updates, 5_000L, Long.MIN_VALUE);
        assertThat(ops).hasSize(2);
        assertThat(ops[0].type).isEqualTo(Operation.Type.EXP_MODIFY);
        assertThat(ops[0].binName).isEqualTo("segments");
        assertThat(ops[1].type).isEqualTo(Operation.Type.EXP_MODIFY);
        assertThat(ops[1].binName).isEqualTo("segments_ts");
        Operation expected = ExpOperation.write(
                "segments", Exp.build(EXPRESSIONS.membership(updates, 5_000L)), ExpWriteFlags.DEFAULT);
        assertThat((byte[]) ops[0].value.getObject()).isEqualTo((byte[]) expected.value.getObject());
    }

    @Test
    void counterGuardIsExactlyTheDocumentedShape() {
        Exp expected = Exp.cond(
                Exp.not(Exp.binExists("kafka_offsets")),
                Exp.val(true),
                Exp.eq(
                        MapExp.getByKey(
                                MapReturnType.COUNT, Exp.Type.INT, Exp.val("orders/3"), Exp.mapBin("kafka_offsets")),
                        Exp.val(0L)),
                Exp.val(true),
                Exp.lt(
                        MapExp.getByKey(
                                MapReturnType.VALUE, Exp.Type.INT, Exp.val("orders/3"), Exp.mapBin("kafka_offsets")),
                        Exp.val(41L)));
        assertThat(CounterPlanner.guard("kafka_offsets", "orders/3", 41L)).isEqualTo(Exp.build(expected));
    }

    @Test
    void expressionsRoundTripThroughTheirWireForm() {
        Expression built = Exp.build(EXPRESSIONS.membership(List.of(new SegmentUpdate("a", true, 1L, 0L)), 1_000L));
        assertThat(built.getBytes()).isNotEmpty();
        assertThat(Expression.fromBytes(built.getBytes())).isEqualTo(built);
        assertThat(Expression.fromBase64(built.getBase64())).isEqualTo(built);
    }

    @Test
    void selfCheckBuildsEveryShape() {
        assertThat(ExpressionSelfCheck.run(LAYOUT, "kafka_offsets")).isGreaterThan(100);
    }

    @Test
    void expressionSizeGrowsLinearlyWithUpdates() {
        int one = Exp.build(EXPRESSIONS.membership(List.of(new SegmentUpdate("s0", true, 1L, 0L)), 0L))
                .size();
        List<SegmentUpdate> many = new java.util.ArrayList<>();
        for (int i = 0; i < SegmentPlanner.MAX_SEGMENTS_PER_WRITE; i++) {
            many.add(new SegmentUpdate("s" + i, i % 2 == 0, 1L, 0L));
        }
        int all = Exp.build(EXPRESSIONS.membership(many, 0L)).size();
        assertThat(all).isLessThan(one * SegmentPlanner.MAX_SEGMENTS_PER_WRITE * 2);
    }
}
