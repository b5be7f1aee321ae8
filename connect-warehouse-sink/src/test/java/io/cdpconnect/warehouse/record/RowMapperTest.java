/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.schema.ColumnType;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RowMapperTest {

    private static final String EVENT =
            "{\"event_id\": \"e-1\", \"event_type\": \"add_to_cart\", \"user_id\": \"u-1\", "
                    + "\"ts\": \"2026-11-23T10:00:00.123Z\", \"properties\": {\"sku\": \"SKU-1\", \"qty\": 1, \"price\": 39.95}}";

    private static RowMapper mapper(String... kv) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        return new RowMapper(new WarehouseSinkConfig(props));
    }

    private static SinkRecord record(Object key, Object value) {
        return new SinkRecord("events.raw", 0, null, key, null, value, 7);
    }

    private static Map<String, Object> columns(Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < row.size(); i++) {
            out.put(row.column(i), row.value(i));
        }
        return out;
    }

    @Test
    void jsonTextBecomesTopLevelColumnsWithNestedObjectsAsJson() {
        Row row = mapper().map(record(null, EVENT));
        assertThat(row.table()).isEqualTo("events_raw");
        assertThat(columns(row))
                .containsExactly(
                        Map.entry("event_id", "e-1"),
                        Map.entry("event_type", "add_to_cart"),
                        Map.entry("user_id", "u-1"),
                        Map.entry("ts", "2026-11-23T10:00:00.123Z"),
                        Map.entry("properties", "{\"sku\":\"SKU-1\",\"qty\":1,\"price\":39.95}"));
        assertThat(row.type(4)).isEqualTo(ColumnType.JSON);
    }

    @Test
    void explicitMappingPicksNestedPathsIntoNamedColumns() {
        Row row = mapper(
                        "fields.mapping", "event_id, properties.sku:sku, properties.qty:quantity, context.page.url:url")
                .map(record(null, EVENT));
        assertThat(columns(row).keySet()).containsExactly("event_id", "sku", "quantity", "url");
        assertThat(columns(row).values()).containsExactly("e-1", "SKU-1", 1L, null);
        assertThat(row.type(3)).isNull();
    }

    @Test
    void includeAndExcludeListsFilterTopLevelFields() {
        assertThat(columns(mapper("fields.include", "event_id,ts,properties", "fields.exclude", "properties")
                                .map(record(null, EVENT)))
                        .keySet())
                .containsExactly("event_id", "ts");
    }

    @Test
    void rawColumnKeepsTheWholeDocumentAndPartitionColumnBecomesATimestamp() {
        Row row = mapper(
                        "raw.column",
                        "payload",
                        "fields.mapping",
                        "event_id,ts",
                        "table.name.format",
                        "events",
                        "partition.column",
                        "ts",
                        "partition.interval",
                        "month")
                .map(record(null, EVENT));
        assertThat(columns(row)).containsOnlyKeys("event_id", "ts", "payload");
        assertThat(row.value("ts")).isEqualTo(Instant.parse("2026-11-23T10:00:00.123Z"));
        assertThat(row.type(1)).isEqualTo(ColumnType.TIMESTAMP);
        assertThat((String) row.value("payload"))
                .startsWith("{\"event_id\":\"e-1\"")
                .contains("\"price\":39.95");
        assertThat(mapper("raw.column", "payload").map(record(null, EVENT)).size())
                .isEqualTo(1);
    }

    @Test
    void structsKeepLogicalTypesAndShareColumnArraysPerSchema() {
        Schema schema = SchemaBuilder.struct()
                .field("order_id", Schema.STRING_SCHEMA)
                .field("created_at", Timestamp.SCHEMA)
                .build();
        RowMapper mapper = mapper();
        Row a = mapper.map(new SinkRecord(
                "orders",
                0,
                null,
                null,
                schema,
                new Struct(schema).put("order_id", "o-1").put("created_at", new java.util.Date(0)),
                1));
        Row b = mapper.map(new SinkRecord(
                "orders",
                0,
                null,
                null,
                schema,
                new Struct(schema).put("order_id", "o-2").put("created_at", new java.util.Date(1000)),
                2));
        assertThat(a.value("created_at")).isEqualTo(Instant.EPOCH);
        assertThat(a.type(1)).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(b.columns()).isSameAs(a.columns());
        assertThat(b.value("order_id")).isEqualTo("o-2");
    }

    @Test
    void recordKeysBecomeKeyColumns() {
        Row primitive = mapper("pk.mode", "record_key", "pk.fields", "order_id", "insert.mode", "upsert")
                .map(record("o-1", Map.of("status", "paid")));
        assertThat(columns(primitive)).containsEntry("order_id", "o-1").containsEntry("status", "paid");
        assertThat(primitive.key()).isEqualTo("o-1");

        Row composite = mapper("pk.mode", "record_key", "insert.mode", "upsert")
                .map(record("{\"tenant\": \"t1\", \"order_id\": \"o-1\"}", Map.of("status", "paid")));
        assertThat(columns(composite)).containsEntry("tenant", "t1").containsEntry("order_id", "o-1");
        RowMapper m = mapper("pk.mode", "record_key", "insert.mode", "upsert");
        assertThat(m.keyColumns(composite)).containsExactly("tenant", "order_id");

        Row fromValue = mapper("pk.mode", "record_value", "pk.fields", "event_id", "insert.mode", "upsert")
                .map(record(null, EVENT));
        assertThat(fromValue.key()).isEqualTo("e-1");
    }

    @Test
    void tombstonesDeleteOnlyWhenEnabled() {
        assertThat(mapper().map(record("o-1", null))).isNull();
        Row delete = mapper("pk.mode", "record_key", "pk.fields", "order_id", "delete.enabled", "true")
                .map(record("o-1", null));
        assertThat(delete.isDelete()).isTrue();
        assertThat(delete.key()).isEqualTo("o-1");
    }

    @Test
    void unusableRecordsAreDataErrors() {
        assertThatThrownBy(() -> mapper().map(record(null, "not json"))).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> mapper().map(record(null, "[1,2]")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() ->
                        mapper("pk.mode", "record_key", "insert.mode", "upsert").map(record(null, EVENT)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("no key");
        assertThatThrownBy(() -> mapper("partition.column", "ts", "partition.interval", "day")
                        .map(record(null, "{\"ts\": \"soon\"}")))
                .isInstanceOf(DataException.class);
        assertThatThrownBy(() -> mapper().map(record(null, Map.of("bad\u0000name", 1))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("control character");
    }

    @Test
    void inconsistentOptionsAreRejected() {
        assertThatThrownBy(() -> mapper("insert.mode", "upsert"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pk.mode");
        assertThatThrownBy(() -> mapper("delete.enabled", "true")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> mapper("pk.mode", "record_value")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> mapper("partition.interval", "month")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> mapper("insert.mode", "merge")).isInstanceOf(ConfigException.class);
        assertThat(List.of(new WarehouseSinkConfig(Map.of()).url()))
                .containsExactly("jdbc:duckdb:cdp-warehouse.duckdb");
    }
}
