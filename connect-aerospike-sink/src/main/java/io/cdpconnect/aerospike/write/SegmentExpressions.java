/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.Operation;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.exp.ExpOperation;
import com.aerospike.client.exp.ExpWriteFlags;
import io.cdpconnect.aerospike.read.SegmentLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The two server-side expressions that apply membership updates of one user atomically, in one operate.
 *
 * <p>Each update (one per segment: the planner reduced duplicates to the last-writer-wins winner) applies only
 * when it is newer than the segment's stored timestamp: none stored, or stored &lt; ts for an add, stored &lt;= ts
 * for a removal (a removal wins a tie). Both write operations read the stored timestamps through the variable
 * {@code t}, bound before either bin changes, so they agree on which updates apply:
 * <pre>
 * membershipBin = let(t  = ts bin or {},
 *                     m0 = membership bin or {},
 *                     m1 = cond(newer(u1, t), put(seg1, expiry1, m0) | removeByKey(seg1, m0), m0), ...
 *                     removeByValueRange([1, now + 1), mN))             -- prunes expired memberships
 * timestampBin  = let(t  = ts bin or {},
 *                     n1 = cond(newer(u1, t), put(seg1, ts1, t), t), ...
 *                     removeByValueRange([MIN, cutoff), nN))            -- forgets timestamps past retention
 * newer(u, t)   = cond(count(t, seg) == 0, true, t[seg] &lt; ts)           -- &lt;= for a removal
 * </pre>
 * A replayed or late update therefore changes nothing, and a removal keeps its timestamp after leaving the
 * membership map, so no older add can bring it back. Pruning old timestamps is safe because updates older than
 * the cutoff never reach Aerospike (the planner skips them).
 */
public final class SegmentExpressions<E> {

    private static final String TS_VAR = "t";

    private final ExpAlgebra<E> x;
    private final SegmentLayout layout;

    public SegmentExpressions(ExpAlgebra<E> algebra, SegmentLayout layout) {
        this.x = algebra;
        this.layout = layout;
    }

    /** The write operations for one user's updates: the membership bin, then the timestamp bin. */
    public static Operation[] operations(
            SegmentExpressions<Exp> expressions, List<SegmentUpdate> updates, long nowMillis, long tsCutoffMillis) {
        String membershipBin = expressions.layout.membershipBin();
        String timestampBin = expressions.layout.timestampBin();
        return new Operation[] {
            ExpOperation.write(
                    membershipBin, Exp.build(expressions.membership(updates, nowMillis)), ExpWriteFlags.DEFAULT),
            ExpOperation.write(
                    timestampBin, Exp.build(expressions.timestamps(updates, tsCutoffMillis)), ExpWriteFlags.DEFAULT)
        };
    }

    public E membership(List<SegmentUpdate> updates, long nowMillis) {
        List<E> let = new ArrayList<>(updates.size() + 3);
        let.add(x.def(TS_VAR, binOrEmpty(layout.timestampBin())));
        let.add(x.def("m0", binOrEmpty(layout.membershipBin())));
        for (int i = 0; i < updates.size(); i++) {
            SegmentUpdate u = updates.get(i);
            E previous = x.var("m" + i);
            E changed = u.add()
                    ? x.mapPut(x.str(u.segment()), x.intVal(u.expirySeconds()), previous)
                    : x.mapRemoveByKey(x.str(u.segment()), previous);
            let.add(x.def("m" + (i + 1), x.cond(List.of(newer(u), changed, x.var("m" + i)))));
        }
        // Expired memberships have 1 <= expiry <= now (0 means "never"): see SegmentLayout.isActive.
        long nowSeconds = Math.floorDiv(nowMillis, 1000L);
        let.add(x.mapRemoveByValueRange(x.intVal(1L), x.intVal(nowSeconds + 1), x.var("m" + updates.size())));
        return x.let(let);
    }

    public E timestamps(List<SegmentUpdate> updates, long tsCutoffMillis) {
        List<E> let = new ArrayList<>(updates.size() + 2);
        let.add(x.def(TS_VAR, binOrEmpty(layout.timestampBin())));
        String previousName = TS_VAR;
        for (int i = 0; i < updates.size(); i++) {
            SegmentUpdate u = updates.get(i);
            E changed = x.mapPut(x.str(u.segment()), x.intVal(u.tsMillis()), x.var(previousName));
            E unchanged = x.var(previousName);
            previousName = "n" + (i + 1);
            let.add(x.def(previousName, x.cond(List.of(newer(u), changed, unchanged))));
        }
        E last = x.var(previousName);
        let.add(
                tsCutoffMillis == Long.MIN_VALUE
                        ? last
                        : x.mapRemoveByValueRange(x.intVal(Long.MIN_VALUE), x.intVal(tsCutoffMillis), last));
        return x.let(let);
    }

    /** True when {@code u} must be applied: no stored timestamp for its segment, or an older one. */
    E newer(SegmentUpdate u) {
        E stored = x.var(TS_VAR);
        E absent = x.eq(x.mapCountKey(x.str(u.segment()), stored), x.intVal(0L));
        E storedTs = x.mapIntValue(x.str(u.segment()), stored);
        E later = u.add() ? x.lt(storedTs, x.intVal(u.tsMillis())) : x.le(storedTs, x.intVal(u.tsMillis()));
        return x.cond(List.of(absent, x.bool(true), later));
    }

    private E binOrEmpty(String bin) {
        return x.cond(List.of(x.binExists(bin), x.mapBin(bin), x.emptyMap()));
    }
}
