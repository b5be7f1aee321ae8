/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static io.cdpconnect.warehouse.it.inprocess.CdcEvents.mongo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.warehouse.it.Sql;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cdc.format: change events of the MongoDB source (schemaless and with schemas, as output.format=schema and
 * JsonConverter give them) and Debezium envelopes are applied as changes: the table ends in exactly the source's
 * final state after inserts, updates, replaces, deletes and a re-insert, within one batch and across batches.
 */
class CdcFormatIT {

    private static final TopicPartition TP = new TopicPartition("shop.orders.cdc", 0);
    private static final Schema DOC = SchemaBuilder.struct()
            .field("_id", Schema.STRING_SCHEMA)
            .field("order_id", Schema.STRING_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .build();
    private static final Schema KEY =
            SchemaBuilder.struct().field("_id", Schema.STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct()
            .field("operation", Schema.STRING_SCHEMA)
            .field("document_key", Schema.OPTIONAL_STRING_SCHEMA)
            .field(
                    "full_document",
                    SchemaBuilder.struct()
                            .optional()
                            .field("_id", Schema.STRING_SCHEMA)
                            .field("order_id", Schema.STRING_SCHEMA)
                            .field("status", Schema.STRING_SCHEMA)
                            .build())
            .build();

    @TempDir
    Path dir;

    private Map<String, String> duck(String name, String format) {
        return new HashMap<>(Map.of(
                "warehouse.url",
                "jdbc:duckdb:" + dir.resolve(name + ".duckdb"),
                "cdc.format",
                format,
                "insert.mode",
                "upsert",
                "pk.mode",
                "record_key",
                "table.name.format",
                "orders",
                "batch.size",
                "1000"));
    }

    private Sql duckSql(String name) {
        String url = "jdbc:duckdb:" + dir.resolve(name + ".duckdb");
        return new Sql(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static SinkRecord rec(long offset, String id, Object value) {
        return new SinkRecord(TP.topic(), 0, null, Map.of("_id", id), null, value, offset);
    }

    @Test
    void mongoChangeEventsEndInTheFinalState() {
        Map<String, String> config = duck("mongo", "cdp-mongo");
        try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
            driver.put(List.of(
                    rec(0, "1", mongo("read", "1", "new")),
                    rec(1, "2", mongo("insert", "2", "new")),
                    rec(2, "3", mongo("insert", "3", "new"))));
            driver.commit();
            driver.put(List.of(
                    rec(3, "1", mongo("update", "1", "paid")),
                    rec(4, "2", mongo("delete", "2", null)),
                    rec(5, "3", mongo("delete", "3", null)),
                    rec(6, "3", mongo("replace", "3", "re-created")),
                    rec(7, "4", mongo("insert", "4", "new")),
                    rec(8, "4", mongo("delete", "4", null)),
                    rec(9, "x", Map.of("operation", "drop"))));
            assertThat(driver.commit().get(TP).offset()).isEqualTo(10L);
            assertThat(driver.context.errant).isEmpty();
        }
        assertThat(duckSql("mongo").rows("SELECT \"_id\", order_id, status FROM orders ORDER BY 1"))
                .containsExactly(
                        Map.of("_id", "1", "order_id", "o-1", "status", "paid"),
                        Map.of("_id", "3", "order_id", "o-3", "status", "re-created"));
    }

    @Test
    void mongoEventsWithSchemasOnPostgres() {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("cdc_mongo");
        Map<String, String> config = new HashMap<>(Map.of(
                "warehouse.url",
                url,
                "warehouse.user",
                pg.user(),
                "warehouse.password",
                pg.password(),
                "cdc.format",
                "cdp-mongo",
                "insert.mode",
                "upsert",
                "pk.mode",
                "record_key",
                "table.name.format",
                "orders",
                "fields.mapping",
                "order_id:order_id,status:status"));
        try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
            driver.put(List.of(
                    struct(0, "1", "insert", "new"),
                    struct(1, "2", "insert", "new"),
                    struct(2, "1", "update", "shipped"),
                    struct(3, "2", "delete", null)));
            driver.commit();
            driver.put(List.of(struct(4, "1", "update", "delivered")));
            driver.commit();
            assertThat(driver.context.errant).isEmpty();
        }
        assertThat(Sql.of(url, pg.user(), pg.password()).rows("SELECT \"_id\", order_id, status FROM orders"))
                .containsExactly(Map.of("_id", "1", "order_id", "o-1", "status", "delivered"));
    }

    private static SinkRecord struct(long offset, String id, String op, String status) {
        Struct value = new Struct(ENVELOPE).put("operation", op).put("document_key", "{\"_id\": \"" + id + "\"}");
        if (status != null) {
            value.put(
                    "full_document",
                    new Struct(ENVELOPE.field("full_document").schema())
                            .put("_id", id)
                            .put("order_id", "o-" + id)
                            .put("status", status));
        }
        return new SinkRecord(TP.topic(), 0, KEY, new Struct(KEY).put("_id", id), ENVELOPE, value, offset);
    }

    @Test
    void debeziumEnvelopesWithTombstonesAndTruncatePolicy() {
        Map<String, String> config = duck("dbz", "debezium");
        try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
            driver.put(List.of(
                    dbz(0, "1", "c", "new"),
                    dbz(1, "2", "r", "new"),
                    dbz(2, "1", "u", "paid"),
                    dbz(3, "2", "d", null),
                    rec(4, "2", null)));
            assertThat(driver.commit().get(TP).offset()).isEqualTo(5L);
            assertThatThrownBy(() -> driver.put(List.of(dbz(5, "1", "t", null))))
                    .hasMessageContaining("truncate")
                    .hasMessageContaining("cdc.truncate");
        }
        assertThat(duckSql("dbz").rows("SELECT \"_id\", order_id, status FROM orders ORDER BY 1"))
                .containsExactly(Map.of("_id", "1", "order_id", "o-1", "status", "paid"));
    }

    private static SinkRecord dbz(long offset, String id, String op, String status) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("op", op);
        v.put("before", null);
        v.put("after", status == null ? null : Map.of("order_id", "o-" + id, "status", status));
        v.put("source", Map.of("connector", "postgresql"));
        return rec(offset, id, v);
    }
}
