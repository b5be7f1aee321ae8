package io.cdpconnect.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.cdpconnect.runner.DemoEvents;
import org.bson.Document;
import org.bson.types.Decimal128;
import io.cdpconnect.runner.PipelineApplier;
import io.cdpconnect.testing.ConnectTestCluster;
import io.cdpconnect.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.io.PrintStream;
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

import static org.assertj.core.api.Assertions.assertThat;

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
        connect = ConnectTestCluster.builder().name("pipelines").pluginPath(BundlePlugins.bundleDir()).start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
    }

    /** Demo events with the validity the pipeline schemas must decide, counted per event type. */
    private record Batch(List<String> events, Set<String> validIds, Map<String, Integer> validPerType, int invalid) {
    }

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
            boolean broken = !node.hasNonNull("user_id") || "yesterday".equals(node.path("ts").asText());
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
        assertThat(applier(output).validate(configs)).as("validation of %s:%n%s", name, output).isZero();
        return configs;
    }

    private static void applyPipeline(String name, Map<String, String> overrides) throws Exception {
        List<PipelineApplier.ConnectorConfig> configs = validPipeline(name, overrides);
        applier(new ByteArrayOutputStream()).apply(configs);
        for (PipelineApplier.ConnectorConfig c : configs) {
            connect.awaitRunning(c.name(), Integer.parseInt(c.config().getOrDefault("tasks.max", "1")));
        }
    }

    @Test
    void eventStoreValidatesAgainstSchemasInPostgresAndStoresJsonbInMonthlyPartitions() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("event_store");
        try (Connection c = pg.connect(url); Statement s = c.createStatement()) {
            s.execute(Files.readString(PIPELINES.resolve("event-store").resolve("postgres.sql")));
        }
        connect.createTopic("events.raw", 3);
        applyPipeline("event-store", Map.of(
                "warehouse.url", url, "warehouse.user", pg.user(), "warehouse.password", pg.password(),
                "definitions.jdbc.url", url, "definitions.jdbc.user", pg.user(),
                "definitions.jdbc.password", pg.password()));

        Batch batch = produceEvents("events.raw", 300, 7);
        assertThat(batch.invalid()).isPositive();

        ConnectTestCluster.waitFor(Duration.ofSeconds(90), "all valid events in the event store",
                () -> count(pg, url, "SELECT count(*) FROM events") == batch.validIds().size());
        assertEveryInvalidEventDeadLettered("events.raw.dlq", batch.invalid());

        try (Connection c = pg.connect(url); Statement s = c.createStatement()) {
            Set<String> stored = new HashSet<>();
            try (ResultSet rows = s.executeQuery("SELECT event_id, payload->>'event_type', event_type FROM events")) {
                while (rows.next()) {
                    assertThat(stored.add(rows.getString(1))).as("event stored once").isTrue();
                    assertThat(rows.getString(2)).isEqualTo(rows.getString(3));
                }
            }
            assertThat(stored).isEqualTo(batch.validIds());
            try (ResultSet partitions = s.executeQuery(
                    "SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass")) {
                partitions.next();
                assertThat(partitions.getInt(1)).as("monthly partitions of events").isPositive();
            }
        }
        connect.deleteConnector("event-store");
    }

    @Test
    void eventRoutingWritesOneDuckDbTablePerEventTypeReadyForTheFunnelQuery() throws Exception {
        Path duckdb = Path.of("target", "e2e-event-routing-" + System.nanoTime() + ".duckdb").toAbsolutePath();
        connect.createTopic("events.routing", 3);
        applyPipeline("event-routing", Map.of("warehouse.url", "jdbc:duckdb:" + duckdb, "topics", "events.routing",
                "errors.deadletterqueue.topic.name", "events.routing.dlq"));

        Batch batch = produceEvents("events.routing", 240, 11);
        assertEveryInvalidEventDeadLettered("events.routing.dlq", batch.invalid());
        // Every valid record has been written once the sink has committed the end of the topic.
        ConnectTestCluster.waitFor(Duration.ofSeconds(90), "sink committed all events",
                () -> committed("event-routing") == batch.events().size(),
                () -> connect.rest().get("/connectors/event-routing/offsets") + " "
                        + connect.connectorStatus("event-routing"));
        connect.deleteConnector("event-routing");
        Thread.sleep(2000);

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb); Statement s = c.createStatement()) {
            for (Map.Entry<String, Integer> type : batch.validPerType().entrySet()) {
                try (ResultSet rows = s.executeQuery("SELECT count(*) FROM events_" + type.getKey())) {
                    rows.next();
                    assertThat(rows.getInt(1)).as("rows in events_" + type.getKey()).isEqualTo(type.getValue());
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
                assertThat(cart.getInt(1)).as("line_total computed by the template").isZero();
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
            Map<String, String> overrides = Map.of("mongo.uri", mongoUri, "warehouse.url", url,
                    "warehouse.user", pg.user(), "warehouse.password", pg.password());
            List<PipelineApplier.ConnectorConfig> all = validPipeline("orders-to-customer-stats", overrides);
            // No Aerospike server here: the counters connector is validated above, the rest runs.
            List<PipelineApplier.ConnectorConfig> runnable = all.stream()
                    .filter(c -> !c.config().containsKey("aerospike.hosts")).toList();
            applier(new ByteArrayOutputStream()).apply(runnable);
            for (PipelineApplier.ConnectorConfig c : runnable) {
                connect.awaitRunning(c.name(), 1);
            }
            for (int i = 20; i < 50; i++) { // new orders: streamed from the change stream
                insertOrder(orders, demo.nextOrder(1000 + i), revenue, count);
            }
            ConnectTestCluster.waitFor(Duration.ofSeconds(90), "50 orders in the warehouse",
                    () -> count(pg, url, "SELECT count(*) FROM orders") == 50);
            try (Connection c = pg.connect(url); Statement s = c.createStatement()) {
                s.execute(Files.readString(PIPELINES.resolve("orders-to-customer-stats").resolve("customer_stats.sql")));
                try (ResultSet stats = s.executeQuery("SELECT customer_id, orders, revenue FROM customer_stats")) {
                    int customers = 0;
                    while (stats.next()) {
                        customers++;
                        String customer = stats.getString(1);
                        assertThat(stats.getInt(2)).as("orders of " + customer).isEqualTo(count.get(customer));
                        assertThat(stats.getBigDecimal(3)).as("revenue of " + customer)
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

    private static void insertOrder(MongoCollection<Document> orders, String json, Map<String, BigDecimal> revenue,
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
        List<PipelineApplier.ConnectorConfig> configs = PipelineApplier.read(PIPELINES.resolve("event-routing"),
                Map.of("insert.mode", "sideways", "topics", "events.invalid-config"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        assertThat(applier(output).validate(configs)).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("insert.mode = sideways");
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
                sources.add(header(record, "__connect.errors.partition") + "@" + header(record, "__connect.errors.offset"));
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

    private static long count(TestPostgres pg, String url, String sql) throws SQLException {
        try (Connection c = pg.connect(url); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
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
