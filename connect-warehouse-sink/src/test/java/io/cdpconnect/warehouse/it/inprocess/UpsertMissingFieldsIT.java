/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.warehouse.it.Sql;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * upsert.missing.fields decides per row: a partial update keeps (keep) or nulls (null) the columns it lacks,
 * whether it comes alone or in a batch with full rows and other partial rows, on PostgreSQL (COPY and JDBC)
 * and DuckDB.
 */
class UpsertMissingFieldsIT {

    private static final TopicPartition TP = new TopicPartition("customers", 0);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "postgres, auto, keep",
        "postgres, auto, null",
        "postgres, jdbc, keep",
        "postgres, jdbc, null",
        "duckdb, auto, keep",
        "duckdb, auto, null"
    })
    void missingFieldsAreDecidedPerRow(String database, String method, String missing) {
        Map<String, String> config = new HashMap<>(Map.of(
                "insert.mode",
                "upsert",
                "pk.mode",
                "record_key",
                "pk.fields",
                "id",
                "write.method",
                method,
                "batch.size",
                "1000",
                "name",
                "upsert-" + missing));
        if (!missing.equals("null")) {
            config.put("upsert.missing.fields", missing); // null is the default
        }
        Sql sql;
        if (database.equals("postgres")) {
            TestPostgres pg = TestPostgres.get();
            String url = pg.createDatabase("missing");
            config.putAll(
                    Map.of("warehouse.url", url, "warehouse.user", pg.user(), "warehouse.password", pg.password()));
            sql = Sql.of(url, pg.user(), pg.password());
        } else {
            String url = "jdbc:duckdb:" + dir.resolve("missing-" + method + "-" + missing + ".duckdb");
            config.put("warehouse.url", url);
            sql = new Sql(() -> {
                try {
                    return DriverManager.getConnection(url);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        boolean keep = missing.equals("keep");
        try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
            List<SinkRecord> batch = new ArrayList<>();
            batch.add(record(0, "c-1", Map.of("name", "Ada", "tier", "gold", "city", "Oslo")));
            batch.add(record(1, "c-2", Map.of("name", "Bob", "tier", "silver", "city", "Rome")));
            batch.add(record(2, "c-3", Map.of("name", "Cy", "tier", "bronze", "city", "Lima")));
            batch.add(record(3, "c-4", Map.of("name", "Di", "tier", "bronze", "city", "Kyiv")));
            driver.put(batch);
            driver.commit();

            // a lone partial update
            driver.put(List.of(record(4, "c-1", Map.of("tier", "platinum"))));
            driver.commit();
            // partial updates of different shapes next to a full row, and a field explicitly null
            Map<String, Object> explicitNull = new LinkedHashMap<>();
            explicitNull.put("tier", "gold");
            explicitNull.put("city", null);
            driver.put(List.of(
                    record(5, "c-2", Map.of("tier", "gold")),
                    record(6, "c-3", Map.of("name", "Cy", "tier", "silver", "city", "Quito")),
                    record(7, "c-4", explicitNull),
                    record(8, "c-5", Map.of("name", "Eve"))));
            driver.commit();
        }
        List<Map<String, Object>> rows = sql.rows("SELECT id, name, tier, city FROM customers ORDER BY id");
        assertThat(rows)
                .containsExactly(
                        row("c-1", keep ? "Ada" : null, "platinum", keep ? "Oslo" : null),
                        row("c-2", keep ? "Bob" : null, "gold", keep ? "Rome" : null),
                        row("c-3", "Cy", "silver", "Quito"),
                        row("c-4", keep ? "Di" : null, "gold", null),
                        row("c-5", "Eve", null, null));
    }

    private static SinkRecord record(long offset, String key, Map<String, Object> value) {
        return new SinkRecord("customers", 0, null, key, null, value, offset);
    }

    private static Map<String, Object> row(String id, String name, String tier, String city) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("tier", tier);
        row.put("city", city);
        return row;
    }
}
