/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aerospike.client.BatchWrite;
import com.aerospike.client.Operation;
import com.aerospike.client.ResultCode;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.policy.CommitLevel;
import com.aerospike.client.policy.GenerationPolicy;
import com.aerospike.client.policy.RecordExistsAction;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.TestConfigs;
import io.cdpconnect.aerospike.mapping.KeyResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** Write policies of BINS mode: *_ONLY actions, generation check, commit level, per-record TTL, newer-only guard. */
class BinsPoliciesTest {

    private static WritePlan plan(Map<String, String> props, String... values) {
        AerospikeSinkConfig config = TestConfigs.config(props);
        BinsPlanner planner = new BinsPlanner(config, new KeyResolver(config), new WritePolicies(config, false));
        List<SinkRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(new SinkRecord("customers", 0, null, null, null, values[i], i));
        }
        return planner.plan(records, 0);
    }

    private static PlannedWrite only(WritePlan plan) {
        assertThat(plan.rejected()).isEmpty();
        return plan.rounds().get(0).get(0);
    }

    @Test
    void onlyActionsTreatAMissingRecordAsANoOp() {
        Map<String, String> props = TestConfigs.bins();
        for (String action : new String[] {"UPDATE_ONLY", "REPLACE_ONLY"}) {
            props.put(AerospikeSinkConfig.BINS_WRITE_ACTION, action);
            PlannedWrite write = only(plan(props, "{\"customer_id\":\"c-1\",\"a\":1}"));
            assertThat(((BatchWrite) write.command()).policy.recordExistsAction)
                    .isEqualTo(RecordExistsAction.valueOf(action));
            assertThat(write.accepts(ResultCode.KEY_NOT_FOUND_ERROR)).isTrue();
            assertThat(write.accepts(ResultCode.KEY_EXISTS_ERROR)).isFalse();
        }
    }

    @Test
    void generationCheckCommitLevelAndPerRecordTtl() {
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.BINS_GENERATION_CHECK, "expect_equal");
        props.put(AerospikeSinkConfig.BINS_GENERATION_FIELD, "gen");
        props.put(AerospikeSinkConfig.COMMIT_LEVEL, "master");
        props.put(AerospikeSinkConfig.TTL_FIELD, "ttl");
        props.put(AerospikeSinkConfig.RECORD_TTL_SECONDS, "600");
        WritePlan plan = plan(
                props,
                "{\"customer_id\":\"c-1\",\"gen\":7,\"ttl\":3600}",
                "{\"customer_id\":\"c-2\",\"gen\":1}",
                "{\"customer_id\":\"c-3\",\"gen\":1,\"ttl\":\"soon\"}");
        List<PlannedWrite> writes = plan.rounds().get(0);
        BatchWrite first = (BatchWrite) writes.get(0).command();
        assertThat(first.policy.generationPolicy).isEqualTo(GenerationPolicy.EXPECT_GEN_EQUAL);
        assertThat(first.policy.generation).isEqualTo(7);
        assertThat(first.policy.commitLevel).isEqualTo(CommitLevel.COMMIT_MASTER);
        assertThat(first.policy.expiration).isEqualTo(3600);
        assertThat(((BatchWrite) writes.get(1).command()).policy.expiration).isEqualTo(600);
        assertThat(plan.rejected())
                .singleElement()
                .satisfies(f -> assertThat(f.error().getMessage()).contains("ttl"));

        props.put(AerospikeSinkConfig.BINS_GENERATION_FIELD, "");
        assertThatThrownBy(() -> TestConfigs.config(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AerospikeSinkConfig.BINS_GENERATION_FIELD);
    }

    @Test
    void binsTsFieldWritesOnlyNewerRecords() {
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.BINS_TS_FIELD, "updated_at");
        PlannedWrite write = only(
                plan(props, "{\"customer_id\":\"c-1\",\"tier\":\"gold\",\"updated_at\":\"2026-11-23T10:00:00Z\"}"));
        BatchWrite command = (BatchWrite) write.command();
        long ts = java.time.Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
        assertThat(command.policy.filterExp).isEqualTo(Exp.build(NewerGuard.guard(ExpAlgebra.AEROSPIKE, "cdp_ts", ts)));
        Operation last = command.ops[command.ops.length - 1];
        assertThat(last.binName).isEqualTo("cdp_ts");
        assertThat(last.value.getObject()).isEqualTo(ts);
        assertThat(write.accepts(ResultCode.FILTERED_OUT)).isTrue();
        assertThat(plan(props, "{\"customer_id\":\"c-1\",\"tier\":\"gold\"}").rejected())
                .singleElement()
                .satisfies(f -> assertThat(f.error().getMessage()).contains("updated_at"));
    }

    @Test
    void theNewerOnlyGuardRunsAsTheServerWould() {
        Map<String, Object> record = new HashMap<>();
        assertThat(InMemoryExp.test(record, NewerGuard.guard(InMemoryExp.INSTANCE, "cdp_ts", 5)))
                .isTrue();
        record.put("cdp_ts", 5L);
        assertThat(InMemoryExp.test(record, NewerGuard.guard(InMemoryExp.INSTANCE, "cdp_ts", 5)))
                .isFalse();
        assertThat(InMemoryExp.test(record, NewerGuard.guard(InMemoryExp.INSTANCE, "cdp_ts", 4)))
                .isFalse();
        assertThat(InMemoryExp.test(record, NewerGuard.guard(InMemoryExp.INSTANCE, "cdp_ts", 6)))
                .isTrue();
    }
}
