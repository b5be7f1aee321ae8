/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.warehouse.schema.ColumnType;
import io.cdpconnect.warehouse.schema.TableId;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlGenerationTest {

    private final PostgresDialect pg = new PostgresDialect();
    private final DuckDbDialect duck = new DuckDbDialect();
    private final TableId orders = new TableId("public", "orders");

    private static Map<String, ColumnType> columns() {
        Map<String, ColumnType> c = new LinkedHashMap<>();
        c.put("order_id", ColumnType.STRING);
        c.put("total", ColumnType.DECIMAL);
        c.put("items", ColumnType.JSON);
        c.put("created_at", ColumnType.TIMESTAMP);
        c.put("weird \"name\"", ColumnType.INT64);
        return c;
    }

    @Test
    void createTableQuotesEveryIdentifierAndMapsTypesPerDialect() {
        assertThat(pg.createTable(orders, columns(), List.of("order_id"), null))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS \"public\".\"orders\" (\"order_id\" text NOT NULL, \"total\" numeric, "
                                + "\"items\" jsonb, \"created_at\" timestamptz, \"weird \"\"name\"\"\" bigint, "
                                + "PRIMARY KEY (\"order_id\"))");
        assertThat(duck.createTable(new TableId("main", "orders"), columns(), List.of(), null))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS \"main\".\"orders\" (\"order_id\" VARCHAR, \"total\" DECIMAL(38,18), "
                                + "\"items\" JSON, \"created_at\" TIMESTAMPTZ, \"weird \"\"name\"\"\" BIGINT)");
    }

    @Test
    void everyColumnTypeHasASqlTypeInEveryDialect() {
        for (ColumnType type : ColumnType.values()) {
            assertThat(pg.sqlType(type)).isNotBlank();
            assertThat(duck.sqlType(type)).isNotBlank();
        }
        assertThat(pg.sqlType(ColumnType.BYTES)).isEqualTo("bytea");
        assertThat(pg.sqlType(ColumnType.DATE)).isEqualTo("date");
        assertThat(pg.sqlType(ColumnType.TIME)).isEqualTo("time");
        assertThat(duck.sqlType(ColumnType.BYTES)).isEqualTo("BLOB");
    }

    @Test
    void partitionedTablesAndPartitions() {
        assertThat(pg.createTable(new TableId("public", "events"), Map.of("ts", ColumnType.TIMESTAMP), List.of(), "ts"))
                .endsWith(" PARTITION BY RANGE (\"ts\")");
        assertThat(pg.createPartition(
                        new TableId("public", "events"),
                        new TableId("public", "events_p2026_11"),
                        LocalDateTime.of(2026, 11, 1, 0, 0),
                        LocalDateTime.of(2026, 12, 1, 0, 0)))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS \"public\".\"events_p2026_11\" PARTITION OF \"public\".\"events\" "
                                + "FOR VALUES FROM ('2026-11-01T00:00:00+00') TO ('2026-12-01T00:00:00+00')");
    }

    @Test
    void insertsAndUpsertsBindEveryValue() {
        assertThat(pg.insert(orders, List.of("order_id", "status"), 2, List.of()))
                .isEqualTo("INSERT INTO \"public\".\"orders\" (\"order_id\", \"status\") VALUES (?,?),(?,?)");
        assertThat(pg.insert(orders, List.of("order_id", "status", "total"), 1, List.of("order_id")))
                .isEqualTo("INSERT INTO \"public\".\"orders\" (\"order_id\", \"status\", \"total\") VALUES (?,?,?)"
                        + " ON CONFLICT (\"order_id\") DO UPDATE SET \"status\" = EXCLUDED.\"status\", "
                        + "\"total\" = EXCLUDED.\"total\"");
        assertThat(pg.onConflict(List.of("a", "b"), List.of("a", "b")))
                .isEqualTo(" ON CONFLICT (\"a\", \"b\") DO NOTHING");
        assertThat(pg.delete(orders, List.of("tenant", "order_id")))
                .isEqualTo("DELETE FROM \"public\".\"orders\" WHERE \"tenant\" = ? AND \"order_id\" = ?");
        assertThat(pg.addColumn(orders, "coupon", ColumnType.STRING))
                .isEqualTo("ALTER TABLE \"public\".\"orders\" ADD COLUMN IF NOT EXISTS \"coupon\" text");
    }

    @Test
    void dialectIsChosenByUrl() {
        assertThat(Dialect.forUrl("jdbc:postgresql://db:5432/wh")).isInstanceOf(PostgresDialect.class);
        assertThat(Dialect.forUrl("jdbc:duckdb:/tmp/x.duckdb")).isInstanceOf(DuckDbDialect.class);
    }
}
