/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it.inprocess;

import static io.cdpconnect.mongo.it.inprocess.TaskDriver.RESUME_TOKEN;
import static io.cdpconnect.mongo.it.inprocess.TaskDriver.SNAPSHOT_LAST_ID;
import static io.cdpconnect.mongo.it.inprocess.TaskDriver.START_AT_T;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.cdpconnect.mongo.MongoCdcSourceTask;
import io.cdpconnect.mongo.it.InMemoryMongo;
import io.cdpconnect.testing.TcpProxy;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The task against the in-memory wire-protocol server through a proxy whose connections can be cut: network errors
 * are retried with back-off and the stream resumes after the last delivered change, without gap or duplicate; a new
 * task resumes from the offsets the previous one produced. Driven only through the task's public API: config map,
 * {@code poll()}, the offsets of the polled records fed back through the context's offset reader, metrics over JMX.
 */
class MongoCdcSourceTaskIT {
    /** The connector name the tasks run under: their JMX metrics are found by it. */
    private static final String CONNECTOR = "MongoCdcSourceTaskIT";

    private InMemoryMongo mongo;
    private TcpProxy proxy;
    private MongoClient client;
    private final TaskDriver driver = new TaskDriver(CONNECTOR);

    @BeforeEach
    void start() throws Exception {
        mongo = new InMemoryMongo();
        proxy = new TcpProxy(
                mongo.address().getAddress().getHostAddress(), mongo.address().getPort());
        client = mongo.client();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        proxy.close();
        mongo.close();
    }

    private MongoCdcSourceTask task(String namespaces) {
        return task(namespaces, Map.of());
    }

    private MongoCdcSourceTask task(String namespaces, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put(
                "mongo.uri",
                "mongodb://127.0.0.1:" + proxy.port() + "/?serverSelectionTimeoutMS=500&connectTimeoutMS=500");
        props.put("startup.mode", "snapshot");
        props.put("full.document", "off");
        props.put("poll.await.ms", "50");
        props.put("delete.tombstones", "false");
        props.put("retry.backoff.ms", "50");
        props.put("retry.backoff.max.ms", "200");
        props.put("collections.include", java.util.regex.Pattern.quote(namespaces));
        props.putAll(overrides);
        return driver.start(props);
    }

    /** A task streaming shop.a, shop.b and shop.c (each with a document) from latest, poll.await.ms=300. */
    private MongoCdcSourceTask threeCollections(Map<String, String> more) {
        for (String c : List.of("a", "b", "c")) {
            client.getDatabase("shop").getCollection(c).insertOne(new Document("_id", 0));
        }
        Map<String, String> overrides = new HashMap<>(more);
        overrides.put("collections.include", "shop\\.(a|b|c)");
        overrides.put("startup.mode", "latest");
        overrides.put("poll.await.ms", "300");
        return task("unused", overrides);
    }

    /** Polls until {@code count} records arrived, "committing" each record's offset as Connect would. */
    private List<SourceRecord> pollUntil(MongoCdcSourceTask task, int count) throws InterruptedException {
        return pollUntil(task, count, 20_000);
    }

    /** Nothing more arrives within 1.5 s. */
    private List<SourceRecord> pollRest(MongoCdcSourceTask task) throws InterruptedException {
        return pollUntil(task, Integer.MAX_VALUE, 1500);
    }

    private List<SourceRecord> pollUntil(MongoCdcSourceTask task, int count, long timeoutMs)
            throws InterruptedException {
        return driver.pollUntil(task, count, timeoutMs);
    }

    /** Only {@code record}'s offset is committed, as if the worker died right after committing it. */
    @SuppressWarnings("unchecked")
    private void commitOnly(SourceRecord record) {
        driver.committed.clear();
        driver.committed.put(
                (Map<String, Object>) record.sourcePartition(), (Map<String, Object>) record.sourceOffset());
    }

    private static List<String> ops(List<SourceRecord> records) {
        List<String> out = new ArrayList<>();
        for (SourceRecord r : records) {
            out.add(((Struct) r.value()).getString("operation") + " " + ((Struct) r.key()).get("_id"));
        }
        return out;
    }

    @Test
    void networkErrorsAreRetriedAndTheStreamResumesWithoutGapOrDuplicate() throws Exception {
        MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
        orders.insertOne(new Document("_id", 0));
        MongoCdcSourceTask task = task("shop.orders");
        try {
            assertThat(ops(pollUntil(task, 1))).containsExactly("read 0");
            for (int i = 1; i <= 5; i++) {
                orders.insertOne(new Document("_id", i));
            }
            assertThat(ops(pollUntil(task, 5)))
                    .containsExactly("insert 1", "insert 2", "insert 3", "insert 4", "insert 5");

            proxy.cut();
            for (int i = 6; i <= 10; i++) {
                orders.insertOne(new Document("_id", i));
            }
            // Polls during the outage return nothing and throw nothing: the stream is backing off.
            long until = System.currentTimeMillis() + 1500;
            while (System.currentTimeMillis() < until) {
                List<SourceRecord> batch = task.poll();
                assertThat(batch == null || batch.isEmpty()).isTrue();
            }
            proxy.restore();
            orders.deleteOne(new Document("_id", 1));
            assertThat(ops(pollUntil(task, 6)))
                    .containsExactly("insert 6", "insert 7", "insert 8", "insert 9", "insert 10", "delete 1");
            assertThat(pollRest(task)).isEmpty();
        } finally {
            task.stop();
        }

        // A new task (restart) resumes from the committed offsets: only what happened since.
        orders.insertOne(new Document("_id", 11));
        MongoCdcSourceTask restarted = task("shop.orders");
        try {
            assertThat(ops(pollUntil(restarted, 1))).containsExactly("insert 11");
            assertThat(pollRest(restarted)).isEmpty();
        } finally {
            restarted.stop();
        }
    }

    @Test
    void snapshotInterruptedByARestartResumesAfterTheLastCopiedId() throws Exception {
        MongoCollection<Document> coll = client.getDatabase("shop").getCollection("customers");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add(new Document("_id", i));
        }
        coll.insertMany(docs);
        MongoCdcSourceTask task = task("shop.customers");
        List<SourceRecord> first;
        try {
            // All 30 copied (batch.size 1000); polled until then, as on a loaded machine the first listing can time
            // out and be retried by the next poll.
            first = pollUntil(task, 30);
        } finally {
            task.stop();
        }
        assertThat(first).isNotEmpty();
        // Keep only the first 10 as "committed", as if the worker died after committing them.
        commitOnly(first.get(9));
        coll.insertOne(new Document("_id", 30));

        MongoCdcSourceTask restarted = task("shop.customers");
        try {
            List<String> ops = ops(pollUntil(restarted, 22));
            List<String> expected = new ArrayList<>();
            for (int i = 10; i < 31; i++) {
                expected.add("read " + i);
            }
            // _id 30 was inserted before the restart's copy reached it: copied, and its insert event follows.
            expected.add("insert 30");
            assertThat(ops).containsExactlyElementsOf(expected);
            assertThat(pollRest(restarted)).isEmpty();
        } finally {
            restarted.stop();
        }
    }

    /**
     * A collection's _ids may be of several BSON types; the copy reads them in the _id index's order (numbers,
     * strings, documents, ObjectIds, dates, ...). A query's {@code $gt} only matches values of its own type, so a copy
     * resumed after a string _id must not be "_id greater than that string": it would skip every document whose _id
     * is a document, an ObjectId or a date. Through find (no pipeline) and through the copy's aggregation.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aResumedCopyKeepsTheDocumentsWhoseIdIsOfALaterType(boolean withPipeline) throws Exception {
        MongoCollection<Document> coll = client.getDatabase("shop").getCollection("mixed");
        Date created = new Date(1_795_428_000_000L);
        ObjectId oid = new ObjectId("6561f0a1c2d3e4f5a6b7c8d9");
        coll.insertMany(List.of(
                new Document("_id", 2),
                new Document("_id", "b"),
                new Document("_id", created),
                new Document("_id", 1),
                new Document("_id", oid),
                new Document("_id", "a"),
                new Document("_id", new Document("k", 1))));
        Map<String, String> overrides = withPipeline
                ? Map.of("pipeline", "[{\"$match\": {\"fullDocument.gone\": {\"$exists\": false}}}]")
                : Map.of();
        MongoCdcSourceTask task = task("shop.mixed", overrides);
        List<SourceRecord> first;
        try {
            first = pollUntil(task, 7);
        } finally {
            task.stop();
        }
        assertThat(ops(first)).hasSize(7);
        // Committed up to the third document (_id "a"), as if the worker died then.
        commitOnly(first.get(2));

        MongoCdcSourceTask restarted = task("shop.mixed", overrides);
        try {
            List<String> resumed = ops(pollUntil(restarted, 4));
            assertThat(resumed).containsExactlyElementsOf(ops(first).subList(3, 7));
            assertThat(pollRest(restarted)).isEmpty();
        } finally {
            restarted.stop();
        }
    }

    /**
     * Worker killed after the copy, before any streamed position is committed: the last copied record's offset says
     * the copy is done, so the restart streams from the copy's start point and never copies again (before the fix it
     * resumed the copy after the last _id, copied the documents written since as "read", then streamed their inserts
     * as well: each delivered twice).
     */
    @Test
    void aRestartAfterTheCopyCompletedStreamsAndNeverCopiesAgain() throws Exception {
        MongoCollection<Document> coll = client.getDatabase("shop").getCollection("customers");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            docs.add(new Document("_id", i));
        }
        coll.insertMany(docs);
        MongoCdcSourceTask task = task("shop.customers");
        try {
            assertThat(ops(pollUntil(task, 5))).containsExactly("read 0", "read 1", "read 2", "read 3", "read 4");
        } finally {
            task.stop();
        }
        // Only the copy's records were committed; the documents below are written while the task is down.
        coll.insertOne(new Document("_id", 5));
        coll.insertOne(new Document("_id", 6));
        coll.deleteOne(new Document("_id", 0));

        MongoCdcSourceTask restarted = task("shop.customers");
        try {
            assertThat(ops(pollUntil(restarted, 3))).containsExactly("insert 5", "insert 6", "delete 0");
            assertThat(pollRest(restarted)).isEmpty();
        } finally {
            restarted.stop();
        }
    }

    /**
     * The same after a copy that took several polls (batch.size below the collection size): only the last copied
     * record says the copy is done; a restart after any earlier one resumes the copy after its _id.
     */
    @Test
    void onlyTheLastCopiedRecordMarksTheCopyDone() throws Exception {
        MongoCollection<Document> coll = client.getDatabase("shop").getCollection("customers");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            docs.add(new Document("_id", i));
        }
        coll.insertMany(docs);
        MongoCdcSourceTask task = task("shop.customers", Map.of("batch.size", "3", "snapshot.batch.size", "2"));
        List<SourceRecord> copied;
        try {
            copied = pollUntil(task, 7);
        } finally {
            task.stop();
        }
        assertThat(ops(copied)).containsExactly("read 0", "read 1", "read 2", "read 3", "read 4", "read 5", "read 6");
        for (int i = 0; i < 6; i++) {
            assertThat(offsetOf(copied.get(i))).as("offset of record %d", i).containsKey(SNAPSHOT_LAST_ID);
        }
        Map<String, Object> done = offsetOf(copied.get(6));
        assertThat(done).doesNotContainKey(SNAPSHOT_LAST_ID);
        // A concrete start point (resume token or operation time), not "latest": the one the copy began with.
        assertThat(done.containsKey(RESUME_TOKEN) || done.containsKey(START_AT_T))
                .as("a resume token or an operation time, not latest: %s", done)
                .isTrue();
        assertThat(done).isEqualTo(streamStart(offsetOf(copied.get(0))));

        coll.insertOne(new Document("_id", 7));
        MongoCdcSourceTask restarted = task("shop.customers");
        try {
            assertThat(ops(pollUntil(restarted, 1))).containsExactly("insert 7");
            assertThat(pollRest(restarted)).isEmpty();
        } finally {
            restarted.stop();
        }
    }

    /**
     * The last document of the copy is skipped (on.oversized=log): the record before it, delivered in the same poll,
     * carries the completion instead, so a restart still streams and does not copy again.
     */
    @Test
    void aSkippedLastDocumentHandsTheCompletionToTheRecordBeforeIt() throws Exception {
        MongoCollection<Document> coll = client.getDatabase("shop").getCollection("customers");
        coll.insertMany(List.of(
                new Document("_id", 0),
                new Document("_id", 1),
                new Document("_id", 2).append("pad", "x".repeat(4096))));
        Map<String, String> skipLarge = Map.of("max.event.size.bytes", "1024", "on.oversized", "log");
        MongoCdcSourceTask task = task("shop.customers", skipLarge);
        List<SourceRecord> copied;
        try {
            copied = pollUntil(task, 2);
            assertThat(pollRest(task)).isEmpty();
        } finally {
            task.stop();
        }
        assertThat(ops(copied)).containsExactly("read 0", "read 1");
        assertThat(offsetOf(copied.get(0))).containsKey(SNAPSHOT_LAST_ID);
        assertThat(offsetOf(copied.get(1))).doesNotContainKey(SNAPSHOT_LAST_ID);

        coll.insertOne(new Document("_id", 3));
        MongoCdcSourceTask restarted = task("shop.customers", skipLarge);
        try {
            assertThat(ops(pollUntil(restarted, 1))).containsExactly("insert 3");
            assertThat(pollRest(restarted)).isEmpty();
        } finally {
            restarted.stop();
        }
    }

    /**
     * The skipped last document is alone in its poll (batch.size 1): with heartbeats on, a heartbeat carries the
     * completion, so a restart streams and does not copy again.
     */
    @Test
    void aSkippedLastDocumentAloneInItsPollIsCompletedByAHeartbeat() throws Exception {
        MongoCollection<Document> coll = client.getDatabase("shop").getCollection("customers");
        coll.insertMany(List.of(new Document("_id", 0), new Document("_id", 1).append("pad", "x".repeat(4096))));
        Map<String, String> overrides = Map.of(
                "max.event.size.bytes", "1024",
                "on.oversized", "log",
                "batch.size", "1",
                "heartbeat.interval.ms", "600000");
        MongoCdcSourceTask task = task("shop.customers", overrides);
        List<SourceRecord> copied;
        try {
            copied = pollUntil(task, 2);
        } finally {
            task.stop();
        }
        assertThat(copied).hasSize(2);
        assertThat(ops(copied.subList(0, 1))).containsExactly("read 0");
        assertThat(copied.get(1).topic()).isNotEqualTo(copied.get(0).topic());
        assertThat(offsetOf(copied.get(1))).doesNotContainKey(SNAPSHOT_LAST_ID);

        coll.insertOne(new Document("_id", 2));
        MongoCdcSourceTask restarted = task("shop.customers", overrides);
        try {
            assertThat(ops(pollUntil(restarted, 1))).containsExactly("insert 2");
        } finally {
            restarted.stop();
        }
    }

    private static Map<String, Object> offsetOf(SourceRecord record) {
        return TaskDriver.offsetOf(record);
    }

    /** The start point part of an offset: everything but snapshot_last_id. */
    private static Map<String, Object> streamStart(Map<String, Object> offset) {
        Map<String, Object> start = new HashMap<>(offset);
        start.remove(SNAPSHOT_LAST_ID);
        return start;
    }

    /**
     * Server gone, three collections, the driver's default 30 s server selection in the URI: every poll still
     * returns within about poll.await.ms (the budget is shared by the cursors and bounds server selection), and
     * once the server is back the streams resume without gap.
     */
    @Test
    void duringAnOutageNoPollBlocksLongerThanPollAwait() throws Exception {
        MongoCdcSourceTask task =
                threeCollections(Map.of("mongo.uri", "mongodb://127.0.0.1:" + proxy.port(), "max.retries", "1000"));
        try {
            long until = System.currentTimeMillis() + 2000;
            while (System.currentTimeMillis() < until) {
                task.poll(); // lists the collections and opens the three streams
            }
            // Three streams open: the task's collections gauge and one MBean per collection (JMX).
            assertThat(driver.taskMetric("collections")).isEqualTo(3L);
            assertThat(driver.collectionMBeans()).containsExactly("shop.a", "shop.b", "shop.c");
            proxy.cut();
            long worst = 0;
            for (int i = 0; i < 15; i++) {
                long start = System.nanoTime();
                List<SourceRecord> batch = task.poll();
                worst = Math.max(worst, (System.nanoTime() - start) / 1_000_000);
                assertThat(batch == null || batch.isEmpty()).isTrue();
            }
            assertThat(worst).as("longest poll during the outage, ms").isLessThan(300 + 1200);
            proxy.restore();
            client.getDatabase("shop").getCollection("b").insertOne(new Document("_id", 1));
            List<SourceRecord> after = pollUntil(task, 1);
            assertThat(ops(after)).containsExactly("insert 1");
            // Cut again right after records flowed: streams backing off after the error are waited for (up to
            // 100 ms a poll), never polled in a loop, however short the streams have been idle.
            proxy.cut();
            int polls = 0;
            for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; polls++) {
                task.poll();
            }
            assertThat(polls).as("polls in 1 s while every stream backs off").isLessThanOrEqualTo(40);
        } finally {
            task.stop();
        }
    }

    /**
     * Idle collections wait on the server, never in a loop: each cursor asks the server to wait its share of
     * poll.await.ms (maxAwaitTime is fixed when a cursor opens, so the share is the budget over the task's streams,
     * not what was left of the poll that opened it, which was 1 ms when opening came late in a poll), and once the
     * streams have been idle a while (16 x poll.await.ms) a poll that brings nothing lasts poll.await.ms even when the
     * server answers at once (this one does; so does a cursor whose server ignores the await).
     */
    @Test
    void idleCollectionsWaitOnTheServerNotInALoop() throws Exception {
        MongoCdcSourceTask task = threeCollections(Map.of());
        try {
            long until = System.currentTimeMillis() + 6000;
            while (System.currentTimeMillis() < until) {
                task.poll(); // lists the collections, opens the three streams; idle polls back off to the budget
            }
            mongo.takeGetMores();
            long start = System.nanoTime();
            int polls = 0;
            while (System.nanoTime() - start < 3_000_000_000L) {
                List<SourceRecord> batch = task.poll();
                assertThat(batch == null || batch.isEmpty()).isTrue();
                polls++;
            }
            List<Object> getMores = mongo.takeGetMores();
            // 3 s of polls of at least 300 ms each: about 10 polls, each at most one getMore per cursor
            assertThat(polls).as("idle polls in 3 s").isBetween(8, 11);
            assertThat(getMores.size()).as("getMores in 3 s of idle polls").isBetween(1, 3 * 11);
            assertThat(getMores)
                    .as("each cursor's await: poll.await.ms over 3 streams")
                    .containsOnly(100L);
            // and a change still arrives
            client.getDatabase("shop").getCollection("b").insertOne(new Document("_id", 1));
            assertThat(ops(pollUntil(task, 1))).containsExactly("insert 1");
        } finally {
            task.stop();
        }
    }
}
