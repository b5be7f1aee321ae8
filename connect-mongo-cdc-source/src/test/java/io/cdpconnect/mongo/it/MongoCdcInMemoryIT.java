/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.cdpconnect.testing.ConnectRest;
import io.cdpconnect.testing.ConnectTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The connector on a real embedded Kafka + Connect cluster (two workers, exactly-once source support enabled),
 * configured over REST, reading the in-memory MongoDB wire-protocol server: delivery, order, restart without gap
 * or duplicate, two tasks over four collections, snapshot then stream, a worker stopped mid-stream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MongoCdcInMemoryIT {
    private static final String CONNECTOR = "io.cdpconnect.mongo.MongoCdcSourceConnector";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static InMemoryMongo mongo;
    private static MongoClient client;
    private static ConnectTestCluster connect;

    @BeforeAll
    static void start() {
        mongo = new InMemoryMongo();
        client = mongo.client();
        connect = ConnectTestCluster.builder()
                .workers(2)
                .workerProp("exactly.once.source.support", "enabled")
                .workerProp("scheduled.rebalance.max.delay.ms", "2000")
                .brokerProp("transaction.state.log.replication.factor", "1")
                .brokerProp("transaction.state.log.min.isr", "1")
                .start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
        if (client != null) {
            client.close();
        }
        if (mongo != null) {
            mongo.close();
        }
    }

    private static Map<String, String> config(String database, String prefix) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR);
        c.put("tasks.max", "1");
        c.put("mongo.uri", mongo.uri());
        c.put("database", database);
        c.put("topic.prefix", prefix);
        c.put("delete.tombstones", "false"); // tombstones are covered by CollectionStreamIT
        c.put("output.format", "json");
        c.put("full.document", "off");
        c.put("startup.mode", "snapshot");
        c.put("poll.await.ms", "100");
        c.put("exactly.once.support", "required");
        // output.format=json: key and value are JSON text written from the raw BSON.
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        return c;
    }

    /**
     * Everything committed on the topics so far (read_committed: the worker writes in transactions, and a stopped
     * worker aborts its open one); empty while a topic does not exist yet.
     */
    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> readAll(String... topics) {
        try {
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            connect.kafka()
                    .consumeAll(20_000, Map.of("isolation.level", "read_committed"), Map.of(), topics)
                    .forEach(out::add);
            return out;
        } catch (Exception notYet) {
            return List.of();
        }
    }

    private static List<Records.Event> awaitEvents(int count, String... topics) {
        List<Records.Event>[] last = new List[] {List.of()};
        ConnectTestCluster.waitFor(
                TIMEOUT,
                count + " records on " + String.join(",", topics),
                () -> {
                    last[0] = Records.parse(readAll(topics));
                    return last[0].size() >= count;
                },
                () -> "got " + last[0].size() + ": " + last[0]);
        return last[0];
    }

    /** Settles, then reads everything: to assert nothing more than expected arrived. */
    private static List<Records.Event> settledEvents(int expected, String... topics) throws InterruptedException {
        awaitEvents(expected, topics);
        Thread.sleep(2000);
        return Records.parse(readAll(topics));
    }

    @Test
    void streamsInOrderAndResumesAfterStopWithoutGapOrDuplicate() throws Exception {
        MongoCollection<Document> orders = client.getDatabase("shop1").getCollection("orders");
        orders.insertOne(new Document("_id", 0).append("order_id", "o-1000").append("status", "paid"));
        connect.putConnectorConfig("resume", config("shop1", "cdc"));
        connect.awaitRunning("resume", 1);
        String topic = "cdc.shop1.orders";
        awaitEvents(1, topic); // the copied document: the stream is open from before the copy

        for (int i = 1; i <= 30; i++) {
            orders.insertOne(new Document("_id", i)
                    .append("order_id", "o-" + (1000 + i))
                    .append("total", new org.bson.types.Decimal128(new java.math.BigDecimal(i + ".50"))));
        }
        for (int i = 1; i <= 30; i += 3) {
            orders.deleteOne(Filters.eq("_id", i));
        }
        List<Records.Event> events = settledEvents(41, topic);
        assertThat(events).hasSize(41);
        assertThat(events.get(0).op()).isEqualTo("read");
        assertThat(events.get(0).value().path("full_document").path("order_id").asText())
                .isEqualTo("o-1000");
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            expected.add("insert " + i);
        }
        for (int i = 1; i <= 30; i += 3) {
            expected.add("delete " + i);
        }
        assertThat(events.subList(1, 41).stream().map(e -> e.op() + " " + e.id()))
                .containsExactlyElementsOf(expected);
        JsonNode insert5 = events.get(5).value();
        assertThat(insert5.path("database").asText()).isEqualTo("shop1");
        assertThat(insert5.path("collection").asText()).isEqualTo("orders");
        assertThat(insert5.path("full_document")
                        .path("total")
                        .path("$numberDecimal")
                        .asText())
                .isEqualTo("5.50");
        assertThat(insert5.path("cluster_time").path("$timestamp").path("t").asLong())
                .isPositive();

        // Stopped (offsets committed), changes made meanwhile, resumed: exactly those changes, once each.
        connect.rest().put("/connectors/resume/stop", "");
        connect.awaitStatus(
                "resume",
                "connector stopped",
                s -> "STOPPED".equals(s.path("connector").path("state").asText()));
        for (int i = 31; i <= 45; i++) {
            orders.insertOne(new Document("_id", i));
        }
        orders.deleteOne(Filters.eq("_id", 0));
        connect.rest().put("/connectors/resume/resume", "");
        connect.awaitRunning("resume", 1);
        List<Records.Event> after = settledEvents(57, topic);
        assertThat(after).hasSize(57);
        List<String> tail =
                after.subList(41, 57).stream().map(e -> e.op() + " " + e.id()).collect(Collectors.toList());
        List<String> expectedTail = new ArrayList<>();
        for (int i = 31; i <= 45; i++) {
            expectedTail.add("insert " + i);
        }
        expectedTail.add("delete 0");
        assertThat(tail).containsExactlyElementsOf(expectedTail);
        connect.deleteConnector("resume");
    }

    @Test
    void twoTasksShareFourCollectionsEachChangeOnce() throws Exception {
        String db = "multi";
        List<String> names = List.of("a", "b", "c", "d");
        for (String n : names) {
            client.getDatabase(db).getCollection(n).insertOne(new Document("_id", 0));
        }
        Map<String, String> config = config(db, "mt");
        config.put("tasks.max", "2");
        connect.putConnectorConfig("multi", config);
        connect.awaitRunning("multi", 2);
        JsonNode tasks = connect.rest().get("/connectors/multi/tasks");
        assertThat(tasks).hasSize(2);
        Set<Integer> owners = new HashSet<>();
        for (JsonNode task : tasks) {
            assertThat(task.path("config").has("task.namespaces")).isFalse();
            owners.add(task.path("config").path("task.index").asInt());
        }
        assertThat(owners).containsExactlyInAnyOrder(0, 1);

        String[] topics = names.stream().map(n -> "mt.multi." + n).toArray(String[]::new);
        awaitEvents(4, topics);
        for (int i = 1; i <= 25; i++) {
            for (String n : names) {
                client.getDatabase(db).getCollection(n).insertOne(new Document("_id", i).append("c", n));
            }
        }
        List<Records.Event> events = settledEvents(4 * 26, topics);
        assertThat(events).hasSize(4 * 26);
        for (String n : names) {
            List<Integer> ids = events.stream()
                    .filter(e -> e.topic().equals("mt.multi." + n))
                    .map(Records.Event::id)
                    .collect(Collectors.toList());
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i <= 25; i++) {
                expected.add(i);
            }
            assertThat(ids).as("collection " + n).containsExactlyElementsOf(expected);
        }
        connect.deleteConnector("multi");
    }

    @Test
    void snapshotThenStreamMissesNothingWrittenDuringTheCopy() throws Exception {
        MongoCollection<Document> coll = client.getDatabase("snap").getCollection("customers");
        List<Document> initial = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            initial.add(new Document("_id", i).append("name", "c-" + i).append("v", 0));
        }
        coll.insertMany(initial);
        Map<String, String> config = config("snap", "sn");
        config.put("snapshot.batch.size", "50");
        config.put("batch.size", "50");
        connect.putConnectorConfig("snap", config);

        // Writes while the copy runs: new documents and deletes of copied ones.
        for (int i = 2000; i < 2300; i++) {
            coll.insertOne(new Document("_id", i).append("name", "c-" + i).append("v", 1));
            if (i % 10 == 0) {
                coll.deleteOne(Filters.eq("_id", i - 2000));
            }
        }
        Map<Integer, Boolean> expectedLive = new TreeMap<>();
        for (Document d : coll.find()) {
            expectedLive.put(d.getInteger("_id"), true);
        }
        String topic = "sn.snap.customers";
        // Final state from the topic, replaying in order: every live document present, every deleted one absent.
        Map<Integer, Boolean>[] state = new Map[] {Map.of()};
        ConnectTestCluster.waitFor(
                TIMEOUT,
                "topic state equal to the collection",
                () -> {
                    Map<Integer, Boolean> live = new TreeMap<>();
                    for (Records.Event e : Records.parse(readAll(topic))) {
                        if ("delete".equals(e.op())) {
                            live.remove(e.id());
                        } else {
                            live.put(e.id(), true);
                        }
                    }
                    state[0] = live;
                    return live.equals(expectedLive);
                },
                () -> "missing " + diff(expectedLive, state[0]) + ", extra " + diff(state[0], expectedLive));
        List<Records.Event> events = Records.parse(readAll(topic));
        long reads = events.stream().filter(e -> e.op().equals("read")).count();
        assertThat(reads).isGreaterThan(0).isLessThanOrEqualTo(2300);
        // Every insert made during the copy is delivered (as a copied document, an insert event, or both).
        Set<Integer> seen = events.stream().map(Records.Event::id).collect(Collectors.toSet());
        for (int i = 2000; i < 2300; i++) {
            assertThat(seen).contains(i);
        }
        connect.deleteConnector("snap");
    }

    @Test
    void oversizedDocumentsAreWrittenKeyOnlyOrFailTheTaskWithNamespaceAndId() throws Exception {
        MongoCollection<Document> big = client.getDatabase("big").getCollection("docs");
        big.insertOne(new Document("_id", 0));
        Map<String, String> config = config("big", "bg");
        config.put("max.event.size.bytes", "2048");
        config.put("on.oversized", "key.only");
        connect.putConnectorConfig("big", config);
        connect.awaitRunning("big", 1);
        String topic = "bg.big.docs";
        awaitEvents(1, topic);
        big.insertOne(new Document("_id", 1).append("blob", "x".repeat(10_000)));
        big.insertOne(new Document("_id", 2).append("small", true));
        List<Records.Event> events = settledEvents(3, topic);
        assertThat(events).hasSize(3);
        assertThat(events.get(1).id()).isEqualTo(1);
        assertThat(events.get(1).value().path("oversized").asBoolean()).isTrue();
        assertThat(events.get(1).value().path("full_document").isNull()).isTrue();
        assertThat(events.get(2).value().path("full_document").path("small").asBoolean())
                .isTrue();

        // on.oversized=fail (here met while copying): the task stops on that document and names it; no retry loop.
        connect.deleteConnector("big");
        Map<String, String> failing = config("big", "bg2");
        failing.put("max.event.size.bytes", "2048");
        failing.put("on.oversized", "fail");
        connect.putConnectorConfig("big-fail", failing);
        String trace = connect.awaitTaskFailed("big-fail");
        assertThat(trace).contains("big.docs _id 1").contains("max.event.size.bytes=2048");
        connect.deleteConnector("big-fail");
    }

    private static Set<Integer> diff(Map<Integer, Boolean> a, Map<Integer, Boolean> b) {
        Set<Integer> out = new HashSet<>(a.keySet());
        out.removeAll(b.keySet());
        return out.size() > 20 ? Set.of(out.size()) : out;
    }

    /** Last: it stops a worker, possibly the one the shared REST client talks to. */
    @Test
    @Order(Integer.MAX_VALUE)
    void workerStoppedMidStreamLosesNothing() throws Exception {
        MongoCollection<Document> coll = client.getDatabase("fail").getCollection("events");
        coll.insertOne(new Document("_id", 0));
        connect.putConnectorConfig("failover", config("fail", "fo"));
        connect.awaitRunning("failover", 1);
        String topic = "fo.fail.events";
        awaitEvents(1, topic);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger(1);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                coll.insertOne(new Document("_id", written.getAndIncrement()));
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
        Thread.sleep(1500);
        // Stop the worker that runs the task while writes go on; the task moves to the other worker.
        String workerId = connect.connectorStatus("failover")
                .path("tasks")
                .get(0)
                .path("worker_id")
                .asText();
        WorkerHandle running = connect.embedded().workers().stream()
                .filter(w -> w.url().toString().contains(workerId))
                .findFirst()
                .orElseThrow();
        WorkerHandle survivor = connect.embedded().workers().stream()
                .filter(w -> w != running)
                .findFirst()
                .orElseThrow();
        ConnectRest rest = new ConnectRest(survivor.url().toString());
        connect.embedded().removeWorker(running);
        Thread.sleep(1500);
        writing.set(false);
        writer.join();
        int total = written.get() - 1;
        ConnectTestCluster.waitFor(TIMEOUT, "the task RUNNING on " + survivor.url(), () -> {
            JsonNode status = rest.get("/connectors/failover/status");
            JsonNode task = status.path("tasks").path(0);
            return "RUNNING".equals(task.path("state").asText())
                    && survivor.url().toString().contains(task.path("worker_id").asText());
        });

        Map<Integer, Integer> counts = new HashMap<>();
        ConnectTestCluster.waitFor(
                TIMEOUT,
                total + " distinct documents on the topic",
                () -> {
                    counts.clear();
                    for (Records.Event e : Records.parse(readAll(topic))) {
                        counts.merge(e.id(), 1, Integer::sum);
                    }
                    return counts.size() >= total + 1;
                },
                () -> "got " + counts.size());
        for (int i = 0; i <= total; i++) {
            assertThat(counts).containsKey(i);
        }
        // A graceful worker stop commits the offsets (in the producer transaction): no duplicates.
        assertThat(counts.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toList()))
                .as("duplicated ids")
                .isEmpty();
        rest.delete("/connectors/failover");
    }

    /**
     * A collection created after the connector started, with startup.mode=latest, written to right away: every
     * write arrives (the new collection's stream starts from before it was discovered, not from "latest"), and the
     * other collection's task keeps running without a restart.
     */
    @Test
    void aNewCollectionWrittenAtOnceLosesNothing() throws Exception {
        String db = "fresh";
        client.getDatabase(db).getCollection("existing").insertOne(new Document("_id", 0));
        Map<String, String> config = config(db, "nc");
        config.put("startup.mode", "latest");
        config.put("collections.refresh.interval.ms", "500");
        connect.putConnectorConfig("fresh", config);
        connect.awaitRunning("fresh", 1);
        // The existing collection streams: wait until a write to it arrives.
        AtomicInteger n = new AtomicInteger(1);
        ConnectTestCluster.waitFor(TIMEOUT, "the existing collection streaming", () -> {
            client.getDatabase(db).getCollection("existing").insertOne(new Document("_id", n.getAndIncrement()));
            return !readAll("nc.fresh.existing").isEmpty();
        });
        MongoCollection<Document> created = client.getDatabase(db).getCollection("created");
        for (int i = 0; i < 20; i++) {
            created.insertOne(new Document("_id", i));
        }
        List<Records.Event> events = settledEvents(20, "nc.fresh.created");
        assertThat(events.stream().map(e -> e.op() + " " + e.id()).collect(Collectors.toList()))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> "insert " + i)
                        .collect(Collectors.toList()));
        connect.deleteConnector("fresh");
    }

    /**
     * KIP-875: with the connector stopped, PATCH resets one collection's position (it is copied again on resume,
     * the other collection is not), and a malformed offset is refused by the connector instead of failing a task.
     */
    @Test
    void patchOffsetsResetsOneCollection() throws Exception {
        String db = "reset";
        client.getDatabase(db).getCollection("x").insertOne(new Document("_id", 0));
        client.getDatabase(db).getCollection("y").insertOne(new Document("_id", 0));
        connect.putConnectorConfig("reset", config(db, "rs"));
        connect.awaitRunning("reset", 1);
        awaitEvents(2, "rs.reset.x", "rs.reset.y");
        connect.rest().put("/connectors/reset/stop", "");
        connect.awaitStatus(
                "reset",
                "connector stopped",
                s -> "STOPPED".equals(s.path("connector").path("state").asText()));

        java.net.http.HttpResponse<String> bad = OffsetsRest.patch(
                connect.restUrl(),
                "reset",
                "{\"offsets\": [{\"partition\": {\"ns\": \"reset.x\"}, \"offset\": {\"resume_tokn\": \"x\"}}]}");
        assertThat(bad.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(bad.body()).contains("unknown offset field 'resume_tokn'");
        java.net.http.HttpResponse<String> reset = OffsetsRest.patch(
                connect.restUrl(),
                "reset",
                "{\"offsets\": [{\"partition\": {\"ns\": \"reset.x\"}, \"offset\": null}]}");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);

        connect.rest().put("/connectors/reset/resume", "");
        connect.awaitRunning("reset", 1);
        List<Records.Event> events = settledEvents(3, "rs.reset.x", "rs.reset.y");
        assertThat(events.stream()
                        .map(e -> e.topic() + " " + e.op() + " " + e.id())
                        .sorted()
                        .collect(Collectors.toList()))
                .containsExactly("rs.reset.x read 0", "rs.reset.x read 0", "rs.reset.y read 0");
        connect.deleteConnector("reset");
    }

    @Test
    void validationMasksTheUriAndRejectsBadSettings() {
        Map<String, String> config = config("x", "v");
        config.put("collections.include", "shop\\.(orders");
        config.put("pipeline", "{\"$match\": 1}");
        config.put("startup.mode", "timestamp");
        JsonNode result = connect.validateConfig(CONNECTOR, config);
        Map<String, List<String>> errors = new HashMap<>();
        for (JsonNode c : result.path("configs")) {
            List<String> e = new ArrayList<>();
            c.path("value").path("errors").forEach(x -> e.add(x.asText()));
            if (!e.isEmpty()) {
                errors.put(c.path("value").path("name").asText(), e);
            }
        }
        assertThat(errors).containsKeys("collections.include", "pipeline");
        // Alone, the missing startup.timestamp is shown on that option; the server is reachable and offers streams.
        Map<String, String> timestamp = config("x", "v");
        timestamp.put("name", "timestamp-check");
        timestamp.put("startup.mode", "timestamp");
        JsonNode only = connect.validateConfig(CONNECTOR, timestamp);
        Map<String, String> shown = new HashMap<>();
        for (JsonNode c : only.path("configs")) {
            if (c.path("value").path("errors").size() > 0) {
                shown.put(
                        c.path("value").path("name").asText(),
                        c.path("value").path("errors").get(0).asText());
            }
        }
        assertThat(shown).containsOnlyKeys("startup.timestamp");
        assertThat(shown.get("startup.timestamp")).contains("required when startup.mode=timestamp");
        for (JsonNode c : result.path("configs")) {
            if (c.path("value").path("name").asText().equals("mongo.uri")) {
                assertThat(c.path("value").path("value").asText()).doesNotContain("127.0.0.1");
                assertThat(c.path("definition").path("type").asText()).isEqualTo("PASSWORD");
            }
        }
    }
}
