/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.aerospike.client.BatchWrite;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.ResultCode;
import com.aerospike.client.Value;
import com.aerospike.client.cdt.MapOperation;
import com.aerospike.client.cdt.MapPolicy;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.TestConfigs;
import io.cdpconnect.aerospike.mapping.KeyResolver;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class CounterPlannerTest {

    private static CounterPlanner planner(Map<String, String> props) {
        AerospikeSinkConfig config = TestConfigs.config(props);
        return new CounterPlanner(config, new KeyResolver(config), new WritePolicies(config, false));
    }

    private static SinkRecord order(String json, int partition, long offset) {
        return new SinkRecord("orders", partition, null, null, null, json, offset);
    }

    @Test
    void addsEveryCounterAndRecordsTheOffsetUnderAGuard() {
        WritePlan plan = planner(TestConfigs.counters())
                .plan(List.of(order("{\"customer_id\":\"c-42\",\"total\":\"129.90\",\"item_count\":3}", 2, 17)), 0);
        PlannedWrite planned = plan.rounds().get(0).get(0);
        BatchWrite write = (BatchWrite) planned.command();
        assertThat(write.key).isEqualTo(new Key("test", "customer_stats", "c-42"));
        assertThat(write.ops).hasSize(4);
        assertThat(write.ops[0].type).isEqualTo(Operation.Type.ADD);
        assertThat(write.ops[0].binName).isEqualTo("order_count");
        assertThat(write.ops[0].value.getObject()).isEqualTo(1L);
        assertThat(write.ops[1].binName).isEqualTo("revenue");
        assertThat(write.ops[1].value.getObject()).isEqualTo(129.90);
        assertThat(write.ops[2].binName).isEqualTo("items");
        assertThat(write.ops[2].value.getObject()).isEqualTo(3L);
        Operation expectedOffset =
                MapOperation.put(MapPolicy.Default, "kafka_offsets", Value.get("orders/2"), Value.get(17L));
        assertThat(write.ops[3].type).isEqualTo(expectedOffset.type);
        assertThat(write.ops[3].binName).isEqualTo("kafka_offsets");
        assertThat((byte[]) write.ops[3].value.getObject()).isEqualTo((byte[]) expectedOffset.value.getObject());
        assertThat(write.policy.filterExp).isEqualTo(CounterPlanner.guard("kafka_offsets", "orders/2", 17));
        assertThat(write.policy.sendKey).isTrue();
        assertThat(planned.acceptedCode()).isEqualTo(ResultCode.FILTERED_OUT);
    }

    @Test
    void recordsOfOneCustomerGoToSuccessiveRoundsInOffsetOrder() {
        WritePlan plan = planner(TestConfigs.counters())
                .plan(
                        List.of(
                                order("{\"customer_id\":\"c-1\",\"total\":1,\"item_count\":1}", 0, 1),
                                order("{\"customer_id\":\"c-2\",\"total\":1,\"item_count\":1}", 0, 2),
                                order("{\"customer_id\":\"c-1\",\"total\":1,\"item_count\":1}", 0, 3)),
                        0);
        assertThat(plan.rounds()).hasSize(2);
        assertThat(plan.rounds().get(0))
                .extracting(w -> w.sources().get(0).kafkaOffset())
                .containsExactly(1L, 2L);
        assertThat(plan.rounds().get(1))
                .extracting(w -> w.sources().get(0).kafkaOffset())
                .containsExactly(3L);
    }

    @Test
    void integerKeysAndTypedAmounts() {
        Map<String, String> props = TestConfigs.counters();
        props.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "order_count=1,revenue=total:double,qty=qty:long");
        WritePlan plan =
                planner(props).plan(List.of(order("{\"customer_id\":42,\"total\":10,\"qty\":\"2\"}", 0, 1)), 0);
        BatchWrite write = (BatchWrite) plan.rounds().get(0).get(0).command();
        assertThat(write.key).isEqualTo(new Key("test", "customer_stats", 42L));
        assertThat(write.ops[1].value.getObject()).isEqualTo(10.0);
        assertThat(write.ops[2].value.getObject()).isEqualTo(2L);
    }

    @Test
    void missingOrNonNumericAmountsAreRejected() {
        WritePlan plan = planner(TestConfigs.counters())
                .plan(
                        List.of(
                                order("{\"customer_id\":\"c-1\",\"item_count\":1}", 0, 1),
                                order("{\"customer_id\":\"c-1\",\"total\":\"lots\",\"item_count\":1}", 0, 2),
                                new SinkRecord("orders", 0, null, "c-1", null, null, 3)),
                        0);
        assertThat(plan.rounds()).isEmpty();
        assertThat(plan.rejected())
                .extracting(f -> f.error().getMessage())
                .satisfiesExactly(
                        m -> assertThat(m).contains("field 'total' is missing"),
                        m -> assertThat(m).contains("'lots' is not a number"),
                        m -> assertThat(m).contains("tombstone"));
    }

    @Test
    void theGuardIsKeyedOnTheOriginalTopicPartitionNotTheRoutedOne() {
        SinkRecord original = order("{\"customer_id\":\"c-1\",\"total\":1,\"item_count\":1}", 2, 17);
        // what a routing SMT (RegexRouter, a partition re-mapper) hands the task
        SinkRecord routed =
                original.newRecord("orders.routed", 5, null, null, null, original.value(), original.timestamp());
        WritePlan plan = planner(TestConfigs.counters()).plan(List.of(routed), 0);
        BatchWrite write = (BatchWrite) plan.rounds().get(0).get(0).command();
        assertThat(write.policy.filterExp)
                .isEqualTo(CounterPlanner.guard("kafka_offsets", "orders/2", "orders.routed/5", 17));
        assertThat(write.ops[write.ops.length - 1].binName).isEqualTo("kafka_offsets");
    }

    @Test
    void moneyCountersAreExactMinorUnits() {
        Map<String, String> props = TestConfigs.counters();
        props.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "revenue_cents=total:cents");
        org.apache.kafka.connect.data.Schema schema = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .field("customer_id", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                .field("total", org.apache.kafka.connect.data.Decimal.schema(2))
                .build();
        org.apache.kafka.connect.data.Struct value = new org.apache.kafka.connect.data.Struct(schema)
                .put("customer_id", "c-1")
                .put("total", new java.math.BigDecimal("129.90"));
        WritePlan plan = planner(props)
                .plan(
                        List.of(
                                new SinkRecord("orders", 0, null, null, schema, value, 1),
                                order("{\"customer_id\":\"c-2\",\"total\":\"0.10\"}", 0, 2),
                                order("{\"customer_id\":\"c-3\",\"total\":39.95}", 0, 3),
                                order("{\"customer_id\":\"c-4\",\"total\":{\"$numberDecimal\":\"1.5\"}}", 0, 4),
                                order("{\"customer_id\":\"c-5\",\"total\":\"129.905\"}", 0, 5)),
                        0);
        assertThat(plan.rounds().get(0))
                .extracting(w -> ((BatchWrite) w.command()).ops[0].value.getObject())
                .containsExactly(12990L, 10L, 3995L, 150L);
        assertThat(plan.rejected())
                .singleElement()
                .satisfies(f -> assertThat(f.error().getMessage())
                        .contains("129.905")
                        .contains("2 decimal places")
                        .contains("not rounded"));

        props.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "revenue_mils=total:minor");
        props.put(AerospikeSinkConfig.COUNTERS_MINOR_UNITS_SCALE, "3");
        plan = planner(props).plan(List.of(order("{\"customer_id\":\"c-5\",\"total\":\"129.905\"}", 0, 5)), 0);
        assertThat(((BatchWrite) plan.rounds().get(0).get(0).command()).ops[0].value.getObject())
                .isEqualTo(129905L);
    }

    @Test
    void theGuardStoresTheTimestampOfTheRecordThatSetIt() {
        SinkRecord record = new SinkRecord(
                "orders",
                1,
                null,
                null,
                null,
                "{\"customer_id\":\"c-1\",\"total\":1,\"item_count\":1}",
                9,
                1_700_000_000_000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME);
        BatchWrite write = (BatchWrite) planner(TestConfigs.counters())
                .plan(List.of(record), 0)
                .rounds()
                .get(0)
                .get(0)
                .command();
        Map<Value, Value> entries = new java.util.LinkedHashMap<>();
        entries.put(Value.get("orders/1"), Value.get(9L));
        entries.put(Value.get("orders/1@ts"), Value.get(1_700_000_000_000L));
        Operation expected = MapOperation.putItems(MapPolicy.Default, "kafka_offsets", entries);
        Operation guard = write.ops[write.ops.length - 1];
        assertThat(guard.type).isEqualTo(expected.type);
        assertThat((byte[]) guard.value.getObject()).isEqualTo((byte[]) expected.value.getObject());
    }
}
