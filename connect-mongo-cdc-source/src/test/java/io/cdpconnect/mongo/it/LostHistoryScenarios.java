/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.cdpconnect.testing.ConnectTestCluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lost history under each on.history.lost policy: the stored position is set (Connect's offsets REST API) to an
 * operation time long before the oldest oplog entry, which the server answers with ChangeStreamHistoryLost (286).
 *
 * <p>Only on an oplog that has rolled over: while the oldest entry is still the replica set's "initiating set"
 * no-op, MongoDB lets a change stream start at any earlier time and replays the whole oplog instead (its own test
 * {@code change_streams_oplog_rollover.js} shows both). Subclasses roll the oplog over before these tests, or say why
 * they cannot ({@link #notRolledOver}).
 */
abstract class LostHistoryScenarios extends ReplicaSetSupport {
    /** Why the server's oplog cannot be used for these tests; null once it has rolled over. */
    protected static String notRolledOver = "the oplog was not checked";

    @AfterAll
    static void forgetTheServer() {
        notRolledOver = "the oplog was not checked";
    }

    @BeforeEach
    void needsARolledOverOplog() {
        Assumptions.assumeTrue(notRolledOver == null, () -> notRolledOver);
    }

    /** True when the oldest oplog entry is no longer the "initiating set" no-op of a new replica set. */
    static boolean rolledOver(MongoClient client) {
        Document first =
                oplog(client).find().sort(new Document("$natural", 1)).limit(1).first();
        if (first == null) {
            return false;
        }
        Document o = first.get("o", Document.class);
        return !("n".equals(first.getString("op")) && o != null && "initiating set".equals(o.getString("msg")));
    }

    /**
     * Writes filler documents (a database of their own, dropped afterwards) until every oplog entry is newer than the
     * newest one before: as MongoDB's rollover test does. Truncation waits for a checkpoint, so once the filler is
     * one and a half times the oplog's size it asks for one ({@code fsync}, where allowed) and waits instead of
     * writing on.
     */
    static void rollOver(MongoClient client) {
        MongoCollection<Document> oplog = oplog(client);
        BsonTimestamp newest =
                oplog.find().sort(new Document("$natural", -1)).limit(1).first().get("ts", BsonTimestamp.class);
        Number configured = client.getDatabase("local")
                .runCommand(new Document("collStats", "oplog.rs"))
                .get("maxSize", Number.class);
        long maxSize = configured == null ? 990L << 20 : configured.longValue(); // 990 MB: the smallest default
        String fillerDb = "cdp_it_oplog_filler_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> filler =
                client.getDatabase(fillerDb).getCollection("filler").withWriteConcern(WriteConcern.MAJORITY);
        String blob = "x".repeat(256 * 1024);
        long written = 0;
        // At a few MB/s at the least, plus a minute for checkpoints.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + maxSize / (4L << 20));
        try {
            while (oldest(oplog).compareTo(newest) <= 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the oplog (max " + maxSize + " bytes) did not roll over after " + written
                            + " bytes of filler");
                }
                if (written < maxSize + maxSize / 2) {
                    filler.insertOne(new Document("blob", blob));
                    written += blob.length();
                } else {
                    try {
                        client.getDatabase("admin").runCommand(new Document("fsync", 1));
                    } catch (MongoException notAllowed) {
                        // the server's own checkpoints (every 60 s by default) do the same
                    }
                    filler.insertOne(new Document("tick", 1));
                    Thread.sleep(250);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            client.getDatabase(fillerDb).drop();
        }
    }

    private static MongoCollection<Document> oplog(MongoClient client) {
        return client.getDatabase("local").getCollection("oplog.rs");
    }

    private static BsonTimestamp oldest(MongoCollection<Document> oplog) {
        return oplog.find().sort(new Document("$natural", 1)).limit(1).first().get("ts", BsonTimestamp.class);
    }

    private String startWithLostHistory(String db, String policy) {
        String name = "lost-" + policy + "-" + db;
        Map<String, String> config = config(db, "rs");
        config.put("on.history.lost", policy);
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("name", name);
        create.put("config", config);
        create.put("initial_state", "STOPPED");
        track(name);
        connect.rest().post("/connectors", Json.write(create));
        connect.awaitStatus(
                name,
                "stopped",
                s -> "STOPPED".equals(s.path("connector").path("state").asText()));
        java.net.http.HttpResponse<String> patched = OffsetsRest.patch(
                connect.restUrl(),
                name,
                "{\"offsets\": " + "[{\"partition\": {\"ns\": \"" + db
                        + ".orders\"}, \"offset\": {\"start_at_t\": 1, \"start_at_i\": 1}}]}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        connect.rest().put("/connectors/" + name + "/resume", "");
        return name;
    }

    @Test
    void lostHistoryFailsWithAClearMessageByDefault() {
        String db = database();
        client.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));
        String name = startWithLostHistory(db, "fail");
        String trace = connect.awaitTaskFailed(name);
        assertThat(trace)
                .contains(db + ".orders")
                .contains("ChangeStreamHistoryLost")
                .contains("on.history.lost=snapshot");
    }

    @Test
    void lostHistoryLatestContinuesFromNow() {
        String db = database();
        MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
        orders.insertOne(new Document("_id", 1));
        String name = startWithLostHistory(db, "latest");
        connect.awaitRunning(name, 1);
        String topic = "rs." + db + ".orders";
        // Keep writing until the stream (opened at "now") sees one; nothing from before appears.
        ConnectTestCluster.waitFor(TIMEOUT, "a change after the restart", () -> {
            orders.insertOne(new Document("_id", UUID.randomUUID().toString()));
            return !readAll(topic).isEmpty();
        });
        List<Records.Event> events = Records.parse(readAll(topic));
        assertThat(events).allSatisfy(e -> assertThat(e.op()).isEqualTo("insert"));
        assertThat(events)
                .noneSatisfy(e -> assertThat(e.key().path("_id").asText()).isEqualTo("1"));
    }

    @Test
    void lostHistorySnapshotCopiesAgainThenStreams() {
        String db = database();
        MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
        orders.insertOne(new Document("_id", 1));
        orders.insertOne(new Document("_id", 2));
        String name = startWithLostHistory(db, "snapshot");
        connect.awaitRunning(name, 1);
        String topic = "rs." + db + ".orders";
        awaitEvents(2, topic);
        orders.insertOne(new Document("_id", 3));
        List<Records.Event> events = awaitEvents(3, topic);
        assertThat(events.stream().map(e -> e.op() + " " + e.id()).collect(Collectors.toList()))
                .containsExactly("read 1", "read 2", "insert 3");
    }
}
