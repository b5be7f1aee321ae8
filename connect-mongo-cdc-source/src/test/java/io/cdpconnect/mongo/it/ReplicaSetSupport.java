/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.cdpconnect.testing.ConnectTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * What the scenarios on a real replica set share: one Connect cluster and one client per class, a fresh database
 * per test, the connector config they start from, and clean-up after each test (its connectors deleted and its
 * database dropped, also when it failed, so a failed test neither keeps a connector running in the shared cluster
 * nor leaves data on a shared MONGO_URI server).
 */
abstract class ReplicaSetSupport {
    static final String CONNECTOR = "io.cdpconnect.mongo.MongoCdcSourceConnector";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    protected static MongoClient client;
    protected static ConnectTestCluster connect;
    protected static String uri;

    private final List<String> connectors = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();

    /** Called by subclasses once the server is known. */
    protected static void startWith(String mongoUri) {
        uri = mongoUri;
        client = MongoClients.create(mongoUri);
        connect = ConnectTestCluster.builder().workers(1).start();
    }

    @AfterAll
    static void stopAll() {
        if (connect != null) {
            connect.close();
            connect = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @AfterEach
    void cleanUp() {
        for (String name : connectors) {
            try {
                connect.deleteConnector(name);
            } catch (RuntimeException alreadyGone) {
                // deleted by the test itself
            }
        }
        for (String db : databases) {
            client.getDatabase(db).drop();
        }
    }

    /** A fresh database per test so runs against a shared server do not see each other; dropped after the test. */
    String database() {
        String db = "cdp_it_" + UUID.randomUUID().toString().substring(0, 8);
        databases.add(db);
        return db;
    }

    /** Creates or updates a connector; it is deleted after the test. */
    void putConnector(String name, Map<String, String> config) {
        track(name);
        connect.putConnectorConfig(name, config);
    }

    /** A connector the test created another way (e.g. POST with an initial state); deleted after the test. */
    void track(String name) {
        if (!connectors.contains(name)) {
            connectors.add(name);
        }
    }

    static Map<String, String> config(String database, String prefix) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR);
        c.put("tasks.max", "1");
        c.put("mongo.uri", uri);
        c.put("database", database);
        c.put("topic.prefix", prefix);
        c.put("delete.tombstones", "false"); // tombstones are covered by CollectionStreamIT
        c.put("output.format", "schema");
        c.put("poll.await.ms", "200");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "false");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "false");
        c.put("value.converter.decimal.format", "NUMERIC");
        return c;
    }

    /** What {@code PUT /connector-plugins/.../config/validate} reports on one option (empty: nothing). */
    static String validationErrors(Map<String, String> config, String option) {
        for (com.fasterxml.jackson.databind.JsonNode c :
                connect.validateConfig(CONNECTOR, config).path("configs")) {
            if (c.path("value").path("name").asText().equals(option)) {
                return c.path("value").path("errors").isEmpty()
                        ? ""
                        : c.path("value").path("errors").toString();
            }
        }
        throw new AssertionError("validate did not report the option " + option);
    }

    /** Everything on the topics so far; empty while a topic does not exist yet. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String... topics) {
        try {
            return connect.consumeAll(Duration.ofSeconds(20), topics);
        } catch (AssertionError notYet) {
            return List.of();
        }
    }

    static List<Records.Event> awaitEvents(int count, String topic) {
        List<Records.Event>[] last = new List[] {List.of()};
        ConnectTestCluster.waitFor(
                TIMEOUT,
                count + " records on " + topic,
                () -> {
                    last[0] = Records.parse(readAll(topic));
                    return last[0].size() >= count;
                },
                () -> "got " + last[0]);
        return last[0];
    }

    static final class Json {
        private Json() {}

        static String write(Object value) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
