/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.BatchWrite;
import com.aerospike.client.Key;
import com.aerospike.client.ResultCode;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.policy.BatchWritePolicy;
import com.aerospike.client.policy.RecordExistsAction;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.mapping.KeyResolver;
import io.cdpconnect.aerospike.mapping.RecordValues;
import io.cdpconnect.aerospike.read.SegmentLayout;
import io.cdpconnect.common.FieldPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * SEGMENTS mode: membership updates ({@code {user_id, segment_id, op, ts, ttl_seconds}}) become, per user, one
 * atomic operate built by {@link SegmentExpressions}. Updates of one user and segment within a batch are first
 * reduced to the last-writer-wins winner, so the server sees each segment once per write.
 */
public final class SegmentPlanner implements WritePlanner {

    /** Segments per write: keeps each expression small; more go to the next round for that user. */
    static final int MAX_SEGMENTS_PER_WRITE = 32;

    private final KeyResolver keys;
    private final SegmentExpressions<Exp> expressions;
    private final FieldPath segmentField;
    private final FieldPath opField;
    private final FieldPath tsField;
    private final FieldPath ttlField;
    private final long defaultTtlSeconds;
    private final Set<String> addValues;
    private final Set<String> removeValues;
    private final long retentionMillis;
    private final BatchWritePolicy policy;
    private final WritePolicies policies;

    public SegmentPlanner(AerospikeSinkConfig config, KeyResolver keys, WritePolicies policies) {
        this.keys = keys;
        this.expressions = new SegmentExpressions<>(ExpAlgebra.AEROSPIKE, layout(config));
        this.segmentField = FieldPath.of(config.segmentsSegmentField());
        this.opField = FieldPath.of(config.segmentsOpField());
        this.tsField = FieldPath.of(config.segmentsTsField());
        String ttl = config.segmentsTtlField();
        this.ttlField = ttl.isBlank() ? null : FieldPath.of(ttl);
        this.defaultTtlSeconds = config.segmentsDefaultTtlSeconds();
        this.addValues = new HashSet<>(config.segmentsAddValues());
        this.removeValues = new HashSet<>(config.segmentsRemoveValues());
        this.retentionMillis = config.segmentsTombstoneRetentionMs();
        this.policy = policies.write(RecordExistsAction.UPDATE);
        this.policies = policies;
    }

    public static SegmentLayout layout(AerospikeSinkConfig config) {
        return new SegmentLayout(config.segmentsBin(), config.segmentsTsBin());
    }

    @Override
    public WritePlan plan(Collection<SinkRecord> records, long nowMillis) {
        WritePlan plan = new WritePlan();
        long cutoff = retentionMillis == 0 ? Long.MIN_VALUE : nowMillis - retentionMillis;
        Map<Key, Map<String, Pending>> byUser = new LinkedHashMap<>();
        for (SinkRecord record : records) {
            try {
                if (record.value() == null) {
                    throw new DataException("a tombstone (null value) is not a segment update");
                }
                Object root = RecordValues.root(record);
                Key key = keys.key(record, root);
                SegmentUpdate update = parse(root);
                if (update.tsMillis() < cutoff) {
                    // Older than the timestamp retention: its segment's timestamp may be pruned, so applying it
                    // could resurrect a removal. Every newer state already won over it.
                    plan.skip();
                    continue;
                }
                Map<String, Pending> segments = byUser.computeIfAbsent(key, k -> new LinkedHashMap<>());
                Pending pending = segments.get(update.segment());
                if (pending == null) {
                    segments.put(
                            update.segment(), new Pending(update, record, policies.forRecord(policy, root, false)));
                } else {
                    pending.merge(update, record);
                }
            } catch (DataException e) {
                plan.reject(record, e);
            }
        }
        for (Map.Entry<Key, Map<String, Pending>> user : byUser.entrySet()) {
            List<Pending> pendings = new ArrayList<>(user.getValue().values());
            for (int from = 0; from < pendings.size(); from += MAX_SEGMENTS_PER_WRITE) {
                List<Pending> chunk = pendings.subList(from, Math.min(pendings.size(), from + MAX_SEGMENTS_PER_WRITE));
                List<SegmentUpdate> updates = new ArrayList<>(chunk.size());
                List<SinkRecord> sources = new ArrayList<>();
                for (Pending p : chunk) {
                    updates.add(p.winner);
                    sources.addAll(p.sources);
                }
                BatchWrite write = new BatchWrite(
                        chunk.get(0).policy,
                        user.getKey(),
                        SegmentExpressions.operations(expressions, updates, nowMillis, cutoff));
                plan.add(user.getKey(), new PlannedWrite(write, sources, ResultCode.OK));
            }
        }
        return plan;
    }

    SegmentUpdate parse(Object root) {
        String segment = segmentField.getString(root);
        if (segment == null || segment.isEmpty()) {
            throw new DataException("segment field '" + segmentField + "' is missing");
        }
        String op = opField.getString(root);
        if (op == null) {
            throw new DataException("op field '" + opField + "' is missing");
        }
        String normalized = op.trim().toLowerCase(Locale.ROOT);
        boolean add;
        if (addValues.contains(normalized)) {
            add = true;
        } else if (removeValues.contains(normalized)) {
            add = false;
        } else {
            throw new DataException("op '" + op + "' is neither " + addValues + " nor " + removeValues);
        }
        Object tsValue = tsField.get(root);
        if (tsValue == null) {
            throw new DataException("ts field '" + tsField + "' is missing: updates need a time to order them");
        }
        long ts = Timestamps.toEpochMillis(tsValue, tsField.path());
        long expiry = 0;
        if (add) {
            long ttl = defaultTtlSeconds;
            Object ttlValue = ttlField == null ? null : ttlField.get(root);
            if (ttlValue != null) {
                Number n = io.cdpconnect.aerospike.mapping.ValueMapper.toNumber(ttlValue);
                if (!(n instanceof Long) || n.longValue() < 0) {
                    throw new DataException("ttl field '" + ttlField + "' must be a whole number of seconds >= 0");
                }
                ttl = n.longValue();
            }
            // Expiry counts from the event time, so a replay computes the same expiry.
            expiry = ttl == 0 ? 0 : Math.floorDiv(ts, 1000L) + ttl;
        }
        return new SegmentUpdate(segment, add, ts, expiry);
    }

    /** The winning update of one user and segment within the batch, and every record it stands for. */
    private static final class Pending {
        SegmentUpdate winner;
        final List<SinkRecord> sources = new ArrayList<>(2);

        final BatchWritePolicy policy;

        Pending(SegmentUpdate update, SinkRecord record, BatchWritePolicy policy) {
            this.policy = policy;
            winner = update;
            sources.add(record);
        }

        void merge(SegmentUpdate update, SinkRecord record) {
            if (update.supersedes(winner)) {
                winner = update;
            }
            sources.add(record);
        }
    }
}
