/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.BatchDelete;
import com.aerospike.client.BatchWrite;
import com.aerospike.client.Bin;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.ResultCode;
import com.aerospike.client.Value;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.policy.BatchDeletePolicy;
import com.aerospike.client.policy.BatchWritePolicy;
import com.aerospike.client.policy.GenerationPolicy;
import com.aerospike.client.policy.RecordExistsAction;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.AerospikeSinkConfig.BinsWriteAction;
import io.cdpconnect.aerospike.mapping.BinNames;
import io.cdpconnect.aerospike.mapping.KeyResolver;
import io.cdpconnect.aerospike.mapping.RecordValues;
import io.cdpconnect.aerospike.mapping.ValueMapper;
import io.cdpconnect.common.FieldPath;
import io.cdpconnect.common.RecordJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * BINS mode: top-level fields of the value become bins (include/exclude/rename), written with UPDATE, REPLACE
 * or CREATE_ONLY semantics; a tombstone deletes the record. Nested structures become Aerospike maps and lists.
 */
public final class BinsPlanner implements WritePlanner {

    private final KeyResolver keys;
    private final Set<String> include;
    private final Set<String> exclude;
    private final Map<String, String> renames;
    private final BinsWriteAction action;
    private final boolean deleteOnTombstone;
    private final BatchWritePolicy writePolicy;
    private final BatchDeletePolicy deletePolicy;
    private final int actionNoOp;
    private final WritePolicies policies;
    private final FieldPath tsField;
    private final String tsBin;
    private final AerospikeSinkConfig.GenerationCheck generationCheck;
    private final FieldPath generationField;

    public BinsPlanner(AerospikeSinkConfig config, KeyResolver keys, WritePolicies policies) {
        this.keys = keys;
        this.include = new HashSet<>(trimmed(config.binsInclude()));
        this.exclude = new HashSet<>(trimmed(config.binsExclude()));
        this.renames = config.renames();
        this.action = config.binsWriteAction();
        this.deleteOnTombstone = config.deleteEnabled();
        this.writePolicy = policies.write(
                switch (action) {
                    case UPDATE -> RecordExistsAction.UPDATE;
                    case UPDATE_ONLY -> RecordExistsAction.UPDATE_ONLY;
                    case REPLACE -> RecordExistsAction.REPLACE;
                    case REPLACE_ONLY -> RecordExistsAction.REPLACE_ONLY;
                    case CREATE_ONLY -> RecordExistsAction.CREATE_ONLY;
                });
        this.policies = policies;
        this.deletePolicy = policies.delete();
        String tsPath = config.binsTsField();
        this.tsField = tsPath.isBlank() ? null : FieldPath.of(tsPath);
        this.tsBin = config.binsTsBin();
        this.generationCheck = config.generationCheck();
        String genPath = config.binsGenerationField();
        this.generationField = genPath.isBlank() ? null : FieldPath.of(genPath);
        // The outcome the action itself excludes is a no-op, not an error: the record already exists under
        // CREATE_ONLY (a replay), or does not exist under UPDATE_ONLY / REPLACE_ONLY.
        this.actionNoOp = switch (action) {
            case CREATE_ONLY -> ResultCode.KEY_EXISTS_ERROR;
            case UPDATE_ONLY, REPLACE_ONLY -> ResultCode.KEY_NOT_FOUND_ERROR;
            default -> ResultCode.OK;
        };
    }

    @Override
    public WritePlan plan(Collection<SinkRecord> records, long nowMillis) {
        WritePlan plan = new WritePlan();
        for (SinkRecord record : records) {
            try {
                if (record.value() == null) {
                    if (!deleteOnTombstone) {
                        throw new DataException(
                                "tombstone received and " + AerospikeSinkConfig.DELETE_ENABLED + "=false");
                    }
                    // The Kafka key, read and coerced exactly as the write key would be (key.field, key.type).
                    Key key = keys.tombstoneKey(record);
                    plan.add(
                            key,
                            new PlannedWrite(
                                    new BatchDelete(deletePolicy, key),
                                    List.of(record),
                                    ResultCode.KEY_NOT_FOUND_ERROR));
                    continue;
                }
                Object root = RecordValues.root(record);
                Key key = keys.key(record, root);
                Operation[] ops = operations(root);
                boolean guarded = tsField != null || generationCheck != AerospikeSinkConfig.GenerationCheck.NONE;
                BatchWritePolicy policy = policies.forRecord(writePolicy, root, guarded);
                if (tsField != null) {
                    Object tsValue = tsField.get(root);
                    if (tsValue == null) {
                        throw new DataException("ts field '" + tsField + "' is missing: "
                                + AerospikeSinkConfig.BINS_TS_FIELD + " makes writes apply only when newer");
                    }
                    long ts = Timestamps.toEpochMillis(tsValue, tsField.path());
                    policy.filterExp = Exp.build(NewerGuard.guard(ExpAlgebra.AEROSPIKE, tsBin, ts));
                    ops = append(ops, Operation.put(new Bin(tsBin, ts)));
                }
                if (generationCheck != AerospikeSinkConfig.GenerationCheck.NONE) {
                    policy.generationPolicy = generationCheck == AerospikeSinkConfig.GenerationCheck.EXPECT_EQUAL
                            ? GenerationPolicy.EXPECT_GEN_EQUAL
                            : GenerationPolicy.EXPECT_GEN_GT;
                    policy.generation = generation(root);
                }
                // Filtered out by the ts guard: older or equal to what is stored (late or replayed), a no-op.
                plan.add(
                        key,
                        new PlannedWrite(
                                new BatchWrite(policy, key, ops),
                                List.of(record),
                                actionNoOp,
                                tsField != null ? ResultCode.FILTERED_OUT : ResultCode.OK));
            } catch (DataException e) {
                plan.reject(record, e);
            }
        }
        return plan;
    }

    private int generation(Object root) {
        Object value = generationField.get(root);
        Number n = value == null ? null : ValueMapper.toNumber(value);
        if (!(n instanceof Long l) || l < 0 || l > 0xFFFF_FFFFL) {
            throw new DataException("generation field '" + generationField + "' must be a whole number >= 0 for "
                    + AerospikeSinkConfig.BINS_GENERATION_CHECK + "; got " + value);
        }
        return (int) l.longValue();
    }

    private static Operation[] append(Operation[] ops, Operation op) {
        Operation[] out = java.util.Arrays.copyOf(ops, ops.length + 1);
        out[ops.length] = op;
        return out;
    }

    Operation[] operations(Object root) {
        Object plain = RecordJson.toPlain(root, null, false);
        if (!(plain instanceof Map<?, ?> fields)) {
            throw new DataException("record value must be an object to map to bins");
        }
        List<Operation> ops = new ArrayList<>(fields.size());
        for (Map.Entry<?, ?> field : fields.entrySet()) {
            String name = String.valueOf(field.getKey());
            if ((!include.isEmpty() && !include.contains(name)) || exclude.contains(name)) {
                continue;
            }
            String bin = BinNames.checked(
                    renames.getOrDefault(name, name),
                    "field '" + name + "': rename it with " + AerospikeSinkConfig.BINS_RENAME + " or drop it with "
                            + AerospikeSinkConfig.BINS_EXCLUDE);
            Object value = ValueMapper.toAerospike(field.getValue());
            if (value == null) {
                if (action == BinsWriteAction.UPDATE || action == BinsWriteAction.UPDATE_ONLY) {
                    ops.add(Operation.put(Bin.asNull(bin))); // UPDATE: a null field removes the bin
                }
                continue;
            }
            ops.add(Operation.put(new Bin(bin, Value.get(value))));
        }
        if (ops.isEmpty()) {
            throw new DataException("no bins to write: every field is null or filtered out");
        }
        return ops.toArray(new Operation[0]);
    }

    private static List<String> trimmed(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (!v.isBlank()) {
                out.add(v.trim());
            }
        }
        return out;
    }
}
