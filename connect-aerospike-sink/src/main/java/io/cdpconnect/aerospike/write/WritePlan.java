/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.Key;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What one {@code put} turns into. Writes are grouped in rounds executed one after the other, with at most one
 * write per key in a round: Aerospike gives no order between sub-commands of one batch, so a second write to the
 * same key waits for the next round, which keeps per-key order exactly as in the topic partition.
 */
public final class WritePlan {

    private final List<List<PlannedWrite>> rounds = new ArrayList<>();
    private final Map<Key, Integer> writesPerKey = new HashMap<>();
    private final List<RecordFailure> rejected = new ArrayList<>();
    private final Set<SetRef> sets = new HashSet<>();
    private int skipped;

    public void add(Key key, PlannedWrite write) {
        int round = writesPerKey.merge(key, 1, Integer::sum) - 1;
        while (rounds.size() <= round) {
            rounds.add(new ArrayList<>());
        }
        rounds.get(round).add(write);
        sets.add(new SetRef(key.namespace, key.setName == null ? "" : key.setName));
    }

    public void reject(SinkRecord record, Exception error) {
        rejected.add(new RecordFailure(record, error));
    }

    /** A valid record that needs no write (an update older than the timestamp retention horizon). */
    public void skip() {
        skipped++;
    }

    public List<List<PlannedWrite>> rounds() {
        return rounds;
    }

    public List<RecordFailure> rejected() {
        return rejected;
    }

    public int skipped() {
        return skipped;
    }

    /** Namespaces and sets written by this plan. */
    public Set<SetRef> sets() {
        return sets;
    }

    public int writeCount() {
        int n = 0;
        for (List<PlannedWrite> round : rounds) {
            n += round.size();
        }
        return n;
    }
}
