/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static io.cdpconnect.warehouse.it.inprocess.CdcEvents.mongo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.it.Sql;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cdc.delete.mode=soft: a delete keeps the row and sets cdc.delete.column to the event's time; a later insert of
 * the key clears it. In one batch and across batches, with tombstones, on PostgreSQL (COPY and bound statements)
 * and DuckDB.
 */
class SoftDeleteIT {

    private static final TopicPartition TP = new TopicPartition("shop.orders.cdc", 0);
    private static final long T0 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    /** A change at T0 + offset seconds (the record timestamp: the source's change time). */
    private static SinkRecord rec(long offset, String id, Object value) {
        return new SinkRecord(
                TP.topic(),
                0,
                null,
                Map.of("_id", id),
                null,
                value,
                offset,
                T0 + offset * 1000,
                TimestampType.CREATE_TIME);
    }

    /** The tombstone the source sends after a delete: the next offset, the delete's timestamp. */
    private static SinkRecord tombstone(long offset, String id) {
        return new SinkRecord(
                TP.topic(),
                0,
                null,
                Map.of("_id", id),
                null,
                null,
                offset,
                T0 + (offset - 1) * 1000,
                TimestampType.CREATE_TIME);
    }

    private static Map<String, String> base(String column) {
        Map<String, String> config = new HashMap<>(Map.of(
                "cdc.format",
                "cdp-mongo",
                "insert.mode",
                "upsert",
                "pk.mode",
                "record_key",
                "table.name.format",
                "orders",
                "cdc.delete.mode",
                "soft",
                "batch.size",
                "1000"));
        if (column != null) {
            config.put("cdc.delete.column", column);
        }
        return config;
    }

    @Test
    void softDeletesOnDuckDb() {
        String url = "jdbc:duckdb:" + dir.resolve("soft.duckdb");
        Map<String, String> config = base(null);
        config.put("warehouse.url", url);
        run(config, Sql.duckDb(url), "__deleted_at");
    }

    @Test
    void softDeletesOnPostgresCopy() {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("wh_soft_copy");
        Map<String, String> config = base("deleted_at");
        config.putAll(Map.of("warehouse.url", url, "warehouse.user", pg.user(), "warehouse.password", pg.password()));
        run(config, Sql.of(url, pg.user(), pg.password()), "deleted_at");
    }

    @Test
    void softDeletesOnPostgresJdbcWithKeepMissingFields() {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("wh_soft_jdbc");
        Map<String, String> config = base(null);
        config.putAll(Map.of(
                "warehouse.url",
                url,
                "warehouse.user",
                pg.user(),
                "warehouse.password",
                pg.password(),
                "write.method",
                "jdbc",
                "upsert.missing.fields",
                "keep"));
        run(config, Sql.of(url, pg.user(), pg.password()), "__deleted_at");
    }

    private void run(Map<String, String> config, Sql sql, String column) {
        try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
            // one batch: 1 inserted then deleted (and its tombstone), 2 deleted then re-inserted, 3 live
            driver.put(List.of(
                    rec(0, "1", mongo("insert", "1", "new")),
                    rec(1, "2", mongo("insert", "2", "new")),
                    rec(2, "3", mongo("insert", "3", "new")),
                    rec(3, "1", mongo("delete", "1", null)),
                    tombstone(4, "1"),
                    rec(5, "2", mongo("delete", "2", null)),
                    tombstone(6, "2"),
                    rec(7, "2", mongo("insert", "2", "re-created"))));
            driver.commit();
            assertThat(state(sql, column))
                    .containsExactly(
                            Map.entry("1", "new|" + Instant.ofEpochMilli(T0 + 3000)),
                            Map.entry("2", "re-created|live"),
                            Map.entry("3", "new|live"));
            // later batches: 3 deleted, 1 re-inserted (live again), a delete of a key never seen changes nothing
            driver.put(List.of(rec(10, "3", mongo("delete", "3", null)), tombstone(11, "3")));
            driver.commit();
            driver.put(List.of(rec(12, "1", mongo("insert", "1", "back")), rec(13, "9", mongo("delete", "9", null))));
            driver.commit();
            assertThat(driver.context.errant).isEmpty();
        }
        assertThat(state(sql, column))
                .containsExactly(
                        Map.entry("1", "back|live"),
                        Map.entry("2", "re-created|live"),
                        Map.entry("3", "new|" + Instant.ofEpochMilli(T0 + 10_000)));
        assertThat(sql.count("SELECT count(*) FROM orders WHERE " + column + " IS NULL"))
                .isEqualTo(2);
    }

    private static Map<String, String> state(Sql sql, String column) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, Object> r : sql.rows("SELECT \"_id\" AS k, status, " + column + " AS d FROM orders")) {
            Object d = r.get("d");
            String when = d == null
                    ? "live"
                    : d instanceof java.time.OffsetDateTime o
                            ? o.toInstant().toString()
                            : d instanceof java.sql.Timestamp t ? t.toInstant().toString() : String.valueOf(d);
            out.put(String.valueOf(r.get("k")), r.get("status") + "|" + when);
        }
        return out;
    }

    @Test
    void softDeleteNeedsACdcFormat() {
        Map<String, String> config = new HashMap<>(Map.of("cdc.delete.mode", "soft"));
        assertThatThrownBy(() -> new WarehouseSinkConfig(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cdc.delete.mode")
                .hasMessageContaining("cdc.format");
    }
}
