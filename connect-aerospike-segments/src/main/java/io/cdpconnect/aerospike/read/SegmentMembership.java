/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.read;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.Key;
import com.aerospike.client.Record;
import com.aerospike.client.ResultCode;
import com.aerospike.client.Value;
import com.aerospike.client.cdt.MapOperation;
import com.aerospike.client.cdt.MapReturnType;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.exp.MapExp;
import com.aerospike.client.policy.QueryPolicy;
import com.aerospike.client.policy.WritePolicy;
import com.aerospike.client.query.Filter;
import com.aerospike.client.query.IndexCollectionType;
import com.aerospike.client.query.RecordSet;
import com.aerospike.client.query.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Read side of the sink's SEGMENTS layout, for services: "is user U in segment S" (one single-record read of
 * one map entry), "which segments is U in", and "which users are in S" (a secondary-index query on the MAPKEYS
 * index the sink creates). Memberships past their expiry are ignored even before the sink prunes them.
 *
 * <pre>{@code
 * IAerospikeClient client = new AerospikeClient("127.0.0.1", 3000);
 * SegmentMembership segments = new SegmentMembership(client, "test", "users", SegmentLayout.defaults());
 * boolean vip = segments.isMember("u-1", "high-value");
 * }</pre>
 * Thread-safe; shares the caller's client, which the caller closes.
 */
public final class SegmentMembership {

    private final IAerospikeClient client;
    private final String namespace;
    private final String set;
    private final SegmentLayout layout;
    private final Clock clock;
    private final WritePolicy readPolicy;
    private final QueryPolicy queryPolicy;

    public SegmentMembership(IAerospikeClient client, String namespace, String set, SegmentLayout layout) {
        this(client, namespace, set, layout, Clock.systemUTC());
    }

    public SegmentMembership(IAerospikeClient client, String namespace, String set, SegmentLayout layout, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.set = set;
        this.layout = layout;
        this.clock = clock;
        this.readPolicy = new WritePolicy(client.getWritePolicyDefault());
        this.queryPolicy = new QueryPolicy(client.getQueryPolicyDefault());
    }

    /** True when {@code user} has a membership of {@code segment} that has not expired. */
    public boolean isMember(String user, String segment) {
        Record record;
        try {
            record = client.operate(
                    readPolicy,
                    key(user),
                    MapOperation.getByKey(layout.membershipBin(), Value.get(segment), MapReturnType.VALUE));
        } catch (AerospikeException e) {
            if (e.getResultCode() == ResultCode.KEY_NOT_FOUND_ERROR) {
                return false;
            }
            throw e;
        }
        if (record == null) {
            return false;
        }
        Object expiry = record.getValue(layout.membershipBin());
        return expiry instanceof Long l && SegmentLayout.isActive(l, nowSeconds());
    }

    /** The user's current (unexpired) segments, sorted. */
    public Set<String> segmentsOf(String user) {
        Record record = client.get(readPolicy, key(user), layout.membershipBin());
        Set<String> out = new TreeSet<>();
        if (record == null) {
            return out;
        }
        Map<?, ?> memberships = record.getMap(layout.membershipBin());
        if (memberships != null) {
            long now = nowSeconds();
            for (Map.Entry<?, ?> e : memberships.entrySet()) {
                if (e.getValue() instanceof Long expiry && SegmentLayout.isActive(expiry, now)) {
                    out.add(String.valueOf(e.getKey()));
                }
            }
        }
        return out;
    }

    /**
     * The users with an unexpired membership of {@code segment}: one query on the MAPKEYS index of the
     * membership bin, filtered on the server by expiry. User ids come from the stored user key (the sink always
     * writes it in SEGMENTS mode); integer keys are returned as their decimal text.
     */
    public List<String> usersIn(String segment) {
        long now = nowSeconds();
        Statement statement = new Statement();
        statement.setNamespace(namespace);
        statement.setSetName(set);
        statement.setBinNames(layout.membershipBin());
        statement.setFilter(Filter.contains(layout.membershipBin(), IndexCollectionType.MAPKEYS, segment));
        QueryPolicy policy = new QueryPolicy(queryPolicy);
        policy.filterExp = Exp.build(activeFilter(layout.membershipBin(), segment, now));
        List<String> users = new ArrayList<>();
        try (RecordSet results = client.query(policy, statement)) {
            while (results.next()) {
                Key key = results.getKey();
                Record record = results.getRecord();
                Map<?, ?> memberships = record.getMap(layout.membershipBin());
                Object expiry = memberships == null ? null : memberships.get(segment);
                // Checked again here: the index may lag a concurrent removal, and the clock moved on.
                if (expiry instanceof Long l && SegmentLayout.isActive(l, nowSeconds()) && key.userKey != null) {
                    users.add(key.userKey.toString());
                }
            }
        }
        return users;
    }

    /** Server-side: the record's entry for {@code segment} is 0 (never expires) or later than now. */
    static Exp activeFilter(String bin, String segment, long nowSeconds) {
        Exp expiry = MapExp.getByKey(MapReturnType.VALUE, Exp.Type.INT, Exp.val(segment), Exp.mapBin(bin));
        return Exp.or(Exp.eq(expiry, Exp.val(0L)), Exp.gt(expiry, Exp.val(nowSeconds)));
    }

    private Key key(String user) {
        return new Key(namespace, set, user);
    }

    private long nowSeconds() {
        return Math.floorDiv(clock.millis(), 1000L);
    }
}
