/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.cdpconnect.runner.DemoEvents;
import io.cdpconnect.runner.PipelineApplier;
import io.cdpconnect.testing.ConnectTestCluster;
import io.cdpconnect.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End-to-end: a worker on the built bundle, each pipeline of packaging/pipelines applied through the same
 * validate-then-PUT path as {@code bin/cdp-apply} (only connection settings overridden), demo events pushed in,
 * results asserted in PostgreSQL and DuckDB.
 */
class PipelinesIT {

    private static final Path PIPELINES = Path.of("pipelines");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ConnectTestCluster connect;

    @BeforeAll
    static void startWorkerOnBundle() {
        connect = ConnectTestCluster.builder()
                .name("pipelines")
                .pluginPath(BundlePlugins.bundleDir())
                .start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
    }

    /** Demo events with the validity the pipeline schemas must decide, counted per event type. */
    private record Batch(List<String> events, Set<String> validIds, Map<String, Integer> validPerType, int invalid) {}

    private static Batch produceEvents(String topic, int count, long seed) throws Exception {
        DemoEvents demo = new DemoEvents(seed, 0.1);
        Set<String> valid = new HashSet<>();
        Map<String, Integer> perType = new HashMap<>();
        int invalid = 0;
        List<String> events = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String event = demo.nextEvent();
            events.add(event);
            JsonNode node = JSON.readTree(event);
            // DemoEvents breaks a contract by dropping user_id or by a ts that is not a date-time.
            boolean broken = !node.hasNonNull("user_id")
                    || "yesterday".equals(node.path("ts").asText());
            if (broken) {
                invalid++;
            } else {
                valid.add(node.get("event_id").asText());
                perType.merge(node.get("event_type").asText(), 1, Integer::sum);
            }
            connect.produce(topic, node.path("user_id").asText("anonymous"), event);
        }
        return new Batch(events, valid, perType, invalid);
    }

    /** An applier writing its report into {@code output}, as bin/cdp-apply prints it. */
    private static PipelineApplier applier(ByteArrayOutputStream output) {
        return new PipelineApplier(connect.restUrl(), new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    /** Reads a pipeline folder and asserts Connect finds every config valid, showing the report otherwise. */
    private static List<PipelineApplier.ConnectorConfig> validPipeline(String name, Map<String, String> overrides)
            throws Exception {
        List<PipelineApplier.ConnectorConfig> configs = PipelineApplier.read(PIPELINES.resolve(name), overrides);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        assertThat(applier(output).validate(configs))
                .as("validation of %s:%n%s", name, output)
                .isZero();
        return configs;
    }

    /** Runs {@code bin/cdp-apply} with these arguments in this JVM; returns what it printed, asserting exit 0. */
    static String cdpApply(String... args) {
        CommandOutput run = cdpApplyExit(args);
        assertThat(run.exit())
                .as("cdp-apply %s%n%s", String.join(" ", args), run.text())
                .isZero();
        return run.text();
    }

    record CommandOutput(int exit, String text) {}

    static CommandOutput cdpApplyExit(String... args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        int exit = PipelineApplier.run(args, print, print);
        return new CommandOutput(exit, output.toString(StandardCharsets.UTF_8));
    }

    /**
     * Applies a pipeline folder exactly as a user would: {@code cdp-apply [options] URL FOLDER key=value ...};
     * waits until every connector runs. Returns the command's output.
     */
    private static String applyPipeline(String name, List<String> options, Map<String, String> overrides)
            throws Exception {
        List<String> args = new java.util.ArrayList<>(options);
        args.add(connect.restUrl());
        args.add(PIPELINES.resolve(name).toString());
        overrides.forEach((k, v) -> args.add(k + "=" + v));
        String output = cdpApply(args.toArray(String[]::new));
        for (PipelineApplier.ConnectorConfig c : PipelineApplier.read(PIPELINES.resolve(name), Map.of())) {
            connect.awaitRunning(c.name(), Integer.parseInt(c.config().getOrDefault("tasks.max", "1")));
        }
        return output;
    }

    /**
     * Without --definitions-jdbc the folder's schemas go into the database the validation SMT reads
     * (definitions.jdbc.url): left out, its store would start empty and every event would be dead-lettered as
     * "no schema" — what the multi-process fault matrix saw when applying the folder as a user does.
     */
    @Test
    void withoutDefinitionsJdbcTheSchemasGoToTheDatabaseTheSmtReads() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase(
                "event_store_implied",
                Files.readString(PIPELINES.resolve("event-store").resolve("postgres.sql")));
        String output = cdpApply(
                connect.restUrl(),
                PIPELINES.resolve("event-store").toString(),
                "warehouse.url=" + url,
                "warehouse.user=" + pg.user(),
                "warehouse.password=" + pg.password(),
                "definitions.jdbc.url=" + url,
                "definitions.jdbc.user=" + pg.user(),
                "definitions.jdbc.password=" + pg.password(),
                "topics=events.implied",
                "errors.deadletterqueue.topic.name=events.implied.dlq");
        assertThat(output).contains("6 row(s) inserted or changed");
        assertSchemaRowsEqualTheFiles(pg, url, PIPELINES.resolve("event-store").resolve("schemas"));
        connect.deleteConnector("event-store");
    }

    @Test
    void eventStoreValidatesAgainstSchemasInPostgresAndStoresJsonbInMonthlyPartitions() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase(
                "event_store", Files.readString(PIPELINES.resolve("event-store").resolve("postgres.sql")));
        connect.createTopic("events.raw", 3);
        // The folder's schemas/ go into event_schemas, and the SMT is pointed at that database.
        String output = applyPipeline(
                "event-store",
                List.of(
                        "--definitions-jdbc",
                        url,
                        "--definitions-user",
                        pg.user(),
                        "--definitions-password",
                        pg.password()),
                Map.of("warehouse.url", url, "warehouse.user", pg.user(), "warehouse.password", pg.password()));
        assertThat(output).contains("6 row(s) inserted or changed", "replaced warehouse.url");
        assertSchemaRowsEqualTheFiles(pg, url, PIPELINES.resolve("event-store").resolve("schemas"));
        JsonNode running = connect.rest().get("/connectors/event-store/config");
        assertThat(running.path("transforms.validate.definitions.source").asText())
                .isEqualTo("jdbc");
        assertThat(running.path("transforms.validate.definitions.jdbc.url").asText())
                .isEqualTo(url);
        // Applying the same folder again changes nothing: no row, no connector.
        String again = cdpApply(
                "--definitions-jdbc",
                url,
                "--definitions-user",
                pg.user(),
                "--definitions-password",
                pg.password(),
                connect.restUrl(),
                PIPELINES.resolve("event-store").toString(),
                "warehouse.url=" + url,
                "warehouse.user=" + pg.user(),
                "warehouse.password=" + pg.password());
        assertThat(again)
                .contains("= event-store: unchanged", "0 row(s) inserted or changed", "every connector is up to date");

        Batch batch = produceEvents("events.raw", 300, 7);
        assertThat(batch.invalid()).isPositive();

        ConnectTestCluster.waitFor(
                Duration.ofSeconds(90),
                "all valid events in the event store",
                () -> count(pg, url, "SELECT count(*) FROM events")
                        == batch.validIds().size());
        assertEveryInvalidEventDeadLettered("events.raw.dlq", batch.invalid());

        try (Connection c = pg.connect(url);
                Statement s = c.createStatement()) {
            Set<String> stored = new HashSet<>();
            try (ResultSet rows = s.executeQuery("SELECT event_id, payload->>'event_type', event_type FROM events")) {
                while (rows.next()) {
                    assertThat(stored.add(rows.getString(1)))
                            .as("event stored once")
                            .isTrue();
                    assertThat(rows.getString(2)).isEqualTo(rows.getString(3));
                }
            }
            assertThat(stored).isEqualTo(batch.validIds());
            try (ResultSet partitions =
                    s.executeQuery("SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass")) {
                partitions.next();
                assertThat(partitions.getInt(1))
                        .as("monthly partitions of events")
                        .isPositive();
            }
        }
        connect.deleteConnector("event-store");
    }

    @Test
    void aChangedSchemaFileIsUpsertedAndUsedByTheRunningTaskWithoutARestart() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("contract");
        connect.createTopic("events.contract", 1);
        // Same folder name, so the same pipeline; a connector name of its own.
        Path folder = copyPipeline("event-store", "event-store", "event-store-reload");
        String[] apply = {
            "--definitions-jdbc",
            url,
            "--definitions-user",
            pg.user(),
            "--definitions-password",
            pg.password(),
            connect.restUrl(),
            folder.toString(),
            "warehouse.url=" + url,
            "warehouse.user=" + pg.user(),
            "warehouse.password=" + pg.password(),
            "topics=events.contract",
            "errors.deadletterqueue.topic.name=events.contract.dlq",
            "definitions.refresh.ms=1000",
            "tasks.max=1"
        };
        cdpApply(apply);
        connect.awaitRunning("event-store-reload", 1);
        String pageView = "{\"event_id\": \"%s\", \"event_type\": \"page_view\", \"user_id\": \"u-1\", "
                + "\"ts\": \"2026-11-23T10:00:00Z\", \"properties\": {\"path\": \"/\"}}";
        connect.produce("events.contract", "u-1", String.format(pageView, "before"));
        ConnectTestCluster.waitFor(
                Duration.ofSeconds(90),
                "the first page_view stored",
                () -> count(pg, url, "SELECT count(*) FROM events WHERE event_id = 'before'") == 1);

        // The contract changes in the file: page_view now requires a referrer.
        Path schema = folder.resolve("schemas/page_view.json");
        com.fasterxml.jackson.databind.node.ObjectNode changed =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(schema.toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) changed.get("required")).add("referrer");
        Files.writeString(schema, changed.toPrettyString());
        String again = cdpApply(apply);
        assertThat(again)
                .contains(
                        "1 row(s) inserted or changed",
                        "= event-store-reload: unchanged",
                        "every connector is up to date");

        // The running task picks the new schema up from the table: a page_view without referrer is now invalid.
        int[] attempt = {0};
        ConnectTestCluster.waitFor(Duration.ofSeconds(90), "a page_view without referrer dead-lettered", () -> {
            connect.produce("events.contract", "u-1", String.format(pageView, "after-" + attempt[0]++));
            return connect.consumeAll(Duration.ofSeconds(2), "events.contract.dlq").stream()
                    .anyMatch(r -> ConnectTestCluster.text(r.value()).contains("after-"));
        });
        assertThat(connect.connectorStatus("event-store-reload")
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
        connect.deleteConnector("event-store-reload");
    }

    @Test
    void eventRoutingWritesOneDuckDbTablePerEventTypeReadyForTheFunnelQuery() throws Exception {
        Path duckdb = Path.of("target", "e2e-event-routing-" + System.nanoTime() + ".duckdb")
                .toAbsolutePath();
        connect.createTopic("events.routing", 3);
        String output = applyPipeline(
                "event-routing",
                List.of(),
                Map.of(
                        "warehouse.url",
                        "jdbc:duckdb:" + duckdb,
                        "topics",
                        "events.routing",
                        "errors.deadletterqueue.topic.name",
                        "events.routing.dlq"));
        // The schemas and templates came from the folder's files.
        assertThat(output)
                .contains(
                        "inlined 6 schema(s) from schemas/ into transforms.validate.definitions.inline",
                        "inlined 6 template(s) from templates/ into transforms.map.definitions.inline",
                        "+ event-routing: new");

        Batch batch = produceEvents("events.routing", 240, 11);
        assertEveryInvalidEventDeadLettered("events.routing.dlq", batch.invalid());
        // Every valid record has been written once the sink has committed the end of the topic.
        ConnectTestCluster.waitFor(
                Duration.ofSeconds(90),
                "sink committed all events",
                () -> committed("event-routing") == batch.events().size(),
                () -> connect.rest().get("/connectors/event-routing/offsets") + " "
                        + connect.connectorStatus("event-routing"));
        connect.deleteConnector("event-routing");
        Thread.sleep(2000);

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb);
                Statement s = c.createStatement()) {
            for (Map.Entry<String, Integer> type : batch.validPerType().entrySet()) {
                try (ResultSet rows = s.executeQuery("SELECT count(*) FROM events_" + type.getKey())) {
                    rows.next();
                    assertThat(rows.getInt(1))
                            .as("rows in events_" + type.getKey())
                            .isEqualTo(type.getValue());
                }
            }
            String funnel = Files.readString(PIPELINES.resolve("event-routing").resolve("README.md"));
            String query = funnel.substring(funnel.indexOf("WITH reached"), funnel.indexOf("ORDER BY n;") + 10);
            try (ResultSet steps = s.executeQuery(query)) {
                int n = 0;
                while (steps.next()) {
                    n++;
                    assertThat(steps.getLong("users")).isPositive();
                }
                assertThat(n).as("funnel steps").isPositive();
            }
            try (ResultSet cart = s.executeQuery(
                    "SELECT count(*) FROM events_add_to_cart WHERE abs(line_total - qty * price) > 0.01")) {
                cart.next();
                assertThat(cart.getInt(1))
                        .as("line_total computed by the template")
                        .isZero();
            }
        }
    }

    @Test
    void ordersFlowFromMongoCdcIntoAnUpsertedOrdersTableAndCustomerStats() throws Exception {
        MemoryBackend backend = new MemoryBackend();
        backend.enableOplog();
        MongoServer mongo = new MongoServer(backend);
        mongo.bind("127.0.0.1", 0);
        String mongoUri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/?directConnection=true";
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("orders");
        try (MongoClient client = MongoClients.create(mongoUri)) {
            MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
            DemoEvents demo = new DemoEvents(3, 0);
            Map<String, BigDecimal> revenue = new HashMap<>();
            Map<String, Integer> count = new HashMap<>();
            for (int i = 0; i < 20; i++) { // existing orders: copied by the snapshot
                insertOrder(orders, demo.nextOrder(1000 + i), revenue, count);
            }
            Map<String, String> overrides = Map.of(
                    "mongo.uri",
                    mongoUri,
                    "warehouse.url",
                    url,
                    "warehouse.user",
                    pg.user(),
                    "warehouse.password",
                    pg.password());
            List<PipelineApplier.ConnectorConfig> all = validPipeline("orders-to-customer-stats", overrides);
            // No Aerospike server here: the counters connector is validated above, the rest runs.
            List<PipelineApplier.ConnectorConfig> runnable = all.stream()
                    .filter(c -> !c.config().containsKey("aerospike.hosts"))
                    .toList();
            applier(new ByteArrayOutputStream()).apply(runnable);
            for (PipelineApplier.ConnectorConfig c : runnable) {
                connect.awaitRunning(c.name(), 1);
            }
            for (int i = 20; i < 50; i++) { // new orders: streamed from the change stream
                insertOrder(orders, demo.nextOrder(1000 + i), revenue, count);
            }
            ConnectTestCluster.waitFor(
                    Duration.ofSeconds(90),
                    "50 orders in the warehouse",
                    () -> count(pg, url, "SELECT count(*) FROM orders") == 50);
            try (Connection c = pg.connect(url);
                    Statement s = c.createStatement()) {
                s.execute(Files.readString(
                        PIPELINES.resolve("orders-to-customer-stats").resolve("customer_stats.sql")));
                try (ResultSet stats = s.executeQuery("SELECT customer_id, orders, revenue FROM customer_stats")) {
                    int customers = 0;
                    while (stats.next()) {
                        customers++;
                        String customer = stats.getString(1);
                        assertThat(stats.getInt(2)).as("orders of " + customer).isEqualTo(count.get(customer));
                        assertThat(stats.getBigDecimal(3))
                                .as("revenue of " + customer)
                                .isEqualByComparingTo(revenue.get(customer));
                    }
                    assertThat(customers).isEqualTo(count.size());
                }
                try (ResultSet dup = s.executeQuery("SELECT count(DISTINCT order_id) FROM orders")) {
                    dup.next();
                    assertThat(dup.getInt(1)).isEqualTo(50);
                }
            }
            for (PipelineApplier.ConnectorConfig c : runnable) {
                connect.deleteConnector(c.name());
            }
        } finally {
            mongo.shutdownNow();
        }
    }

    private static void insertOrder(
            MongoCollection<Document> orders,
            String json,
            Map<String, BigDecimal> revenue,
            Map<String, Integer> count) {
        Document order = Document.parse(json);
        orders.insertOne(order);
        String customer = order.getString("customer_id");
        revenue.merge(customer, order.get("total", Decimal128.class).bigDecimalValue(), BigDecimal::add);
        count.merge(customer, 1, Integer::sum);
    }

    @Test
    void segmentsPipelineIsValidForTheBundledAerospikeSink() throws Exception {
        assertThat(validPipeline("segments", Map.of())).hasSize(1);
    }

    @Test
    void applierExplainsAnInvalidConfigAndAppliesNothing() throws Exception {
        List<PipelineApplier.ConnectorConfig> configs = PipelineApplier.read(
                PIPELINES.resolve("event-routing"),
                Map.of("insert.mode", "sideways", "topics", "events.invalid-config"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        assertThat(applier(output).validate(configs)).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("insert.mode = sideways");
    }

    @Test
    void applierReportsABrokenHeaderTemplateByHeaderNameAndAppliesNothing() throws Exception {
        List<PipelineApplier.ConnectorConfig> configs = PipelineApplier.read(
                PIPELINES.resolve("event-routing"),
                Map.of(
                        "event-routing:transforms.map.headers.templates",
                        "{\"x-ok\": \"{{ value.event_type }}\", \"x-customer\": \"{{ value.user_id \"}"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        assertThat(applier(output).validate(configs)).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("transforms.map.headers.templates", "header 'x-customer'", "line 1")
                .doesNotContain("header 'x-ok'");
    }

    @Test
    void anOverrideThatMatchesNothingFailsLoudlyAndAppliesNothing() throws Exception {
        Path folder = copyPipeline("event-routing", "unmatched", "unmatched-routing");
        CommandOutput run =
                cdpApplyExit(connect.restUrl(), folder.toString(), "no.such.option=1", "topics=events.unmatched");
        assertThat(run.exit()).as(run.text()).isEqualTo(1);
        assertThat(run.text())
                .contains(
                        "override no.such.option=1 matches no key",
                        "nothing applied",
                        "replaced topics (override topics=events.unmatched)");
        assertThat(connect.rest().get("/connectors").toString()).doesNotContain("unmatched-routing");

        CommandOutput unknownConnector = cdpApplyExit(connect.restUrl(), folder.toString(), "nosuch:batch.size=7");
        assertThat(unknownConnector.exit()).isEqualTo(1);
        assertThat(unknownConnector.text()).contains("no connector named 'nosuch'");

        // The issue's example: flush.interval.ms is an option of the warehouse sink, not in the file: added, said.
        String plan = cdpApply(
                "--plan",
                connect.restUrl(),
                PIPELINES.resolve("event-store").toString(),
                "flush.interval.ms=50",
                "event-store:batch.size=7",
                "definitions.jdbc.url=jdbc:postgresql://db/cdp");
        assertThat(plan)
                .contains(
                        "added flush.interval.ms (override flush.interval.ms=50; an option of "
                                + "WarehouseSinkConnector not in the file)",
                        "added batch.size (override event-store:batch.size=7)",
                        "replaced transforms.validate.definitions.jdbc.url",
                        "--plan: nothing applied");
    }

    @Test
    void planShowsKeyChangesAndPruneDeletesOnlyThisPipelinesConnectorsTheFolderNoLongerHas() throws Exception {
        Path folder = copyPipeline("event-routing", "prune", "prune-a");
        Files.writeString(
                folder.resolve("event-routing-b.json"),
                Files.readString(folder.resolve("event-routing-sink.json")).replace("\"prune-a\"", "\"prune-b\""));
        String duckdb = "warehouse.url=jdbc:duckdb:"
                + Path.of("target", "e2e-prune-" + System.nanoTime() + ".duckdb")
                        .toAbsolutePath();
        connect.createTopic("events.prune", 1);
        String first = cdpApply(
                connect.restUrl(),
                folder.toString(),
                duckdb,
                "topics=events.prune",
                "errors.deadletterqueue.topic.name=events.prune.dlq");
        assertThat(first).contains("+ prune-a: new connector", "+ prune-b: new connector", "→ applied prune-b");
        connect.awaitRunning("prune-a", 1);
        connect.awaitRunning("prune-b", 1);
        // A connector someone created by hand with the same config, but not through this pipeline.
        Map<String, String> outsider =
                new HashMap<>(PipelineApplier.read(folder, Map.of()).get(0).config());
        outsider.put("topics", "events.prune");
        outsider.put("errors.deadletterqueue.topic.name", "events.prune.outsider.dlq"); // not other tests' DLQ
        outsider.put("warehouse.url", duckdb.substring("warehouse.url=".length()) + ".outsider");
        connect.putConnectorConfig("prune-outsider", outsider);

        String plan = cdpApply(
                "--plan",
                connect.restUrl(),
                folder.toString(),
                duckdb,
                "topics=events.prune.v2",
                "errors.deadletterqueue.topic.name=events.prune.dlq");
        assertThat(plan)
                .contains(
                        "~ prune-a: 1 key(s) differ",
                        "~ topics: events.prune → events.prune.v2",
                        "--plan: nothing applied");
        assertThat(connect.rest()
                        .get("/connectors/prune-a/config")
                        .path("topics")
                        .asText())
                .isEqualTo("events.prune");

        Files.delete(folder.resolve("event-routing-b.json"));
        String pruned = cdpApply(
                "--prune",
                connect.restUrl(),
                folder.toString(),
                duckdb,
                "topics=events.prune",
                "errors.deadletterqueue.topic.name=events.prune.dlq");
        assertThat(pruned)
                .contains(
                        "= prune-a: unchanged",
                        "- prune-b: in the cluster with cdp.pipeline=prune",
                        "→ deleted prune-b")
                .doesNotContain("prune-outsider");
        ConnectTestCluster.waitFor(
                Duration.ofSeconds(30),
                "prune-b deleted",
                () -> !connect.rest().get("/connectors").toString().contains("\"prune-b\""));
        assertThat(connect.rest().get("/connectors").toString()).contains("prune-a", "prune-outsider");

        // status: states of the pipeline's connectors, lag of the sink, DLQ count.
        connect.produce("events.prune", "u-1", "{\"event_id\": \"x\", \"event_type\": \"page_view\"}");
        ConnectTestCluster.waitFor(
                Duration.ofSeconds(60),
                "the invalid event in the DLQ",
                () -> !connect.consumeAll(Duration.ofSeconds(2), "events.prune.dlq")
                        .isEmpty());
        CommandOutput status = cdpApplyExit(
                "status", connect.restUrl(), folder.toString(), "--bootstrap-servers", connect.bootstrapServers());
        assertThat(status.exit()).as(status.text()).isZero();
        assertThat(status.text())
                .contains("pipeline prune", "prune-a", "RUNNING", "task 0", "lag", "1 record(s) in events.prune.dlq")
                .doesNotContain("prune-outsider");
        CommandOutput unknown = cdpApplyExit("status", connect.restUrl(), "no-such-pipeline");
        assertThat(unknown.exit()).isEqualTo(1);
        connect.deleteConnector("prune-a");
        connect.deleteConnector("prune-outsider");
    }

    @Test
    void statusShowsTheTraceOfAFailedTaskAndExitsNonZero() throws Exception {
        Path folder = copyPipeline("event-routing", "failfast", "failfast-routing");
        connect.createTopic("events.failfast", 1);
        cdpApply(
                connect.restUrl(),
                folder.toString(),
                "warehouse.url=jdbc:duckdb:"
                        + Path.of("target", "e2e-failfast-" + System.nanoTime() + ".duckdb")
                                .toAbsolutePath(),
                "topics=events.failfast",
                "errors.tolerance=none",
                "errors.deadletterqueue.topic.name=events.failfast.dlq");
        connect.awaitRunning("failfast-routing", 1);
        connect.produce("events.failfast", "u-1", "{\"event_id\": \"x\", \"event_type\": \"page_view\"}");
        connect.awaitTaskFailed("failfast-routing");
        CommandOutput status = cdpApplyExit("status", connect.restUrl(), "failfast");
        assertThat(status.exit()).as(status.text()).isEqualTo(1);
        assertThat(status.text())
                .contains(
                        "failfast-routing",
                        "FAILED",
                        "is invalid against schema page_view",
                        "(lag and DLQ counts need --bootstrap-servers");
        connect.deleteConnector("failfast-routing");
    }

    /** A copy of a shipped pipeline folder under a new folder name, its (first) connector renamed. */
    private static Path copyPipeline(String name, String newFolder, String connectorName) throws IOException {
        Path target = Path.of("target", "e2e-pipelines-" + System.nanoTime(), newFolder);
        Path source = PIPELINES.resolve(name);
        try (var files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
        for (PipelineApplier.ConnectorConfig c : PipelineApplier.read(source, Map.of())) {
            Path copy = target.resolve(c.file().getFileName().toString());
            Files.writeString(
                    copy,
                    Files.readString(copy)
                            .replace("\"name\": \"" + c.name() + "\"", "\"name\": \"" + connectorName + "\""));
            break;
        }
        return target;
    }

    /**
     * Each invalid event reached the dead-letter topic. Connect's DLQ is at-least-once (a task that rewinds after a
     * rebalance reports again), so records are counted by the source position in their error headers.
     */
    private static void assertEveryInvalidEventDeadLettered(String dlq, int invalid) {
        Set<String> sources = new HashSet<>();
        ConnectTestCluster.waitFor(Duration.ofSeconds(90), invalid + " invalid events in " + dlq, () -> {
            sources.clear();
            for (var record : connect.consumeAll(Duration.ofSeconds(10), dlq)) {
                sources.add(
                        header(record, "__connect.errors.partition") + "@" + header(record, "__connect.errors.offset"));
            }
            return sources.size() >= invalid;
        });
        assertThat(sources).hasSize(invalid);
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long committed(String connector) {
        JsonNode offsets = connect.rest().get("/connectors/" + connector + "/offsets");
        long sum = 0;
        for (JsonNode offset : offsets.path("offsets")) {
            sum += offset.path("offset").path("kafka_offset").asLong();
        }
        return sum;
    }

    /** Every schema file of the folder is a row of event_schemas with the same JSON. */
    private static void assertSchemaRowsEqualTheFiles(TestPostgres pg, String url, Path schemas) throws Exception {
        Map<String, JsonNode> rows = new HashMap<>();
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT event_type, version, schema::text FROM event_schemas")) {
            while (r.next()) {
                rows.put(r.getString(1) + ".v" + r.getInt(2), JSON.readTree(r.getString(3)));
            }
        }
        Map<String, JsonNode> files = new HashMap<>();
        try (var list = Files.list(schemas)) {
            for (Path file : list.toList()) {
                String type = file.getFileName().toString().replaceFirst("\\.json$", "");
                files.put(type + ".v1", JSON.readTree(file.toFile()));
            }
        }
        assertThat(rows).isEqualTo(files);
    }

    private static long count(TestPostgres pg, String url, String sql) throws SQLException {
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return -1; // the sink has not created the table yet
            }
            throw e;
        }
    }
}
