/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.BatchWrite;
import com.aerospike.client.Bin;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.ResultCode;
import com.aerospike.client.Value;
import com.aerospike.client.cdt.MapOperation;
import com.aerospike.client.cdt.MapPolicy;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.exp.Expression;
import com.aerospike.client.policy.BatchWritePolicy;
import com.aerospike.client.policy.RecordExistsAction;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.mapping.KeyResolver;
import io.cdpconnect.aerospike.mapping.RecordValues;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * COUNTERS mode: each record adds its amounts to its key's counter bins with atomic {@code add} operations and,
 * in the same operate, records its offset in the map bin {@code {"topic/partition": offset}}. The write carries
 * a filter expression that lets it through only when the stored offset of its partition is absent or lower, so a
 * redelivered record (after a task restart or rebalance) is filtered out (FILTERED_OUT) instead of counted twice.
 */
public final class CounterPlanner implements WritePlanner {

    private final KeyResolver keys;
    private final List<CounterIncrement> increments;
    private final String offsetsBin;
    private final WritePolicies policies;
    private final BatchWritePolicy base;

    public CounterPlanner(AerospikeSinkConfig config, KeyResolver keys, WritePolicies policies) {
        this.keys = keys;
        this.increments = config.increments();
        this.offsetsBin = config.countersOffsetsBin();
        this.policies = policies;
        this.base = policies.write(RecordExistsAction.UPDATE);
    }

    @Override
    public WritePlan plan(Collection<SinkRecord> records, long nowMillis) {
        WritePlan plan = new WritePlan();
        for (SinkRecord record : records) {
            try {
                if (record.value() == null) {
                    throw new DataException("a tombstone (null value) carries no counter amounts");
                }
                Object root = RecordValues.root(record);
                Key key = keys.key(record, root);
                Operation[] ops = new Operation[increments.size() + 1];
                for (int i = 0; i < increments.size(); i++) {
                    CounterIncrement inc = increments.get(i);
                    Number amount = inc.amount(root);
                    ops[i] = Operation.add(
                            amount instanceof Long l
                                    ? new Bin(inc.bin(), l.longValue())
                                    : new Bin(inc.bin(), amount.doubleValue()));
                }
                String partition = OriginalPosition.partitionKey(record);
                long offset = OriginalPosition.offset(record);
                ops[increments.size()] = guardUpdate(offsetsBin, partition, offset, record.timestamp());
                BatchWritePolicy policy = policies.forRecord(base, root, true);
                String routed = record.topic() + "/" + record.kafkaPartition();
                policy.filterExp = partition.equals(routed)
                        ? guard(offsetsBin, partition, offset)
                        : guard(offsetsBin, partition, routed, offset);
                plan.add(
                        key,
                        new PlannedWrite(new BatchWrite(policy, key, ops), List.of(record), ResultCode.FILTERED_OUT));
            } catch (DataException e) {
                plan.reject(record, e);
            }
        }
        return plan;
    }

    /**
     * The guard entries the write stores: {@code "topic/p": offset} and, when the record has a timestamp,
     * {@code "topic/p@ts": timestamp}, which lets {@link OffsetRegressionCheck} tell a replay from a new record
     * behind the stored offset. The filter only reads {@code "topic/p"}.
     */
    static Operation guardUpdate(String offsetsBin, String partition, long offset, Long timestamp) {
        if (timestamp == null || timestamp < 0) {
            return MapOperation.put(MapPolicy.Default, offsetsBin, Value.get(partition), Value.get(offset));
        }
        Map<Value, Value> entries = new LinkedHashMap<>(4);
        entries.put(Value.get(partition), Value.get(offset));
        entries.put(Value.get(timestampKey(partition)), Value.get(timestamp.longValue()));
        return MapOperation.putItems(MapPolicy.Default, offsetsBin, entries);
    }

    static String timestampKey(String partition) {
        return partition + "@ts";
    }

    static Expression guard(String offsetsBin, String partition, long offset) {
        return Exp.build(CounterGuard.guard(ExpAlgebra.AEROSPIKE, offsetsBin, partition, offset));
    }

    /**
     * Behind a routing SMT: the original partition's entry, and the entry under the routed topic-partition that
     * versions before the original-position guard wrote, so the records redelivered right after an upgrade are not
     * counted a second time. Only the original entry is written.
     */
    static Expression guard(String offsetsBin, String partition, String legacyPartition, long offset) {
        return Exp.build(CounterGuard.guard(ExpAlgebra.AEROSPIKE, offsetsBin, partition, legacyPartition, offset));
    }
}
