package io.cdpconnect.aerospike.write;

import com.aerospike.client.BatchDelete;
import com.aerospike.client.BatchWrite;
import com.aerospike.client.Bin;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.ResultCode;
import com.aerospike.client.Value;
import com.aerospike.client.policy.BatchDeletePolicy;
import com.aerospike.client.policy.BatchWritePolicy;
import com.aerospike.client.policy.RecordExistsAction;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.AerospikeSinkConfig.BinsWriteAction;
import io.cdpconnect.aerospike.mapping.BinNames;
import io.cdpconnect.aerospike.mapping.KeyResolver;
import io.cdpconnect.aerospike.mapping.RecordValues;
import io.cdpconnect.aerospike.mapping.ValueMapper;
import io.cdpconnect.common.RecordJson;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final int acceptedCode;

    public BinsPlanner(AerospikeSinkConfig config, KeyResolver keys, WritePolicies policies) {
        this.keys = keys;
        this.include = new HashSet<>(trimmed(config.getList(AerospikeSinkConfig.BINS_INCLUDE)));
        this.exclude = new HashSet<>(trimmed(config.getList(AerospikeSinkConfig.BINS_EXCLUDE)));
        this.renames = config.renames();
        this.action = config.binsWriteAction();
        this.deleteOnTombstone = config.getBoolean(AerospikeSinkConfig.DELETE_ON_TOMBSTONE);
        this.writePolicy = policies.write(switch (action) {
            case UPDATE -> RecordExistsAction.UPDATE;
            case REPLACE -> RecordExistsAction.REPLACE;
            case CREATE_ONLY -> RecordExistsAction.CREATE_ONLY;
        });
        this.deletePolicy = policies.delete();
        // CREATE_ONLY: the record already existing is the expected outcome of a replay, not an error.
        this.acceptedCode = action == BinsWriteAction.CREATE_ONLY ? ResultCode.KEY_EXISTS_ERROR : ResultCode.OK;
    }

    @Override
    public WritePlan plan(Collection<SinkRecord> records, long nowMillis) {
        WritePlan plan = new WritePlan();
        for (SinkRecord record : records) {
            try {
                if (record.value() == null) {
                    if (!deleteOnTombstone) {
                        throw new DataException("tombstone received and " + AerospikeSinkConfig.DELETE_ON_TOMBSTONE
                                + "=false");
                    }
                    // The Kafka key, read and coerced exactly as the write key would be (key.field, key.type).
                    Key key = keys.tombstoneKey(record);
                    plan.add(key, new PlannedWrite(new BatchDelete(deletePolicy, key), List.of(record),
                            ResultCode.KEY_NOT_FOUND_ERROR));
                    continue;
                }
                Object root = RecordValues.root(record);
                Key key = keys.key(record, root);
                Operation[] ops = operations(root);
                plan.add(key, new PlannedWrite(new BatchWrite(writePolicy, key, ops), List.of(record), acceptedCode));
            } catch (DataException e) {
                plan.reject(record, e);
            }
        }
        return plan;
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
            String bin = BinNames.checked(renames.getOrDefault(name, name),
                    "field '" + name + "': rename it with " + AerospikeSinkConfig.BINS_RENAME + " or drop it with "
                            + AerospikeSinkConfig.BINS_EXCLUDE);
            Object value = ValueMapper.toAerospike(field.getValue());
            if (value == null) {
                if (action == BinsWriteAction.UPDATE) {
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
