/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.cdpconnect.runner.DemoEvents;
import io.cdpconnect.testing.TcpProxy;
import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.testing.process.Await;
import io.cdpconnect.testing.process.ConnectDeployment;
import io.cdpconnect.testing.process.ConnectWorker;
import io.cdpconnect.testing.process.DeploymentExtension;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped orders-to-customer-stats pipeline on a multi-process deployment (broker + two Connect 4.3.1 worker
 * JVMs), applied with {@code bin/cdp-apply}: the in-memory MongoDB server (mongo-java-server, on TCP, reached by
 * the workers' MongoDB source) → {@code shop.orders.cdc} → the warehouse sink's upserted {@code orders} table on
 * PostgreSQL (through a {@link TcpProxy}) and, with {@code AEROSPIKE_HOSTS}, the Aerospike customer counters
 * (through a proxy too). The in-memory server is faithful for inserts only (no update events, deletes without
 * {@code documentKey}), so the workload is inserts: orders that exist before the pipeline starts (the snapshot)
 * and orders streamed during each fault, every 20th with a {@code total} that is a document, not an amount (a
 * bad record for both sinks).
 *
 * <p>The workers run the MongoDB source exactly once ({@code exactly.once.source.support=enabled}) and read
 * committed records only ({@code consumer.isolation.level=read_committed}), so after every scenario, exactly:
 * each valid order once in {@code orders} with its values unchanged, and once in the topic; the
 * {@code customer_stats} view and the counters equal the sums of the valid orders; each bad order in each sink's
 * DLQ under its own source position, no valid one; no task FAILED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DeploymentExtension.class)
class OrdersFaultsIT {

    static final String PIPELINE = "orders-to-customer-stats";
    static final String SOURCE = "orders-cdc";
    static final String WAREHOUSE = "orders-warehouse";
    static final String COUNTERS = "orders-customer-counters";
    static final String TOPIC = "shop.orders.cdc";
    static final String WAREHOUSE_DLQ = "shop.orders.cdc.dlq";
    static final String COUNTERS_DLQ = "shop.orders.counters.dlq";
    static final Duration SETTLE = Duration.ofMinutes(3);
    static final Pattern ORDER_ID = Pattern.compile("\"order_id\":\"(o-\\d+)\"");

    MongoServer mongo;
    MongoClient mongoClient;
    MongoCollection<Document> orders;
    TestPostgres pg;
    TcpProxy pgProxy;
    String directUrl;
    ConnectDeployment deployment;
    AerospikeCounters counters; // null without AEROSPIKE_HOSTS

    /** Valid orders by id (customer, total); bad ones by id. */
    final Map<String, Document> valid = new ConcurrentHashMap<>();

    final Set<String> bad = ConcurrentHashMap.newKeySet();
    final DemoEvents demo = new DemoEvents(7, 0);
    int sequence;

    @BeforeAll
    void deploy() throws Exception {
        MemoryBackend backend = new MemoryBackend();
        backend.enableOplog();
        mongo = new MongoServer(backend);
        mongo.bind("127.0.0.1", 0);
        String mongoUri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/?directConnection=true";
        mongoClient = MongoClients.create(mongoUri);
        orders = mongoClient.getDatabase("shop").getCollection("orders");
        for (int i = 0; i < 200; i++) { // existing orders: the source copies them first (startup.mode=snapshot)
            insert(sequence++);
        }

        pg = TestPostgres.get();
        directUrl = pg.createDatabase("orders_mp");
        URI pgUri = URI.create(directUrl.substring("jdbc:".length()));
        pgProxy = new TcpProxy(pgUri.getHost(), pgUri.getPort());
        String proxiedUrl = "jdbc:postgresql://127.0.0.1:" + pgProxy.port() + pgUri.getRawPath()
                + (pgUri.getRawQuery() == null ? "" : "?" + pgUri.getRawQuery());

        deployment = ConnectDeployment.builder("orders-" + getClass().getSimpleName())
                .kafkaVersion(System.getProperty("cdp.kafka.version", "4.3.1"))
                .workers(2)
                .workerProp("exactly.once.source.support", "enabled")
                .workerProp("consumer.isolation.level", "read_committed")
                .start();
        deployment.createTopic(TOPIC, 1);

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("mongo.uri", mongoUri);
        overrides.put("warehouse.url", proxiedUrl);
        overrides.put("warehouse.user", pg.user());
        overrides.put("warehouse.password", pg.password());
        Path folder = pipelineFolder();
        if (AerospikeCounters.configured()) {
            counters = new AerospikeCounters();
            overrides.put("aerospike.hosts", "127.0.0.1:" + counters.proxy.port());
            overrides.put("aerospike.namespace", counters.namespace);
            overrides.put(COUNTERS + ":aerospike.set", counters.set);
        }
        PipelineCli.apply(deployment.restUrl(), folder, overrides);
        deployment.awaitRunning(SOURCE, 1, Duration.ofMinutes(2));
        deployment.awaitRunning(WAREHOUSE, 1, Duration.ofMinutes(2));
        if (counters != null) {
            deployment.awaitRunning(COUNTERS, 1, Duration.ofMinutes(2));
        }
        // The copy is over and the source has committed a streamed position before the first fault: a first
        // order written now (it may be written during the copy's last batch, so it alone may be delivered twice,
        // copied and streamed) is awaited in the warehouse, which reads committed records only.
        Await.until(
                SETTLE,
                "the 200 copied orders in the warehouse",
                () -> warehouseRows().keySet().containsAll(valid.keySet()));
        insert(sequence++);
        firstStreamed = "o-" + (sequence - 1);
        Await.until(
                SETTLE,
                "the first streamed order in the warehouse",
                () -> warehouseRows().containsKey(firstStreamed));
    }

    /** The one order that may have both a copy ('read') and a stream ('insert') event. */
    String firstStreamed;

    /**
     * The shipped folder; without an Aerospike server, a copy without the counters connector (the one connector
     * that cannot run here), everything else byte for byte.
     */
    private static Path pipelineFolder() throws Exception {
        Path shipped = PipelineCli.pipeline(PIPELINE);
        if (AerospikeCounters.configured()) {
            return shipped;
        }
        Path copy = Path.of("target", "without-aerospike", PIPELINE).toAbsolutePath(); // same folder name
        if (Files.exists(copy)) {
            try (Stream<Path> old = Files.walk(copy)) {
                old.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        try (Stream<Path> files = Files.walk(shipped)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(shipped.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().startsWith("30-orders-customer-counters")) {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    @AfterAll
    void tearDown() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
        if (pgProxy != null) {
            pgProxy.close();
        }
        if (counters != null) {
            counters.close();
        }
        if (mongoClient != null) {
            mongoClient.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    @Test
    @Order(1)
    void sourceWorkerKilledWithSigkillAndRestarted() throws Exception {
        streamWithFault(300, 50, () -> {
            ConnectWorker victim = workerRunning(SOURCE);
            victim.kill();
            deployment.restart(victim);
        });
    }

    @Test
    @Order(2)
    void brokerRestartedMidStream() throws Exception {
        streamWithFault(300, 50, () -> deployment.broker().restart());
    }

    @Test
    @Order(3)
    void warehouseCutFor30Seconds() throws Exception {
        streamWithFault(450, 15, () -> outage(pgProxy, WAREHOUSE));
    }

    @Test
    @Order(4)
    void aerospikeCutFor30Seconds() throws Exception {
        Assumptions.assumeTrue(counters != null, "AEROSPIKE_HOSTS not set: the counters connector does not run");
        streamWithFault(450, 15, () -> outage(counters.proxy, COUNTERS));
    }

    /** Cuts a server's proxy for 30 s, during which no task of the connector may fail; then restores it. */
    private void outage(TcpProxy proxy, String connector) throws Exception {
        proxy.cut();
        try {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Await.until(Duration.ofSeconds(40), "30 s of outage without a FAILED task", () -> {
                assertThat(ConnectDeployment.failedTasks(deployment.status(connector)))
                        .isEmpty();
                return System.nanoTime() > end; // the outage lasts 30 s by definition
            });
        } finally {
            proxy.restore();
        }
    }

    private ConnectWorker workerRunning(String connector) {
        String id = deployment.taskWorkers(connector).get(0);
        return deployment.workers().stream()
                .filter(w -> w.workerId().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no worker runs " + connector + " task 0: " + id));
    }

    /** Inserts {@code count} orders at {@code rate}/s in the background, injects the fault after a third, checks. */
    private void streamWithFault(int count, int rate, EventStoreFaults.Fault fault) throws Exception {
        int first = sequence;
        sequence += count;
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch third = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread writer = new Thread(
                () -> {
                    long start = System.nanoTime();
                    try {
                        for (int i = first; i < first + count; i++) {
                            long wait = start + (i - first) * 1_000_000_000L / rate - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(
                                        wait); // pacing the writes to a rate, not waiting on a result
                            }
                            insert(i);
                            if (i - first == count / 3) {
                                third.countDown();
                            }
                        }
                    } catch (Exception e) {
                        failure.set(e);
                    } finally {
                        third.countDown();
                        done.countDown();
                    }
                },
                "orders-writer");
        writer.setDaemon(true);
        writer.start();
        assertThat(third.await(1, TimeUnit.MINUTES))
                .as("a third of the orders written")
                .isTrue();
        fault.inject();
        assertThat(done.await(2, TimeUnit.MINUTES)).as("all orders written").isTrue();
        if (failure.get() != null) {
            throw new AssertionError("writing orders failed", failure.get());
        }
        settle();
    }

    /** The i-th order: valid, or (every 20th) one whose {@code total} is a document instead of an amount. */
    private void insert(int i) {
        Document order = Document.parse(demo.nextOrder(i));
        String id = order.getString("order_id");
        if (i % 20 == 11) {
            order.put("total", new Document("amount", "12.50").append("note", "not an amount"));
            orders.insertOne(order);
            bad.add(id);
        } else {
            orders.insertOne(order);
            valid.put(id, order);
        }
    }

    /** Waits until every order reached its table or DLQ, then checks everything exactly. */
    private void settle() throws Exception {
        Map<String, Row>[] rows = new Map[1];
        Map<String, Set<String>>[] dead = new Map[1];
        Await.until(
                SETTLE,
                valid.size() + " orders in the warehouse and " + bad.size() + " dead-lettered",
                () -> {
                    rows[0] = warehouseRows();
                    dead[0] = deadLetteredIds(WAREHOUSE_DLQ);
                    return rows[0].keySet().containsAll(valid.keySet())
                            && dead[0].keySet().containsAll(bad);
                },
                () -> "stored " + (rows[0] == null ? "?" : rows[0].size()) + ", dead-lettered "
                        + (dead[0] == null ? "?" : dead[0].size()) + "; status " + deployment.status(WAREHOUSE));
        assertThat(rows[0].keySet()).as("order ids in the orders table").isEqualTo(valid.keySet());
        Map<String, String> changed = new TreeMap<>();
        valid.forEach((id, order) -> {
            Row row = rows[0].get(id);
            BigDecimal total = order.get("total", Decimal128.class).bigDecimalValue();
            if (!row.customer().equals(order.getString("customer_id"))
                    || row.total().compareTo(total) != 0
                    || row.total().scale() != total.scale()) {
                changed.put(id, "stored " + row + ", written " + order.getString("customer_id") + " " + total);
            }
        });
        assertThat(changed)
                .as("orders whose stored values differ from the written ones")
                .isEmpty();
        assertDeadLettered(WAREHOUSE_DLQ, dead[0]);
        assertCustomerStats();
        assertTopicHoldsEachOrderOnce();
        if (counters != null) {
            Map<String, Set<String>>[] countersDead = new Map[1];
            Await.until(
                    SETTLE,
                    "counters of " + valid.size() + " orders",
                    () -> {
                        countersDead[0] = deadLetteredIds(COUNTERS_DLQ);
                        return countersDead[0].keySet().containsAll(bad) && counters.matches(expectedPerCustomer());
                    },
                    () -> "counters differ: " + counters.differences(expectedPerCustomer()));
            assertDeadLettered(COUNTERS_DLQ, countersDead[0]);
        }
        for (String connector :
                counters == null ? new String[] {SOURCE, WAREHOUSE} : new String[] {SOURCE, WAREHOUSE, COUNTERS}) {
            assertThat(ConnectDeployment.failedTasks(deployment.status(connector)))
                    .as(connector + " FAILED tasks")
                    .isEmpty();
        }
    }

    /** Exactly the bad orders, each under one source position (Connect's DLQ is at-least-once: copies allowed). */
    private void assertDeadLettered(String dlq, Map<String, Set<String>> dead) {
        assertThat(dead.keySet())
                .as("order ids in " + dlq + " (a valid one there is good data dead-lettered)")
                .isEqualTo(bad);
        dead.forEach((id, positions) -> assertThat(positions)
                .as("source positions of " + id + " in " + dlq)
                .hasSize(1));
    }

    /** The shipped {@code customer_stats} view over the table equals the sums of the valid orders. */
    private void assertCustomerStats() throws Exception {
        Map<String, Totals> expected = expectedPerCustomer();
        Map<String, Totals> actual = new HashMap<>();
        try (Connection c = pg.connect(directUrl);
                Statement s = c.createStatement()) {
            s.execute(Files.readString(PipelineCli.pipeline(PIPELINE).resolve("customer_stats.sql")));
            try (ResultSet r = s.executeQuery("SELECT customer_id, orders, revenue FROM customer_stats")) {
                while (r.next()) {
                    actual.put(
                            r.getString(1),
                            new Totals(r.getLong(2), r.getBigDecimal(3).stripTrailingZeros()));
                }
            }
        }
        assertThat(actual).as("customer_stats").isEqualTo(expected);
    }

    /** With the source exactly once, the committed topic holds each order's change event once. */
    private void assertTopicHoldsEachOrderOnce() {
        Map<String, Integer> events = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deployment.readAll(TOPIC)) {
            Matcher m = r.value() == null ? null : ORDER_ID.matcher(new String(r.value(), StandardCharsets.UTF_8));
            if (m != null && m.find()) {
                events.merge(m.group(1), 1, Integer::sum);
            }
        }
        Set<String> all = new HashSet<>(valid.keySet());
        all.addAll(bad);
        assertThat(events.keySet()).as("orders with a change event in " + TOPIC).isEqualTo(all);
        Map<String, Integer> twice = new TreeMap<>();
        events.forEach((id, n) -> {
            if (n > 1) {
                twice.put(id, n);
            }
        });
        twice.remove(firstStreamed);
        assertThat(twice)
                .as("orders with more than one committed change event (source exactly once)")
                .isEmpty();
    }

    Map<String, Totals> expectedPerCustomer() {
        Map<String, Totals> out = new HashMap<>();
        for (Document order : valid.values()) {
            BigDecimal total = order.get("total", Decimal128.class).bigDecimalValue();
            out.merge(order.getString("customer_id"), new Totals(1, total), Totals::plus);
        }
        out.replaceAll((k, v) -> new Totals(v.orders(), v.revenue().stripTrailingZeros()));
        return out;
    }

    record Totals(long orders, BigDecimal revenue) {
        Totals plus(Totals other) {
            return new Totals(orders + other.orders, revenue.add(other.revenue));
        }
    }

    record Row(String customer, BigDecimal total) {}

    private Map<String, Row> warehouseRows() throws SQLException {
        Map<String, Row> out = new HashMap<>();
        try (Connection c = pg.connect(directUrl);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT order_id, customer_id, total FROM orders")) {
            while (r.next()) {
                if (out.put(r.getString(1), new Row(r.getString(2), r.getBigDecimal(3))) != null) {
                    throw new AssertionError("order " + r.getString(1) + " stored twice");
                }
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) { // the sink has not created the table yet
                throw e;
            }
        }
        return out;
    }

    /** Order ids in a DLQ, each with its distinct source positions. */
    private Map<String, Set<String>> deadLetteredIds(String dlq) {
        Map<String, Set<String>> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deployment.readAll(dlq)) {
            String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
            Matcher m = ORDER_ID.matcher(value);
            String id = m.find() ? m.group(1) : "<no order_id: " + value + ">";
            out.computeIfAbsent(id, k -> new HashSet<>())
                    .add(header(r, "__connect.errors.topic") + "/" + header(r, "__connect.errors.partition") + "@"
                            + header(r, "__connect.errors.offset"));
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
