/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.aerospike.client.BatchWrite;
import com.aerospike.client.Key;
import com.aerospike.client.ResultCode;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.policy.RecordExistsAction;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.TestConfigs;
import io.cdpconnect.aerospike.mapping.KeyResolver;
import io.cdpconnect.aerospike.read.SegmentLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class SegmentPlannerTest {

    private static final long NOW = 1_795_000_000_000L;
    private long offset;

    private static SegmentPlanner planner(Map<String, String> props) {
        AerospikeSinkConfig config = TestConfigs.config(props);
        return new SegmentPlanner(config, new KeyResolver(config), new WritePolicies(config, true));
    }

    private SinkRecord json(String value) {
        return new SinkRecord("segments.updates", 0, null, null, null, value, offset++);
    }

    private static String update(String user, String segment, String op, String ts) {
        return "{\"user_id\":\"" + user + "\",\"segment_id\":\"" + segment + "\",\"op\":\"" + op + "\",\"ts\":\"" + ts
                + "\",\"ttl_seconds\":2592000}";
    }

    @Test
    void oneWritePerUserWithBothExpressionOperationsAndTheStoredKey() {
        WritePlan plan = planner(TestConfigs.segments())
                .plan(
                        List.of(
                                json(update("u-1", "high-value", "add", "2026-11-23T10:00:00Z")),
                                json(update("u-1", "churn-risk", "remove", "2026-11-23T10:00:01Z")),
                                json(update("u-2", "high-value", "add", "2026-11-23T10:00:00Z"))),
                        NOW);
        assertThat(plan.rejected()).isEmpty();
        assertThat(plan.rounds()).hasSize(1);
        List<PlannedWrite> writes = plan.rounds().get(0);
        assertThat(writes).hasSize(2);
        BatchWrite u1 = (BatchWrite) writes.get(0).command();
        assertThat(u1.key).isEqualTo(new Key("test", "users", "u-1"));
        assertThat(u1.ops).extracting(op -> op.binName).containsExactly("segments", "segments_ts");
        assertThat(u1.policy.sendKey).isTrue();
        assertThat(u1.policy.recordExistsAction).isEqualTo(RecordExistsAction.UPDATE);
        assertThat(u1.policy.filterExp).isNull();
        assertThat(u1.policy.expiration).isZero();
        assertThat(writes.get(0).sources()).hasSize(2);
        assertThat(writes.get(0).acceptedCode()).isEqualTo(ResultCode.OK);
        assertThat(plan.sets()).containsExactly(new SetRef("test", "users"));
    }

    @Test
    void opsCarryTheLastWriterWinsWinnerOfTheBatch() {
        SegmentPlanner planner = planner(TestConfigs.segments());
        WritePlan plan = planner.plan(
                List.of(
                        json(update("u-1", "s", "add", "2026-11-23T10:00:02Z")),
                        json(update("u-1", "s", "remove", "2026-11-23T10:00:01Z")),
                        json(update("u-1", "s", "remove", "2026-11-23T10:00:02Z"))),
                NOW);
        BatchWrite write = (BatchWrite) plan.rounds().get(0).get(0).command();
        long ts = java.time.Instant.parse("2026-11-23T10:00:02Z").toEpochMilli();
        SegmentExpressions<Exp> expressions = new SegmentExpressions<>(ExpAlgebra.AEROSPIKE, SegmentLayout.defaults());
        var expected = SegmentExpressions.operations(
                expressions, List.of(new SegmentUpdate("s", false, ts, 0)), NOW, NOW - 90L * 24 * 3600 * 1000);
        assertThat((byte[]) write.ops[0].value.getObject()).isEqualTo((byte[]) expected[0].value.getObject());
        assertThat((byte[]) write.ops[1].value.getObject()).isEqualTo((byte[]) expected[1].value.getObject());
        assertThat(plan.rounds().get(0).get(0).sources()).hasSize(3);
    }

    @Test
    void parsesStructMapAndJsonValuesAlike() {
        Schema schema = SchemaBuilder.struct()
                .field("user_id", Schema.STRING_SCHEMA)
                .field("segment_id", Schema.STRING_SCHEMA)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts", Schema.INT64_SCHEMA)
                .field("ttl_seconds", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        Struct struct = new Struct(schema)
                .put("user_id", "u-1")
                .put("segment_id", "s")
                .put("op", "ADD")
                .put("ts", 1_795_000_000_000L)
                .put("ttl_seconds", 60L);
        SegmentPlanner planner = planner(TestConfigs.segments());
        SegmentUpdate fromStruct = planner.parse(struct);
        SegmentUpdate fromMap = planner.parse(
                Map.of("user_id", "u-1", "segment_id", "s", "op", "add", "ts", 1_795_000_000_000L, "ttl_seconds", 60));
        SegmentUpdate fromJson =
                planner.parse(io.cdpconnect.common.RecordJson.parse("{\"segment_id\":\"s\",\"op\":\"add\",\"ts\":\""
                        + java.time.Instant.ofEpochMilli(1_795_000_000_000L) + "\",\"ttl_seconds\":60}"));
        SegmentUpdate expected = new SegmentUpdate("s", true, 1_795_000_000_000L, 1_795_000_000L + 60);
        assertThat(fromStruct).isEqualTo(expected);
        assertThat(fromMap).isEqualTo(expected);
        assertThat(fromJson).isEqualTo(expected);
    }

    @Test
    void defaultTtlAppliesWhenTheUpdateHasNone() {
        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.SEGMENTS_DEFAULT_TTL_SECONDS, "100");
        SegmentUpdate u = planner(props).parse(Map.of("segment_id", "s", "op", "add", "ts", 5_000L));
        assertThat(u.expirySeconds()).isEqualTo(105L);
        SegmentUpdate noTtl =
                planner(TestConfigs.segments()).parse(Map.of("segment_id", "s", "op", "add", "ts", 5_000L));
        assertThat(noTtl.expirySeconds()).isZero();
    }

    @Test
    void badUpdatesAreRejectedWithTheReason() {
        WritePlan plan = planner(TestConfigs.segments())
                .plan(
                        List.of(
                                json("{\"user_id\":\"u-1\",\"segment_id\":\"s\",\"op\":\"add\"}"),
                                json("{\"user_id\":\"u-1\",\"segment_id\":\"s\",\"op\":\"frobnicate\",\"ts\":1}"),
                                json("{\"segment_id\":\"s\",\"op\":\"add\",\"ts\":1}"),
                                json("not json"),
                                json("{\"user_id\":\"u-1\",\"segment_id\":\"s\",\"op\":\"add\",\"ts\":\"yesterday\"}"),
                                json(
                                        "{\"user_id\":\"u-1\",\"segment_id\":\"s\",\"op\":\"add\",\"ts\":1,\"ttl_seconds\":-5}"),
                                new SinkRecord("segments.updates", 0, null, "u-1", null, null, 99)),
                        NOW);
        assertThat(plan.rounds()).isEmpty();
        assertThat(plan.rejected())
                .extracting(f -> f.error().getMessage())
                .satisfiesExactly(
                        m -> assertThat(m).contains("ts field 'ts' is missing"),
                        m -> assertThat(m).contains("op 'frobnicate'"),
                        m -> assertThat(m).contains("value field 'user_id' is missing"),
                        m -> assertThat(m).contains("not valid JSON"),
                        m -> assertThat(m).contains("ISO-8601"),
                        m -> assertThat(m).contains("ttl"),
                        m -> assertThat(m).contains("tombstone"));
    }

    @Test
    void updatesOlderThanTheRetentionHorizonAreSkipped() {
        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.SEGMENTS_TOMBSTONE_RETENTION_MS, "60000");
        WritePlan plan = planner(props)
                .plan(
                        List.of(
                                json("{\"user_id\":\"u-1\",\"segment_id\":\"s\",\"op\":\"add\",\"ts\":" + (NOW - 60_001)
                                        + "}"),
                                json("{\"user_id\":\"u-1\",\"segment_id\":\"t\",\"op\":\"add\",\"ts\":" + (NOW - 60_000)
                                        + "}")),
                        NOW);
        assertThat(plan.skipped()).isEqualTo(1);
        assertThat(plan.writeCount()).isEqualTo(1);
        assertThat(plan.rejected()).isEmpty();
    }

    @Test
    void manySegmentsOfOneUserSpreadOverRounds() {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < SegmentPlanner.MAX_SEGMENTS_PER_WRITE + 1; i++) {
            records.add(json("{\"user_id\":\"u-1\",\"segment_id\":\"s" + i + "\",\"op\":\"add\",\"ts\":" + NOW + "}"));
        }
        records.add(json("{\"user_id\":\"u-2\",\"segment_id\":\"s\",\"op\":\"add\",\"ts\":" + NOW + "}"));
        WritePlan plan = planner(TestConfigs.segments()).plan(records, NOW);
        assertThat(plan.rounds()).hasSize(2);
        assertThat(plan.rounds().get(0)).hasSize(2);
        assertThat(plan.rounds().get(1)).hasSize(1);
        assertThat(plan.rounds().get(1).get(0).command().key.userKey.toString()).isEqualTo("u-1");
    }

    @Test
    void recordTtlAndSetFromTopicAreApplied() {
        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.RECORD_TTL_SECONDS, "-1");
        props.put(AerospikeSinkConfig.SET_SOURCE, "topic");
        WritePlan plan = planner(props).plan(List.of(json(update("u-1", "s", "add", "2026-11-23T10:00:00Z"))), NOW);
        BatchWrite write = (BatchWrite) plan.rounds().get(0).get(0).command();
        assertThat(write.policy.expiration).isEqualTo(-1);
        assertThat(write.key.setName).isEqualTo("segments.updates");
    }
}
