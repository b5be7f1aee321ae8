/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.bench;

import io.cdpconnect.packaging.it.faults.PipelineCli;
import io.cdpconnect.testing.process.Await;
import io.cdpconnect.testing.process.ConnectDeployment;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;

/**
 * End-to-end benchmark of the shipped pipelines on the multi-process deployment (a KRaft broker and one
 * {@code ConnectDistributed} worker JVM on Kafka's own jars, the built bundle as plugin.path) against PostgreSQL:
 * <ul>
 *   <li>saturation: a backlog of {@code bench.events} events, sustained rows/s of the whole pipeline (consume,
 *       validate, template, rows committed), from the commit timestamps of the rows;</li>
 *   <li>latency at fixed rates (300, 1,000, 5,000 events/s by default): produce time (the event's {@code ts}) to
 *       commit time of its row ({@code pg_xact_commit_timestamp}), p50/p95/p99;</li>
 *   <li>the ceiling: a plain COPY of the same rows into a table of the same shape, on one connection.</li>
 * </ul>
 * The pipelines are applied with {@code bin/cdp-apply} and only connection settings overridden (plus
 * {@code -Dbench.overrides=key=value,...} to try a change). Not a test: run it after {@code ./mvnw -B package}
 * (see the README's "End-to-end benchmark").
 */
public final class PipelineBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.events", 100_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final List<Integer> RATES = parseRates(System.getProperty("bench.rates", "300,1000,5000"));
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 6);
    private static final String PIPELINES = System.getProperty("bench.pipelines", "event-store,event-routing");

    private final ConnectDeployment deployment;
    private final EmbeddedPostgres pg;
    private final List<String> report = new ArrayList<>();

    private PipelineBenchmark(ConnectDeployment deployment, EmbeddedPostgres pg) {
        this.deployment = deployment;
        this.pg = pg;
    }

    public static void main(String[] args) throws Exception {
        // Commit timestamps give the moment each row became visible, without polling the tables.
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("track_commit_timestamp", "on")
                .setServerConfig("max_connections", "100")
                .start()) {
            ConnectDeployment.Builder builder = ConnectDeployment.builder("bench")
                    .workers(1)
                    .pluginPath(System.getProperty(
                            "cdp.plugin.path",
                            "target/cdp-connect-" + System.getProperty("cdp.version", "0.1.0-SNAPSHOT")))
                    .baseDir(Path.of("target", "bench"));
            for (String prop : System.getProperties().stringPropertyNames()) {
                if (prop.startsWith("bench.worker.")) { // e.g. -Dbench.worker.consumer.fetch.max.wait.ms=50
                    builder.workerProp(prop.substring("bench.worker.".length()), System.getProperty(prop));
                }
            }
            try (ConnectDeployment deployment = builder.start()) {
                PipelineBenchmark bench = new PipelineBenchmark(deployment, pg);
                for (String pipeline : PIPELINES.split(",")) {
                    bench.run(pipeline.trim());
                }
                bench.copyCeiling();
                bench.print();
            }
        }
    }

    private void run(String pipeline) throws Exception {
        String db = pipeline.replace('-', '_');
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        String url = pg.getJdbcUrl("postgres", db);
        Path ddl = Path.of("pipelines", "event-store", "postgres.sql"); // event_schemas for the event store
        if (Files.exists(ddl)) {
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                    Statement s = c.createStatement()) {
                s.execute(Files.readString(ddl));
            }
        }
        String topic = "bench." + pipeline;
        deployment.createTopic(topic, PARTITIONS);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("topics", topic);
        overrides.put("errors.deadletterqueue.topic.name", topic + ".dlq");
        overrides.put("warehouse.url", url);
        overrides.put("warehouse.user", "postgres");
        overrides.put("warehouse.password", "postgres");
        if (readsDefinitionsFromJdbc(pipeline)) { // bin/cdp-apply rejects overrides no config of the folder has
            overrides.put("definitions.jdbc.url", url);
            overrides.put("definitions.jdbc.user", "postgres");
            overrides.put("definitions.jdbc.password", "postgres");
        }
        // Options to try beside the shipped config (-Dbench.overrides=flush.interval.ms=50,...): bin/cdp-apply only
        // replaces keys a config already has, so keys the shipped file lacks are added to the config after it.
        Map<String, String> tried = new LinkedHashMap<>();
        for (String kv : System.getProperty("bench.overrides", "").split(",")) {
            if (kv.contains("=")) {
                tried.put(
                        kv.substring(0, kv.indexOf('=')).trim(),
                        kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        overrides.putAll(tried);
        String table = rowsOf(pipeline);

        // saturation: the backlog is in Kafka before the connector starts
        produceBacklog(topic, EVENTS, "sat-");
        long start = System.nanoTime();
        PipelineCli.apply(deployment.restUrl(), pipeline, overrides); // bin/cdp-apply, as a user does
        if (!tried.isEmpty()) {
            com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
                    deployment.rest().get("/connectors/" + pipeline + "/config");
            tried.forEach(config::put);
            deployment.rest().put("/connectors/" + pipeline + "/config", config.toString());
            result("| " + pipeline + " | with " + tried + " added to the shipped config | | | | |");
        }
        Await.until(Duration.ofMinutes(15), EVENTS + " rows of " + pipeline, () -> rows(url, table, "sat-") >= EVENTS);
        double wall = (System.nanoTime() - start) / 1e9;
        double[] span = commitSpan(url, table, "sat-");
        result(String.format(
                Locale.ROOT,
                "| %s | saturation | %,d events | %,.0f events/s sustained (first to last "
                        + "commit); %,.0f events/s including connector start (%.1f s) |",
                pipeline,
                EVENTS,
                EVENTS / span[0],
                EVENTS / wall,
                wall));

        for (int rate : RATES) {
            String prefix = "r" + rate + "-";
            int count = rate * SECONDS;
            producePaced(topic, count, rate, prefix);
            Await.until(
                    Duration.ofMinutes(5), count + " rows at " + rate + "/s", () -> rows(url, table, prefix) >= count);
            double[] p = latencies(url, table, prefix);
            result(String.format(
                    Locale.ROOT,
                    "| %s | %,d events/s for %d s | p50 %.0f ms | p95 %.0f ms | p99 %.0f ms " + "| max %.0f ms |",
                    pipeline,
                    rate,
                    SECONDS,
                    p[0],
                    p[1],
                    p[2],
                    p[3]));
        }
        deployment.rest().delete("/connectors/" + pipeline);
    }

    /** Whether a config file of the pipeline folder reads definitions from a database (the event store). */
    private static boolean readsDefinitionsFromJdbc(String pipeline) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("pipelines", pipeline))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().endsWith(".json") && Files.readString(file).contains("definitions.jdbc.url")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Valid events of every routed type (page_view, add_to_cart, order_completed, onboarding_step): the event
     * store stores them all; event-routing writes one table per type.
     */
    static String event(String id, int i, Instant ts) {
        String type = switch (i % 4) {
            case 0 -> "page_view";
            case 1 -> "add_to_cart";
            case 2 -> "order_completed";
            default -> "onboarding_step";
        };
        String properties = switch (type) {
            case "page_view" -> "{\"path\": \"/p/" + (i % 50) + "\"}";
            case "add_to_cart" -> "{\"sku\": \"SKU-" + (i % 40) + "\", \"qty\": 2, \"price\": 19.95}";
            case "order_completed" -> "{\"order_id\": \"o-" + i + "\", \"revenue\": 59.85, \"currency\": \"EUR\"}";
            default -> "{\"journey\": \"onboarding\", \"step\": \"signup\", \"status\": \"completed\"}";
        };
        return "{\"event_id\": \"" + id + "\", \"event_type\": \"" + type + "\", \"user_id\": \"u-" + (i % 997)
                + "\", \"anonymous_id\": \"a-" + i + "\", \"ts\": \"" + ts + "\", \"properties\": " + properties
                + ", \"context\": {\"page\": {\"url\": \"https://shop.example/p/" + (i % 50) + "\"}}}";
    }

    private void produceBacklog(String topic, int count, String prefix) throws Exception {
        producePaced(topic, count, 0, prefix);
    }

    /**
     * Sends {@code count} events at {@code rate} per second (0: as fast as possible) with a producer of this phase's
     * own: a producer shared across phases once stayed stuck on OUT_OF_ORDER_SEQUENCE_NUMBER after a leader change
     * on a new topic and hung the run. A failed send stops the benchmark with its cause instead of a silent wait.
     */
    private void producePaced(String topic, int count, int rate, String prefix) throws Exception {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, deployment.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        java.util.concurrent.atomic.AtomicReference<Exception> failed =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            long start = System.nanoTime();
            for (int i = 0; i < count && failed.get() == null; i++) {
                long wait = rate == 0 ? 0 : start + (long) i * 1_000_000_000L / rate - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing to the target rate
                }
                producer.send(
                        new ProducerRecord<>(topic, "u-" + (i % 997), event(prefix + i, i, Instant.now())),
                        (metadata, e) -> {
                            if (e != null) {
                                failed.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed", failed.get());
        }
    }

    /** (event_id, ts, committed) of every row a pipeline wrote: one table, or one per event type. */
    private static String rowsOf(String pipeline) {
        List<String> tables = pipeline.equals("event-store")
                ? List.of("events")
                : List.of("events_page_view", "events_add_to_cart", "events_order_completed", "events_onboarding_step");
        List<String> parts = new ArrayList<>();
        for (String t : tables) {
            parts.add("SELECT event_id, ts::timestamptz AS ts, pg_xact_commit_timestamp(xmin) AS committed FROM " + t);
        }
        return "(" + String.join(" UNION ALL ", parts) + ") AS r";
    }

    private static long rows(String url, String table, String prefix) throws SQLException {
        return single(url, "SELECT count(*) FROM " + table + " WHERE event_id LIKE '" + prefix + "%'");
    }

    private static long single(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // not created yet
            }
            throw e;
        }
    }

    /** Seconds from the first to the last commit of the rows. */
    private static double[] commitSpan(String url, String table, String prefix) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT extract(epoch FROM max(committed) - min(committed)) FROM " + table
                        + " WHERE event_id LIKE '" + prefix + "%'")) {
            r.next();
            return new double[] {Math.max(r.getDouble(1), 0.001)};
        }
    }

    /** p50, p95, p99 and max of commit time minus the event's produce time (its ts), in ms. */
    private static double[] latencies(String url, String table, String prefix) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("WITH l AS (SELECT extract(epoch FROM committed - ts) * 1000 AS ms FROM "
                        + table + " WHERE event_id LIKE '" + prefix + "%') "
                        + "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.95) WITHIN GROUP "
                        + "(ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms) FROM l")) {
            r.next();
            return new double[] {r.getDouble(1), r.getDouble(2), r.getDouble(3), r.getDouble(4)};
        }
    }

    /** The ceiling: COPY of the same rows (columns and JSONB payload of the event store) on one connection. */
    private void copyCeiling() throws Exception {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE copy_ceiling (event_id text, event_type text, user_id text, ts timestamptz, "
                    + "payload jsonb)");
        }
        try (Connection c = admin()) {
            int batch = 10_000;
            long start = System.nanoTime();
            for (int from = 0; from < EVENTS; from += batch) {
                StringBuilder csv = new StringBuilder();
                for (int i = from; i < Math.min(EVENTS, from + batch); i++) {
                    Instant ts = Instant.now();
                    String json = event("copy-" + i, i, ts);
                    csv.append("copy-")
                            .append(i)
                            .append('\t')
                            .append("page_view")
                            .append('\t')
                            .append("u-")
                            .append(i % 997)
                            .append('\t')
                            .append(ts)
                            .append('\t')
                            .append(json.replace("\\", "\\\\"))
                            .append('\n');
                }
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "COPY copy_ceiling (event_id, event_type, user_id, ts, payload) FROM STDIN",
                                new StringReader(csv.toString()));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            result(String.format(
                    Locale.ROOT,
                    "| plain COPY (ceiling) | %,d rows | %,.0f rows/s on one connection, "
                            + "batches of %,d, autocommit |",
                    EVENTS,
                    EVENTS / seconds,
                    batch));
        }
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    }

    /** A line of the results table: printed at once (a later phase that fails loses nothing) and again at the end. */
    private void result(String line) {
        report.add(line);
        System.out.println("result: " + line);
    }

    private void print() {
        System.out.println();
        System.out.println("## PipelineBenchmark — Kafka " + deployment.kafkaVersion() + ", 1 worker, " + PARTITIONS
                + " partitions, " + Runtime.getRuntime().availableProcessors() + " cores, shared machine");
        System.out.println("Seed targets: 300 events/s with p95 < 100 ms; 18.5 k events/s average (1.6 B/day); "
                + "goal >= 20 k events/s sustained for event-store");
        report.forEach(System.out::println);
    }

    private static List<Integer> parseRates(String s) {
        List<Integer> out = new ArrayList<>();
        for (String r : s.split(",")) {
            out.add(Integer.parseInt(r.trim()));
        }
        return out;
    }
}
