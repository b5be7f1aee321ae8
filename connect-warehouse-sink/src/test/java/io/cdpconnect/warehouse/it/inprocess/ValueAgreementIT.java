/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.warehouse.it.Sql;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-style: the same random rows (every Java type a schemaless record can carry, into columns of every
 * type) through the bulk path (COPY / DuckDB Appender), bound multi-row statements (write.method=jdbc) and the
 * row-by-row replay (forced by one row a CHECK constraint rejects), on PostgreSQL and DuckDB. Every path must keep
 * and dead-letter the same rows, store the same values read back value by value, and store every number exactly
 * as it was sent (nothing rounded or truncated).
 */
class ValueAgreementIT {

    private static final TopicPartition TP = new TopicPartition("vals", 0);
    private static final String[] COLUMNS = {
        "c_big", "c_int", "c_small", "c_num", "c_numu", "c_dbl", "c_real", "c_text", "c_bool", "c_ts", "c_date"
    };
    private static final Set<String> EXACT_NUMBERS =
            Set.of("c_big", "c_int", "c_small", "c_num", "c_numu", "c_dbl", "c_real");

    @TempDir
    Path dir;

    @Test
    void postgresPathsAgreeValueByValue() {
        String url = TestPostgres.get().createDatabase("agree");
        TestPostgres pg = TestPostgres.get();
        Sql sql = Sql.of(url, pg.user(), pg.password());
        Map<String, String> base =
                Map.of("warehouse.url", url, "warehouse.user", pg.user(), "warehouse.password", pg.password());
        assertPathsAgree(
                sql,
                base,
                "bigint",
                "integer",
                "smallint",
                "numeric(14,4)",
                "numeric",
                "double precision",
                "real",
                "text",
                "boolean",
                "timestamptz",
                "date",
                "%s::text");
    }

    @Test
    void duckDbPathsAgreeValueByValue() {
        String url = "jdbc:duckdb:" + dir.resolve("agree.duckdb");
        Sql sql = new Sql(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertPathsAgree(
                sql,
                Map.of("warehouse.url", url),
                "BIGINT",
                "INTEGER",
                "SMALLINT",
                "DECIMAL(14,4)",
                "DECIMAL(38,18)",
                "DOUBLE",
                "FLOAT",
                "VARCHAR",
                "BOOLEAN",
                "TIMESTAMPTZ",
                "DATE",
                "CAST(%s AS VARCHAR)");
    }

    private void assertPathsAgree(Sql sql, Map<String, String> base, String... typesAndCast) {
        String cast = typesAndCast[typesAndCast.length - 1];
        long seed = Long.getLong("agree.seed", System.nanoTime());
        Random random = new Random(seed);
        List<Map<String, Object>> values = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            values.add(randomRow(random, i));
        }
        Map<String, Result> results = new LinkedHashMap<>();
        for (String path : List.of("bulk", "jdbc", "isolated")) {
            String table = "vals_" + path;
            StringBuilder ddl =
                    new StringBuilder("CREATE TABLE " + table + " (id BIGINT, guard BIGINT CHECK (guard >= 0)");
            for (int c = 0; c < COLUMNS.length; c++) {
                ddl.append(", ").append(COLUMNS[c]).append(' ').append(typesAndCast[c]);
            }
            sql.execute(ddl.append(')').toString());
            Map<String, String> config = new HashMap<>(base);
            config.put("name", "agree-" + path);
            config.put("table.name.format", table);
            config.put("auto.evolve", "false");
            config.put("batch.size", "100000");
            config.put("write.method", path.equals("jdbc") ? "jdbc" : "auto");
            List<SinkRecord> records = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                Map<String, Object> value = new HashMap<>(values.get(i));
                value.put("guard", path.equals("isolated") && i == 7 ? -1L : 0L);
                records.add(new SinkRecord("vals", 0, null, "k-" + i, null, value, i));
            }
            Result result = new Result();
            try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
                driver.put(records);
                assertThat(driver.commit().get(TP).offset()).as("seed " + seed).isEqualTo(values.size());
                driver.context.errant.forEach(r -> result.dead.add(r.kafkaOffset()));
            }
            String select = "SELECT id"
                    + java.util.Arrays.stream(COLUMNS)
                            .map(c -> ", " + cast.formatted(c) + " AS " + c)
                            .collect(Collectors.joining())
                    + " FROM " + table + " ORDER BY id";
            for (Map<String, Object> row : sql.rows(select)) {
                result.rows.put(((Number) row.get("id")).longValue(), row);
            }
            results.put(path, result);
        }
        Result bulk = results.get("bulk");
        // the guard row is the only difference the isolated path may have
        Set<Long> withGuard = new TreeSet<>(bulk.dead);
        withGuard.add(7L);
        assertThat(results.get("jdbc").dead)
                .as("jdbc dead-lettered rows, seed " + seed)
                .isEqualTo(bulk.dead);
        assertThat(results.get("isolated").dead)
                .as("row-by-row dead-lettered rows, seed " + seed)
                .isEqualTo(withGuard);
        assertThat(bulk.rows.size() + bulk.dead.size()).isEqualTo(values.size());
        for (Map.Entry<Long, Map<String, Object>> e : bulk.rows.entrySet()) {
            long id = e.getKey();
            assertThat(results.get("jdbc").rows.get(id))
                    .as("row %d (jdbc), seed %d, sent %s", id, seed, values.get((int) id))
                    .isEqualTo(e.getValue());
            if (id != 7) {
                assertThat(results.get("isolated").rows.get(id))
                        .as("row %d (row by row), seed %d, sent %s", id, seed, values.get((int) id))
                        .isEqualTo(e.getValue());
            }
            for (String column : EXACT_NUMBERS) {
                Object sent = values.get((int) id).get(column);
                Object stored = e.getValue().get(column);
                if (sent == null || stored == null) {
                    assertThat(stored)
                            .as("row %d %s, seed %d", id, column, seed)
                            .isEqualTo(sent);
                    continue;
                }
                assertThat(new BigDecimal(stored.toString()))
                        .as(
                                "row %d column %s stored %s for %s (%s), seed %d",
                                id, column, stored, sent, sent.getClass().getSimpleName(), seed)
                        .isEqualByComparingTo(new BigDecimal(sent.toString().trim()));
            }
        }
    }

    private static final class Result {
        final Set<Long> dead = new TreeSet<>();
        final Map<Long, Map<String, Object>> rows = new LinkedHashMap<>();
    }

    private static Map<String, Object> randomRow(Random random, int id) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", (long) id);
        for (String column : COLUMNS) {
            // mostly values that fit, so enough rows land to compare; the rest anything a record may carry
            Object value = random.nextInt(100) < 80
                    ? fitting(random, column)
                    : column.equals("c_ts")
                            ? randomTime(random)
                            : column.equals("c_date")
                                    ? randomDate(random)
                                    : column.equals("c_text") || column.equals("c_bool")
                                            ? randomAny(random)
                                            : randomNumber(random);
            if (value != null) {
                row.put(column, value);
            }
        }
        return row;
    }

    private static Object fitting(Random random, String column) {
        switch (column) {
            case "c_text":
                return "t" + random.nextInt(1000);
            case "c_bool":
                return random.nextBoolean();
            case "c_ts":
                return Instant.ofEpochSecond(1_790_000_000L + random.nextInt(1_000_000))
                        .toString();
            case "c_date":
                return "2026-12-" + (10 + random.nextInt(18));
            default:
                return random.nextInt(4) == 0 ? null : (long) random.nextInt(100);
        }
    }

    /** Numbers as a schemaless record brings them: Long, Integer, Double, BigDecimal, numeric text, junk. */
    private static Object randomNumber(Random random) {
        switch (random.nextInt(12)) {
            case 0:
                return null;
            case 1:
                return (long) random.nextInt(100);
            case 2:
                return random.nextLong();
            case 3:
                return random.nextInt(70_000) - 35_000;
            case 4:
                return (double) random.nextInt(1000);
            case 5:
                return Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(7));
            case 6:
                return new BigDecimal(random.nextInt(1_000_000)).movePointLeft(random.nextInt(8));
            case 7:
                return String.valueOf(random.nextInt(1000));
            case 8:
                return new BigDecimal(random.nextInt(100_000))
                        .movePointLeft(random.nextInt(6))
                        .toPlainString();
            case 9:
                return "1.5";
            case 10:
                return 0.1234567890123;
            default:
                return 1L << 53 | 1L; // a long no double holds
        }
    }

    private static Object randomAny(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return null;
            case 1:
                return random.nextBoolean();
            case 2:
                return random.nextBoolean() ? "true" : "false";
            case 3:
                return "text \t with\\ specials\n é " + random.nextInt(100);
            case 4:
                return randomNumber(random);
            default:
                return "x" + random.nextInt(10);
        }
    }

    private static Object randomTime(Random random) {
        Instant t = Instant.ofEpochMilli(1_790_000_000_000L + (long) random.nextInt(1_000_000_000) * 10);
        switch (random.nextInt(5)) {
            case 0:
                return null;
            case 1:
                return t.toString();
            case 2:
                return t.toEpochMilli();
            case 3:
                return "not a time";
            default:
                return t.plusNanos(123_456_000).toString();
        }
    }

    private static Object randomDate(Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return null;
            case 1:
                return "2026-11-" + (10 + random.nextInt(18));
            case 2:
                return "2026-02-30";
            default:
                return "2027-01-0" + (1 + random.nextInt(9));
        }
    }
}
