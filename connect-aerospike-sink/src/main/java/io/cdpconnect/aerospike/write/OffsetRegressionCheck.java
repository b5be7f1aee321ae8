/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.Key;
import com.aerospike.client.Record;
import com.aerospike.client.policy.BatchPolicy;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.AerospikeSinkConfig.OffsetRegression;
import io.cdpconnect.aerospike.client.ResultCodes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the counter writes the offset guard filtered out apart: a replay of an applied record (task restart,
 * rebalance, offsets reset on the same log) is a no-op, while a record behind the stored offset that is newer
 * than the record which set it cannot be a replay — in one partition's log, an earlier offset never holds a
 * (much) later record. That happens when the topic was deleted and re-created, or the offsets point into
 * another cluster's log: skipping those records would silently lose counts, so the configured policy applies
 * (fail by default, or skip with a warning). Connect gives a sink no topic id, so timestamps are the evidence.
 *
 * <p>Costs one batch read of the guard bin, only for writes that were filtered out (replays are rare).
 */
public final class OffsetRegressionCheck {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetRegressionCheck.class);

    private final IAerospikeClient client;
    private final BatchPolicy policy;
    private final String offsetsBin;
    private final OffsetRegression onRegression;
    private final long toleranceMillis;

    public OffsetRegressionCheck(
            IAerospikeClient client,
            BatchPolicy policy,
            String offsetsBin,
            OffsetRegression onRegression,
            long toleranceMillis) {
        this.client = client;
        this.policy = policy;
        this.offsetsBin = offsetsBin;
        this.onRegression = onRegression;
        this.toleranceMillis = toleranceMillis;
    }

    /** What the filtered writes were: replays, and regressions skipped under the skip policy. */
    public record Outcome(int replays, int regressionsSkipped) {
        static final Outcome NONE = new Outcome(0, 0);
    }

    /** Throws ConnectException under the fail policy when any filtered write is a regression. */
    public Outcome inspect(List<PlannedWrite> filtered) {
        if (filtered.isEmpty()) {
            return Outcome.NONE;
        }
        Key[] keys = new Key[filtered.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = filtered.get(i).command().key;
        }
        Record[] records;
        try {
            records = client.get(policy, keys, offsetsBin);
        } catch (AerospikeException e) {
            if (ResultCodes.isTransient(e, client)) {
                throw new RetriableException("cannot read the counter offset guards now: " + e.getMessage(), e);
            }
            throw new ConnectException("cannot read the counter offset guards: " + e.getMessage(), e);
        }
        List<String> regressions = new ArrayList<>();
        int replays = 0;
        for (int i = 0; i < keys.length; i++) {
            SinkRecord record = filtered.get(i).sources().get(0);
            Map<?, ?> guard = records[i] == null ? null : records[i].getMap(offsetsBin);
            String regression = guard == null ? null : regression(record, keys[i], guard);
            if (regression == null) {
                replays++;
            } else {
                regressions.add(regression);
            }
        }
        if (replays > 0) {
            LOG.info(
                    "{} counter record(s) already applied were skipped (replay after a restart, rebalance or "
                            + "offset reset), e.g. {}",
                    replays,
                    OriginalPosition.describe(filtered.get(0).sources().get(0)));
        }
        if (regressions.isEmpty()) {
            return new Outcome(replays, 0);
        }
        if (onRegression == OffsetRegression.FAIL) {
            throw new ConnectException(regressions.size() + " counter record(s) are behind the offset stored in bin "
                    + offsetsBin + " but newer than the record that stored it, so they are not replays and were not "
                    + "counted; first: " + regressions.get(0) + ". The topic was probably re-created or the offsets "
                    + "point into another log. To count them, set " + AerospikeSinkConfig.COUNTERS_OFFSETS_BIN
                    + " to a new bin (keeping the totals) or remove the partition's entries from the old one; to drop "
                    + "them knowingly, set " + AerospikeSinkConfig.COUNTERS_OFFSET_REGRESSION + "=skip.");
        }
        LOG.warn(
                "{} counter record(s) behind the stored offset guard but newer than its record were skipped ({}={}); "
                        + "first: {}",
                regressions.size(),
                AerospikeSinkConfig.COUNTERS_OFFSET_REGRESSION,
                "skip",
                regressions.get(0));
        return new Outcome(replays, regressions.size());
    }

    /** A description of why the record is not a replay, or null when it is one (or cannot be told apart). */
    private String regression(SinkRecord record, Key key, Map<?, ?> guard) {
        String partition = OriginalPosition.partitionKey(record);
        Object storedOffset = guard.get(partition);
        Object storedTs = guard.get(CounterPlanner.timestampKey(partition));
        Long ts = record.timestamp();
        if (!(storedOffset instanceof Long offset) || !(storedTs instanceof Long stored) || ts == null || ts < 0) {
            return null; // guards written before timestamps were stored, or a record without a timestamp
        }
        if (OriginalPosition.offset(record) > offset || ts <= stored + toleranceMillis) {
            return null;
        }
        return OriginalPosition.describe(record) + " (timestamp " + Instant.ofEpochMilli(ts) + ") on key " + key.userKey
                + ": the guard holds offset " + offset + " from a record of " + Instant.ofEpochMilli(stored);
    }
}
