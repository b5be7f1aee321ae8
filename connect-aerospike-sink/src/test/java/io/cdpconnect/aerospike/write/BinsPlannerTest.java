/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.aerospike.client.BatchDelete;
import com.aerospike.client.BatchWrite;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.RecordExistsAction;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.TestConfigs;
import io.cdpconnect.aerospike.mapping.KeyResolver;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class BinsPlannerTest {

    private static BinsPlanner planner(Map<String, String> props) {
        AerospikeSinkConfig config = TestConfigs.config(props);
        return new BinsPlanner(config, new KeyResolver(config), new WritePolicies(config, false));
    }

    private static Map<String, Object> bins(Operation[] ops) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Operation op : ops) {
            assertThat(op.type).isEqualTo(Operation.Type.WRITE);
            out.put(op.binName, op.value.getObject());
        }
        return out;
    }

    @Test
    void structFieldsBecomeTypedBins() {
        Schema address =
                SchemaBuilder.struct().field("city", Schema.STRING_SCHEMA).build();
        Schema schema = SchemaBuilder.struct()
                .field("customer_id", Schema.STRING_SCHEMA)
                .field("vip", Schema.BOOLEAN_SCHEMA)
                .field("orders", Schema.INT32_SCHEMA)
                .field("ltv", Decimal.schema(2))
                .field("seen_at", Timestamp.SCHEMA)
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
                .field("address", address)
                .field("avatar", Schema.BYTES_SCHEMA)
                .build();
        Struct value = new Struct(schema)
                .put("customer_id", "c-42")
                .put("vip", true)
                .put("orders", 7)
                .put("ltv", new BigDecimal("129.90"))
                .put("seen_at", new java.util.Date(1_000L))
                .put("tags", List.of("a", "b"))
                .put("address", new Struct(address).put("city", "Lyon"))
                .put("avatar", new byte[] {1, 2});
        WritePlan plan = planner(TestConfigs.bins())
                .plan(List.of(new SinkRecord("customers", 0, null, null, schema, value, 0)), 0);
        BatchWrite write = (BatchWrite) plan.rounds().get(0).get(0).command();
        assertThat(write.key).isEqualTo(new Key("test", "customers", "c-42"));
        assertThat(write.policy.recordExistsAction).isEqualTo(RecordExistsAction.UPDATE);
        Map<String, Object> bins = bins(write.ops);
        assertThat(bins)
                .containsEntry("customer_id", "c-42")
                .containsEntry("vip", true)
                .containsEntry("orders", 7L)
                .containsEntry("ltv", 129.90)
                .containsEntry("seen_at", 1_000L)
                .containsEntry("tags", List.of("a", "b"))
                .containsEntry("address", Map.of("city", "Lyon"));
        assertThat((byte[]) bins.get("avatar")).containsExactly(1, 2);
    }

    @Test
    void includeExcludeRenameAndReplace() {
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.BINS_EXCLUDE, "internal");
        props.put(AerospikeSinkConfig.BINS_RENAME, "lifetime_value_eur:ltv_eur");
        props.put(AerospikeSinkConfig.BINS_WRITE_ACTION, "replace");
        WritePlan plan = planner(props)
                .plan(
                        List.of(new SinkRecord(
                                "customers",
                                0,
                                null,
                                null,
                                null,
                                "{\"customer_id\":\"c-1\",\"internal\":1,\"lifetime_value_eur\":12.5,\"note\":null}",
                                0)),
                        0);
        BatchWrite write = (BatchWrite) plan.rounds().get(0).get(0).command();
        assertThat(write.policy.recordExistsAction).isEqualTo(RecordExistsAction.REPLACE);
        assertThat(bins(write.ops)).containsOnlyKeys("customer_id", "ltv_eur");

        props.put(AerospikeSinkConfig.BINS_INCLUDE, "lifetime_value_eur");
        plan = planner(props)
                .plan(
                        List.of(new SinkRecord(
                                "customers",
                                0,
                                null,
                                null,
                                null,
                                Map.of("customer_id", "c-1", "lifetime_value_eur", 1),
                                0)),
                        0);
        assertThat(bins(((BatchWrite) plan.rounds().get(0).get(0).command()).ops))
                .containsOnlyKeys("ltv_eur");
    }

    @Test
    void nullFieldRemovesTheBinInUpdateMode() {
        WritePlan plan = planner(TestConfigs.bins())
                .plan(
                        List.of(new SinkRecord(
                                "customers", 0, null, null, null, "{\"customer_id\":\"c-1\",\"note\":null}", 0)),
                        0);
        Operation[] ops = ((BatchWrite) plan.rounds().get(0).get(0).command()).ops;
        assertThat(Arrays.stream(ops)
                        .filter(o -> o.binName.equals("note"))
                        .findFirst()
                        .orElseThrow()
                        .value
                        .getObject())
                .isNull();
    }

    @Test
    void tooLongBinNameIsARecordErrorNamingTheFix() {
        WritePlan plan = planner(TestConfigs.bins())
                .plan(
                        List.of(new SinkRecord(
                                "customers",
                                0,
                                null,
                                null,
                                null,
                                "{\"customer_id\":\"c-1\",\"a_very_long_field_name\":1}",
                                0)),
                        0);
        assertThat(plan.rounds()).isEmpty();
        assertThat(plan.rejected())
                .singleElement()
                .satisfies(f -> assertThat(f.error().getMessage())
                        .contains("a_very_long_field_name")
                        .contains("22 bytes")
                        .contains("at most 15")
                        .contains("bins.rename"));
    }

    @Test
    void tombstoneDeletesByRecordKeyAndCreateOnlyAcceptsExistingRecords() {
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.BINS_WRITE_ACTION, "CREATE_ONLY");
        WritePlan plan = planner(props)
                .plan(
                        List.of(
                                new SinkRecord(
                                        "customers", 0, null, "c-1", null, "{\"customer_id\":\"c-1\",\"a\":1}", 0),
                                new SinkRecord("customers", 0, null, "c-1", null, null, 1)),
                        0);
        assertThat(plan.rounds()).hasSize(2);
        PlannedWrite create = plan.rounds().get(0).get(0);
        assertThat(((BatchWrite) create.command()).policy.recordExistsAction).isEqualTo(RecordExistsAction.CREATE_ONLY);
        assertThat(create.acceptedCode()).isEqualTo(ResultCode.KEY_EXISTS_ERROR);
        PlannedWrite delete = plan.rounds().get(1).get(0);
        assertThat(delete.command()).isInstanceOf(BatchDelete.class);
        assertThat(delete.command().key).isEqualTo(new Key("test", "customers", "c-1"));
        assertThat(delete.acceptedCode()).isEqualTo(ResultCode.KEY_NOT_FOUND_ERROR);

        props.put(AerospikeSinkConfig.DELETE_ENABLED, "false");
        plan = planner(props).plan(List.of(new SinkRecord("customers", 0, null, "c-1", null, null, 1)), 0);
        assertThat(plan.rejected())
                .singleElement()
                .satisfies(f -> assertThat(f.error().getMessage()).contains("tombstone"));
    }
}
