/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.bench;

import io.cdpconnect.testing.RecordingSinkTaskContext;
import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.warehouse.WarehouseSinkTask;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Pushes N shared-model orders (Struct values with Decimal and Timestamp fields) into PostgreSQL three ways, on
 * the same records in the same run: this connector's task (insert mode, COPY path), Debezium's JDBC sink task,
 * and a plain COPY of the same rows pre-encoded outside the clock (the ceiling: PostgreSQL's own ingest). Both
 * tasks are driven as WorkerSinkTask drives them: put() with 500-record polls, preCommit() at the end.
 *
 * <p>{@code -Dbench.rows=N} (default 200000), {@code -Dbench.batch=B} (batch.size of both sinks, default 10000),
 * {@code -Dbench.rounds=R} (default 3; the median round of each contender is reported).
 * PostgreSQL: the embedded one of the test harness, or PG_URL/PG_USER/PG_PASSWORD.
 */
public final class OrdersBenchmark {

    private static final int POLL = 500;
    private static final Schema ITEMS_JSON = Schema.STRING_SCHEMA;
    private static final Schema ORDER = SchemaBuilder.struct()
            .name("shop.orders")
            .field("order_id", Schema.STRING_SCHEMA)
            .field("customer_id", Schema.STRING_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("currency", Schema.STRING_SCHEMA)
            .field("total", Decimal.schema(2))
            .field("item_count", Schema.INT32_SCHEMA)
            .field("items", ITEMS_JSON)
            .field("created_at", Timestamp.SCHEMA)
            .field("updated_at", Timestamp.SCHEMA)
            .build();

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 200_000);
        int batch = Integer.getInteger("bench.batch", 10_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("bench");
        List<SinkRecord> records = orders(rows);
        List<SinkRecord> warm = records.subList(0, Math.min(rows, 20_000));
        System.out.printf(
                "orders benchmark: %,d rows, batch.size %,d, %d rounds, PostgreSQL %s%n",
                rows, batch, rounds, url.replaceAll("\\?.*", ""));

        // Warm-up (JIT, catalogs, connection) for each contender into tables of their own.
        copy(pg, url, "warm_copy", warm);
        cdp(pg, url, "warm_cdp", warm, batch);
        String debeziumProblem = null;
        try {
            debezium(pg, url, "warm_dbz", warm, batch);
        } catch (Throwable t) {
            debeziumProblem = t.toString();
            t.printStackTrace();
        }

        // Several rounds with the three contenders interleaved, so background load on a shared machine hits all of
        // them alike; the median round of each is reported.
        List<Double> copyRates = new ArrayList<>();
        List<Double> cdpRates = new ArrayList<>();
        List<Double> dbzRates = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String suffix = "_r" + round;
            double c = rate(rows, copy(pg, url, "orders_copy" + suffix, records));
            check(pg, url, "orders_copy" + suffix, rows);
            double w = rate(rows, cdp(pg, url, "orders_cdp" + suffix, records, batch));
            check(pg, url, "orders_cdp" + suffix, rows);
            Double d = null;
            if (debeziumProblem == null) {
                d = rate(rows, debezium(pg, url, "orders_dbz" + suffix, records, batch));
                check(pg, url, "orders_dbz" + suffix, rows);
            }
            System.out.printf(
                    "round %d: COPY %,.0f  cdp-connect %,.0f  Debezium %s rows/s%n",
                    round, c, w, d == null ? "-" : String.format("%,.0f", d));
            copyRates.add(c);
            cdpRates.add(w);
            if (d != null) {
                dbzRates.add(d);
            }
            for (String t : new String[] {"orders_copy", "orders_cdp", "orders_dbz"}) {
                drop(pg, url, t + suffix);
            }
        }

        double copyRate = median(copyRates);
        double cdpRate = median(cdpRates);
        Double dbzRate = dbzRates.isEmpty() ? null : median(dbzRates);
        // The zero-setup target, for reference (no peer): the same records into a DuckDB file.
        java.nio.file.Path duck =
                java.nio.file.Files.createTempDirectory("cdp-bench").resolve("bench.duckdb");
        Map<String, String> duckConfig = new HashMap<>();
        duckConfig.put("name", "bench-duckdb");
        duckConfig.put("warehouse.url", "jdbc:duckdb:" + duck);
        duckConfig.put("table.name.format", "orders");
        duckConfig.put("batch.size", String.valueOf(batch));
        double duckRate = rate(rows, drive(new WarehouseSinkTask(), duckConfig, records));

        System.out.println("median of " + rounds + " rounds:");
        System.out.printf("%-34s %,12.0f rows/s%n", "plain COPY (ceiling)", copyRate);
        System.out.printf(
                "%-34s %,12.0f rows/s  (%.2f of COPY)%n", "cdp-connect warehouse sink", cdpRate, cdpRate / copyRate);
        System.out.printf("%-34s %,12.0f rows/s  (single run, reference)%n", "cdp-connect into DuckDB", duckRate);
        if (dbzRate != null) {
            System.out.printf(
                    "%-34s %,12.0f rows/s  (%.2f of COPY)%n",
                    "Debezium JDBC sink 3.5.0.Final", dbzRate, dbzRate / copyRate);
            System.out.printf(
                    "cdp-connect / Debezium = %.2fx (target >= 3x); cdp-connect / COPY = %.2f (target >= 0.5)%n",
                    cdpRate / dbzRate, cdpRate / copyRate);
        } else {
            System.out.println("Debezium JDBC sink could not run: " + debeziumProblem);
        }
    }

    static List<SinkRecord> orders(int n) {
        List<SinkRecord> out = new ArrayList<>(n);
        long base = 1_795_428_000_000L; // 2026-11-23T10:00:00Z
        for (int i = 0; i < n; i++) {
            int qty = 1 + i % 3;
            BigDecimal price = new BigDecimal("39.95");
            Struct order = new Struct(ORDER)
                    .put("order_id", "o-" + (1_000_000 + i))
                    .put("customer_id", "c-" + (i % 5_000))
                    .put("status", i % 10 == 0 ? "refunded" : "paid")
                    .put("currency", "EUR")
                    .put("total", price.multiply(BigDecimal.valueOf(qty)).setScale(2))
                    .put("item_count", qty)
                    .put("items", "[{\"sku\":\"SKU-" + (i % 100) + "\",\"qty\":" + qty + ",\"price\":39.95}]")
                    .put("created_at", new Date(base + i * 1000L))
                    .put("updated_at", new Date(base + i * 1000L));
            out.add(new SinkRecord("orders", 0, Schema.STRING_SCHEMA, "o-" + (1_000_000 + i), ORDER, order, i));
        }
        return out;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double rate(int rows, long nanos) {
        return rows / (nanos / 1e9);
    }

    private static long cdp(TestPostgres pg, String url, String table, List<SinkRecord> records, int batch) {
        Map<String, String> config = new HashMap<>();
        config.put("name", "bench-cdp");
        config.put("warehouse.url", url);
        config.put("warehouse.user", pg.user());
        config.put("warehouse.password", pg.password());
        config.put("table.name.format", table);
        config.put("batch.size", String.valueOf(batch));
        return drive(new WarehouseSinkTask(), config, records);
    }

    private static long debezium(TestPostgres pg, String url, String table, List<SinkRecord> records, int batch) {
        Map<String, String> config = new HashMap<>();
        config.put("name", "bench-dbz");
        config.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        config.put("topics", "orders");
        config.put("connection.url", url);
        config.put("connection.username", pg.user());
        config.put("connection.password", pg.password());
        config.put("insert.mode", "insert");
        config.put("primary.key.mode", "none");
        config.put("schema.evolution", "basic");
        config.put("collection.name.format", table);
        config.put("batch.size", String.valueOf(batch));
        config.put("use.time.zone", "UTC");
        return drive(new io.debezium.connector.jdbc.JdbcSinkConnectorTask(), config, records);
    }

    /** start, open, put in 500-record polls, preCommit, close, stop: returns the nanoseconds of put..preCommit. */
    private static long drive(SinkTask task, Map<String, String> config, List<SinkRecord> records) {
        TopicPartition tp = new TopicPartition("orders", 0);
        RecordingSinkTaskContext context = new RecordingSinkTaskContext(true);
        context.assignment.add(tp);
        task.initialize(context);
        task.start(config);
        task.open(Set.of(tp));
        long start = System.nanoTime();
        for (int i = 0; i < records.size(); i += POLL) {
            task.put(records.subList(i, Math.min(records.size(), i + POLL)));
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                task.preCommit(Map.of(tp, new OffsetAndMetadata(records.size())));
        long elapsed = System.nanoTime() - start;
        task.close(Set.of(tp));
        task.stop();
        if (!context.errant.isEmpty()) {
            throw new IllegalStateException(
                    task.getClass().getSimpleName() + " reported errant records: " + context.causes.get(0));
        }
        if (committed.get(tp) == null || committed.get(tp).offset() != records.size()) {
            throw new IllegalStateException(task.getClass().getSimpleName() + " committed " + committed);
        }
        return elapsed;
    }

    /**
     * The ceiling: the same rows, encoded to COPY text before the clock starts, streamed in one COPY and one
     * transaction. What is timed is PostgreSQL's own ingest of the rows, which no sink can beat.
     */
    private static long copy(TestPostgres pg, String url, String table, List<SinkRecord> records) throws Exception {
        List<byte[]> chunks = new ArrayList<>();
        StringBuilder sb = new StringBuilder(1 << 17);
        for (SinkRecord r : records) {
            Struct o = (Struct) r.value();
            sb.append(o.getString("order_id"))
                    .append('\t')
                    .append(o.getString("customer_id"))
                    .append('\t')
                    .append(o.getString("status"))
                    .append('\t')
                    .append(o.getString("currency"))
                    .append('\t')
                    .append(((BigDecimal) o.get("total")).toPlainString())
                    .append('\t')
                    .append(o.getInt32("item_count"))
                    .append('\t')
                    .append(o.getString("items"))
                    .append('\t')
                    .append(((Date) o.get("created_at")).toInstant())
                    .append('\t')
                    .append(((Date) o.get("updated_at")).toInstant())
                    .append('\n');
            if (sb.length() > 1 << 16) {
                chunks.add(sb.toString().getBytes(StandardCharsets.UTF_8));
                sb.setLength(0);
            }
        }
        chunks.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        try (Connection c = pg.connect(url)) {
            try (Statement s = c.createStatement()) {
                s.execute(
                        "CREATE TABLE \"" + table + "\" (order_id text, customer_id text, status text, currency text, "
                                + "total numeric, item_count integer, items text, created_at timestamptz, updated_at timestamptz)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY \"" + table + "\" FROM STDIN");
            for (byte[] chunk : chunks) {
                in.writeToCopy(chunk, 0, chunk.length);
            }
            in.endCopy();
            c.commit();
            return System.nanoTime() - start;
        }
    }

    private static void drop(TestPostgres pg, String url, String table) throws Exception {
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS \"" + table + "\"");
        }
    }

    private static void check(TestPostgres pg, String url, String table, int rows) throws Exception {
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT order_id) FROM \"" + table + "\"")) {
            rs.next();
            if (rs.getLong(1) != rows || rs.getLong(2) != rows) {
                throw new IllegalStateException(
                        table + " has " + rs.getLong(1) + " rows (" + rs.getLong(2) + " distinct), expected " + rows);
            }
        }
    }
}
