/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.cdpconnect.testing.ConnectTestCluster;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/**
 * What only a real MongoDB replica set does: update and replace events with update descriptions, post- and
 * pre-images, invalidation after a drop, heartbeats, events over 16 MB, the copy through the pipeline, new
 * collections, the database scope and privileges. Lost history needs an oplog that has rolled over:
 * {@link LostHistoryScenarios}. Subclasses say where the server comes from (a Testcontainers replica set, or
 * MONGO_URI).
 */
abstract class ReplicaSetScenarios extends ReplicaSetSupport {

    @Test
    void updatesReplacesAndBeforeImages() {
        String db = database();
        MongoDatabase database = client.getDatabase(db);
        database.createCollection(
                "orders",
                new CreateCollectionOptions()
                        .changeStreamPreAndPostImagesOptions(
                                new com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions(true)));
        MongoCollection<Document> orders = database.getCollection("orders");
        orders.insertOne(new Document("_id", "sentinel"));
        Map<String, String> config = config(db, "rs");
        config.put("startup.mode", "snapshot");
        // Post-images as of each change (updateLookup would read the document as it is when the event is read).
        config.put("full.document", "required");
        config.put("full.document.before.change", "required");
        putConnector("images-" + db, config);
        connect.awaitRunning("images-" + db, 1);
        String topic = "rs." + db + ".orders";
        awaitEvents(1, topic); // the copy is done: what follows comes from the change stream

        orders.insertOne(new Document("_id", "o-1001")
                .append("status", "paid")
                .append("notes", "gift")
                .append("total", new Decimal128(new BigDecimal("129.90"))));
        orders.updateOne(
                Filters.eq("_id", "o-1001"), Updates.combine(Updates.set("status", "shipped"), Updates.unset("notes")));
        orders.replaceOne(
                Filters.eq("_id", "o-1001"),
                new Document("status", "delivered").append("total", new Decimal128(new BigDecimal("129.90"))));
        orders.deleteOne(Filters.eq("_id", "o-1001"));

        List<Records.Event> all = awaitEvents(5, topic);
        assertThat(all.get(0).op()).isEqualTo("read");
        List<Records.Event> events = all.subList(1, 5);
        assertThat(events.stream().map(Records.Event::op).collect(Collectors.toList()))
                .containsExactly("insert", "update", "replace", "delete");
        for (Records.Event e : events) {
            assertThat(e.key().path("_id").asText()).isEqualTo("o-1001");
        }
        JsonNode insert = events.get(0).value();
        assertThat(insert.path("full_document").path("total").decimalValue()).isEqualByComparingTo("129.90");

        JsonNode update = events.get(1).value();
        assertThat(BsonDocument.parse(
                        update.path("update_description").path("updated_fields").asText()))
                .isEqualTo(BsonDocument.parse("{\"status\": \"shipped\"}"));
        assertThat(update.path("update_description")
                        .path("removed_fields")
                        .get(0)
                        .asText())
                .isEqualTo("notes");
        assertThat(update.path("full_document").path("status").asText()).isEqualTo("shipped");
        assertThat(update.path("full_document_before_change").path("status").asText())
                .isEqualTo("paid");
        assertThat(update.path("full_document_before_change").path("notes").asText())
                .isEqualTo("gift");

        JsonNode replace = events.get(2).value();
        assertThat(replace.path("full_document").path("status").asText()).isEqualTo("delivered");
        // The collection's schema has "notes" since the insert, so the field is there, null: absent from the document.
        assertThat(replace.path("full_document").hasNonNull("notes")).isFalse();
        assertThat(replace.path("full_document_before_change").path("status").asText())
                .isEqualTo("shipped");

        JsonNode delete = events.get(3).value();
        assertThat(delete.path("full_document").isNull()).isTrue();
        assertThat(delete.path("full_document_before_change").path("status").asText())
                .isEqualTo("delivered");
    }

    @Test
    void dropEmitsLifecycleEventsAndARecreatedCollectionKeepsStreaming() {
        String db = database();
        MongoCollection<Document> coll = client.getDatabase(db).getCollection("carts");
        coll.insertOne(new Document("_id", 1));
        Map<String, String> config = config(db, "rs");
        config.put("startup.mode", "snapshot");
        config.put("on.invalidate", "restart");
        // No reassignment while the collection is briefly gone: this test is about the stream itself.
        config.put("collections.refresh.interval.ms", "0");
        putConnector("drop-" + db, config);
        connect.awaitRunning("drop-" + db, 1);
        String topic = "rs." + db + ".carts";
        awaitEvents(1, topic);
        coll.drop();
        coll.insertOne(new Document("_id", 2));
        List<Records.Event> events = awaitEvents(4, topic);
        assertThat(events.stream().map(e -> e.op()).collect(Collectors.toList()))
                .containsExactly("read", "drop", "invalidate", "insert");
        assertThat(events.get(3).id()).isEqualTo(2);
    }

    @Test
    void heartbeatsCarryTheTokenOfAQuietCollection() {
        String db = database();
        MongoCollection<Document> quiet = client.getDatabase(db).getCollection("quiet");
        MongoCollection<Document> busy = client.getDatabase(db).getCollection("busy");
        quiet.insertOne(new Document("_id", 1));
        busy.insertOne(new Document("_id", 1));
        Map<String, String> config = config(db, "rs");
        config.put("collections.include", java.util.regex.Pattern.quote(db + ".quiet"));
        config.put("heartbeat.interval.ms", "500");
        config.put("heartbeat.topic", "hb-" + db);
        putConnector("hb-" + db, config);
        connect.awaitRunning("hb-" + db, 1);
        // Writes elsewhere move the oplog; the quiet collection's stream reports its new position as heartbeats.
        ConnectTestCluster.waitFor(TIMEOUT, "a heartbeat for " + db + ".quiet", () -> {
            busy.insertOne(new Document());
            return Records.parse(readAll("hb-" + db)).stream()
                    .anyMatch(e -> e.key().path("ns").asText().equals(db + ".quiet"));
        });
        assertThat(Records.parse(readAll("rs." + db + ".quiet"))).isEmpty();
    }

    /**
     * An update whose event carries a 9 MB post-image and a 9 MB pre-image is over the 16 MB BSON limit: the server
     * fails the stream with BSONObjectTooLarge (10334). The task writes that event key-only (oversized=true) and
     * keeps streaming, instead of failing and restarting before the same event forever.
     */
    @Test
    void anEventOver16MbIsWrittenKeyOnlyAndTheStreamContinues() {
        String db = database();
        MongoDatabase database = client.getDatabase(db);
        database.createCollection(
                "docs",
                new CreateCollectionOptions()
                        .changeStreamPreAndPostImagesOptions(
                                new com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions(true)));
        MongoCollection<Document> docs = database.getCollection("docs");
        Map<String, String> config = config(db, "rs");
        config.put("full.document", "required");
        config.put("full.document.before.change", "required");
        config.put("startup.mode", "latest");
        putConnector("big-" + db, config);
        connect.awaitRunning("big-" + db, 1);
        String topic = "rs." + db + ".docs";
        // The stream is open once a small write arrives.
        java.util.concurrent.atomic.AtomicInteger warm = new java.util.concurrent.atomic.AtomicInteger();
        ConnectTestCluster.waitFor(TIMEOUT, "the stream open", () -> {
            docs.insertOne(new Document("_id", "warm-" + warm.incrementAndGet()));
            return !readAll(topic).isEmpty();
        });
        String nineMb = "x".repeat(9 * 1024 * 1024);
        docs.insertOne(new Document("_id", "big").append("blob", nineMb).append("v", 1));
        docs.updateOne(Filters.eq("_id", "big"), Updates.set("v", 2)); // event: 9 MB after + 9 MB before
        docs.insertOne(new Document("_id", "after").append("v", 3));
        List<Records.Event>[] last = new List[] {List.of()};
        ConnectTestCluster.waitFor(
                TIMEOUT,
                "the big and the following events",
                () -> {
                    last[0] = Records.parse(readAll(topic)).stream()
                            .filter(e -> !e.key().path("_id").asText().startsWith("warm-"))
                            .collect(Collectors.toList());
                    return last[0].size() >= 3;
                },
                () -> "got " + last[0]);
        List<Records.Event> events = last[0];
        assertThat(events.stream()
                        .map(e -> e.op() + " " + e.key().path("_id").asText())
                        .collect(Collectors.toList()))
                .containsExactly("insert big", "update big", "insert after");
        // The insert is over max.event.size.bytes (1 MB), the update over 16 MB: both key-only, the stream goes on.
        assertThat(events.get(0).value().path("oversized").asBoolean()).isTrue();
        assertThat(events.get(1).value().path("oversized").asBoolean()).isTrue();
        assertThat(events.get(1).value().path("full_document").isNull()).isTrue();
        assertThat(events.get(2).value().path("oversized").isNull()
                        || !events.get(2).value().path("oversized").asBoolean())
                .isTrue();
        assertThat(events.get(2).value().path("full_document").path("v").asInt())
                .isEqualTo(3);
        assertThat(connect.rest()
                        .get("/connectors/big-" + db + "/status")
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
    }

    /**
     * The copy goes through the pipeline as the insert events do: a $match on fullDocument filters it and an $unset
     * of a fullDocument field (PII) removes that field from the copy as from the stream.
     */
    @Test
    void theCopyAppliesThePipelinesMatchAndUnset() {
        String db = database();
        MongoCollection<Document> customers = client.getDatabase(db).getCollection("customers");
        for (int i = 1; i <= 4; i++) {
            customers.insertOne(new Document("_id", i)
                    .append("country", i % 2 == 0 ? "DE" : "FR")
                    .append("ssn", "123-45-000" + i));
        }
        Map<String, String> config = config(db, "rs");
        config.put("startup.mode", "snapshot");
        config.put(
                "pipeline", "[{\"$match\": {\"fullDocument.country\": \"DE\"}}, {\"$unset\": \"fullDocument.ssn\"}]");
        putConnector("pii-" + db, config);
        connect.awaitRunning("pii-" + db, 1);
        String topic = "rs." + db + ".customers";
        awaitEvents(2, topic);
        customers.insertOne(new Document("_id", 5).append("country", "FR").append("ssn", "x"));
        customers.insertOne(new Document("_id", 6).append("country", "DE").append("ssn", "x"));
        List<Records.Event> events = awaitEvents(3, topic);
        assertThat(events.stream().map(e -> e.op() + " " + e.id()).collect(Collectors.toList()))
                .containsExactly("read 2", "read 4", "insert 6");
        for (Records.Event e : events) {
            assertThat(e.value().path("full_document").has("ssn"))
                    .as(e.toString())
                    .isFalse();
            assertThat(e.value().path("full_document").path("country").asText()).isEqualTo("DE");
        }
    }

    /** startup.mode=latest; a collection created after the start and written at once: every write arrives. */
    @Test
    void aNewCollectionWrittenAtOnceLosesNothing() {
        String db = database();
        client.getDatabase(db).getCollection("existing").insertOne(new Document("_id", 0));
        Map<String, String> config = config(db, "rs");
        config.put("collections.refresh.interval.ms", "500");
        putConnector("new-" + db, config);
        connect.awaitRunning("new-" + db, 1);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger(1);
        ConnectTestCluster.waitFor(TIMEOUT, "the existing collection streaming", () -> {
            client.getDatabase(db).getCollection("existing").insertOne(new Document("_id", n.getAndIncrement()));
            return !readAll("rs." + db + ".existing").isEmpty();
        });
        MongoCollection<Document> created = client.getDatabase(db).getCollection("created");
        for (int i = 0; i < 20; i++) {
            created.insertOne(new Document("_id", i));
        }
        List<Records.Event> events = awaitEvents(20, "rs." + db + ".created");
        assertThat(events.stream().map(e -> e.op() + " " + e.id()).collect(Collectors.toList()))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> "insert " + i)
                        .collect(Collectors.toList()));
    }

    /**
     * stream.scope=database: one database cursor for all collections, each with its own position. Started with one
     * cursor per collection, switched to the database scope (positions kept: no event lost, none written twice
     * once its offset is committed), then a collection created while running joins the database cursor and loses
     * none of its first writes.
     */
    @Test
    void databaseScopeKeepsEachCollectionsPositionAcrossTheSwitchAndTakesInNewCollections() {
        String db = database();
        MongoCollection<Document> a = client.getDatabase(db).getCollection("a");
        MongoCollection<Document> b = client.getDatabase(db).getCollection("b");
        a.insertOne(new Document("_id", 0));
        b.insertOne(new Document("_id", 0));
        String name = "scope-" + db;
        Map<String, String> config = config(db, "rs");
        config.put("startup.mode", "snapshot");
        config.put("collections.refresh.interval.ms", "500");
        putConnector(name, config);
        connect.awaitRunning(name, 1);
        // Each copy's start point is taken in the task's first polls: writes before it would be copied ("read").
        awaitEvents(1, "rs." + db + ".a");
        awaitEvents(1, "rs." + db + ".b");
        for (int i = 1; i <= 3; i++) {
            a.insertOne(new Document("_id", i));
            b.insertOne(new Document("_id", i));
        }
        awaitEvents(4, "rs." + db + ".a");
        awaitEvents(4, "rs." + db + ".b");
        // Both positions committed and stable (nothing written meanwhile), so the switch re-delivers nothing.
        String[] offsets = {""};
        ConnectTestCluster.waitFor(TIMEOUT, "committed offsets of both collections", () -> {
            String now = OffsetsRest.get(connect.restUrl(), name);
            boolean stable = now.equals(offsets[0])
                    && now.contains(db + ".a")
                    && now.contains(db + ".b")
                    && !now.contains("snapshot_last_id");
            offsets[0] = now;
            if (!stable) {
                Thread.sleep(1500);
            }
            return stable;
        });

        // Stopped first, so that no task of the collection scope is still running when the new config is written:
        // the inserts below can only be streamed by the database scope.
        connect.rest().put("/connectors/" + name + "/stop", "");
        connect.awaitStatus(
                name,
                "connector stopped",
                s -> "STOPPED".equals(s.path("connector").path("state").asText()));
        config.put("stream.scope", "database");
        putConnector(name, config);
        connect.rest().put("/connectors/" + name + "/resume", "");
        connect.awaitRunning(name, 1);
        for (int i = 4; i <= 6; i++) {
            a.insertOne(new Document("_id", i));
            b.insertOne(new Document("_id", i));
        }
        // The database scope has listed a and b (it streamed their changes), so c is created after that listing:
        // a collection that joins while running, not one there at the start (which would follow startup.mode).
        awaitEvents(7, "rs." + db + ".a");
        awaitEvents(7, "rs." + db + ".b");
        MongoCollection<Document> c = client.getDatabase(db).getCollection("c");
        for (int i = 0; i < 10; i++) {
            c.insertOne(new Document("_id", i)); // created while running: found by a listing, joins the cursor
        }
        List<String> expected = new java.util.ArrayList<>(List.of("read 0"));
        for (int i = 1; i <= 6; i++) {
            expected.add("insert " + i);
        }
        for (String coll : List.of("a", "b")) {
            List<Records.Event> events = awaitEvents(7, "rs." + db + "." + coll);
            assertThat(events.stream().map(e -> e.op() + " " + e.id()).collect(Collectors.toList()))
                    .as("%s: every event once, in order, across the switch", coll)
                    .containsExactlyElementsOf(expected);
        }
        List<Records.Event> created = awaitEvents(10, "rs." + db + ".c");
        assertThat(created.stream().map(e -> e.op() + " " + e.id()).collect(Collectors.toList()))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 10)
                        .mapToObj(i -> "insert " + i)
                        .collect(Collectors.toList()));
    }

    /**
     * A database with no collection yet is accepted on a replica set: the probe that tells a standalone server
     * (MongoStandaloneContainerIT) raises nothing here.
     */
    @Test
    void validateAcceptsADatabaseWithoutCollectionsYet() {
        Map<String, String> config = config(database(), "rs");
        assertThat(validationErrors(config, "mongo.uri")).isEmpty();
        assertThat(validationErrors(config, "database")).isEmpty();
    }

    /**
     * With authentication on (MONGO_URI of a secured deployment; the mongo:7 container runs without it, so this is
     * skipped there): a user who may not read the database is reported by validate on "database".
     */
    @Test
    void validateReportsMissingPrivilegesOnTheDatabaseOption() {
        String db = database();
        client.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));
        withRestrictedUser(db, List.of(new Document("role", "read").append("db", db + "_other")), restricted -> {
            Map<String, String> config = config(db, "rs");
            config.put("mongo.uri", restricted);
            assertThat(validationErrors(config, "database")).contains("lacks the privilege");
        });
    }

    /**
     * Least privilege: a user granted find and changeStream on one collection only (no listCollections on the
     * database). Listing all collections is refused to such a user (13); listing the ones it is authorized for is
     * not. So validate accepts it, and the collection is copied and streamed; the other collection, which the user
     * may not read, is not in scope and does not fail the task.
     */
    @Test
    void aUserWithPrivilegesOnOneCollectionOnlyCopiesAndStreamsIt() {
        String db = database();
        client.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));
        client.getDatabase(db).getCollection("other").insertOne(new Document("_id", 1));
        String role = "cdp_orders_" + db;
        createRole(role, db, "orders");
        try {
            withRestrictedUser(db, List.of(new Document("role", role).append("db", "admin")), restricted -> {
                Map<String, String> config = config(db, "rs");
                config.put("mongo.uri", restricted);
                assertThat(validationErrors(config, "database")).isEmpty();
                assertThat(validationErrors(config, "mongo.uri")).isEmpty();
                putConnector("least-" + db, config);
                connect.awaitRunning("least-" + db, 1);
                assertThat(awaitEvents(1, "rs." + db + ".orders").get(0).op()).isEqualTo("read");
                client.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 2));
                List<Records.Event> events = awaitEvents(2, "rs." + db + ".orders");
                assertThat(events.stream().map(e -> e.op() + " " + e.id()).collect(Collectors.toList()))
                        .containsExactly("read 1", "insert 2");
                connect.awaitRunning("least-" + db, 1);
            });
        } finally {
            client.getDatabase("admin").runCommand(new Document("dropRole", role));
        }
    }

    private static void createRole(String role, String db, String collection) {
        assumeAuthentication();
        try {
            client.getDatabase("admin")
                    .runCommand(new Document("createRole", role)
                            .append(
                                    "privileges",
                                    List.of(new Document(
                                                    "resource", new Document("db", db).append("collection", collection))
                                            .append("actions", List.of("find", "changeStream"))))
                            .append("roles", List.of()));
        } catch (com.mongodb.MongoCommandException notHere) {
            org.junit.jupiter.api.Assumptions.abort("cannot create a role here: " + notHere.getMessage());
        }
    }

    private static void assumeAuthentication() {
        BsonDocument status = client.getDatabase("admin")
                .runCommand(new BsonDocument("connectionStatus", new org.bson.BsonInt32(1)), BsonDocument.class);
        org.junit.jupiter.api.Assumptions.assumeFalse(
                status.getDocument("authInfo").getArray("authenticatedUsers").isEmpty(),
                "the server runs without authentication");
    }

    /** Runs {@code body} with MONGO_URI for a new user with {@code roles}; the user is dropped after it. */
    private static void withRestrictedUser(String db, List<Document> roles, java.util.function.Consumer<String> body) {
        assumeAuthentication();
        String user = "cdp_user_" + db;
        try {
            client.getDatabase("admin")
                    .runCommand(new Document("createUser", user)
                            .append("pwd", "pw-" + db)
                            .append("roles", roles));
        } catch (com.mongodb.MongoCommandException notHere) {
            // e.g. a user without createUser, or Atlas, where users are managed outside the database
            org.junit.jupiter.api.Assumptions.abort("cannot create the restricted user here: " + notHere.getMessage());
        }
        try {
            body.accept(restrictedUri(uri, user, "pw-" + db));
        } finally {
            client.getDatabase("admin").runCommand(new Document("dropUser", user));
        }
    }

    /**
     * MONGO_URI with the restricted user's SCRAM credentials instead of its own: the same scheme (an SRV name stays
     * an SRV name, with its implied TLS), hosts and options, without the options of the original authentication.
     */
    static String restrictedUri(String mongoUri, String user, String password) {
        com.mongodb.ConnectionString base = new com.mongodb.ConnectionString(mongoUri);
        String scheme = base.isSrvProtocol() ? "mongodb+srv://" : "mongodb://";
        String options = mongoUri.contains("?") ? mongoUri.substring(mongoUri.indexOf('?') + 1) : "";
        StringBuilder kept = new StringBuilder("authSource=admin");
        for (String option : options.split("&")) {
            String key = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            if (!option.isEmpty() && !key.toLowerCase(java.util.Locale.ROOT).startsWith("auth")) {
                kept.append('&').append(option);
            }
        }
        return scheme + user + ":" + password + "@" + String.join(",", base.getHosts()) + "/?" + kept;
    }
}
