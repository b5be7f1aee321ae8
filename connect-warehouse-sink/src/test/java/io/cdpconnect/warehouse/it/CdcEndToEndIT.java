/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import static io.cdpconnect.testing.ConnectTestCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.mongo.SourceEvents;
import io.cdpconnect.mongo.SourceEvents.Message;
import io.cdpconnect.testing.ConnectTestCluster;
import io.cdpconnect.testing.TestPostgres;
import io.debezium.data.Envelope;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change data capture end to end, on a real Connect cluster (the plugin from its plugin folder, JSON config over
 * REST) into real PostgreSQL and DuckDB: inserts, updates, replaces and deletes of several keys, interleaved, a
 * re-insert after a delete, one batch holding several changes of one key, a task restart mid-stream and a full
 * redelivery (offsets patched back to 0): after each step the table holds exactly the source's state, and nothing
 * is dead-lettered.
 *
 * <p>The MongoDB events are made by the MongoDB source's own converter ({@link SourceEvents}) from driver change
 * stream documents, with the tombstone it sends after each delete, in both its output formats; the Debezium
 * events by Debezium's own {@link Envelope}, with the tombstone Debezium sends after each delete.
 */
class CdcEndToEndIT {

    private static final String CONNECTOR = "io.cdpconnect.warehouse.WarehouseSinkConnector";

    private static ConnectTestCluster connect;
    private static TestPostgres pg;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.get();
        dir = Files.createDirectories(Path.of("target", "cdc-it")).toAbsolutePath();
        connect = ConnectTestCluster.builder().name("warehouse-cdc").start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
    }

    // ------------------------------------------------------------------ MongoDB source → warehouse

    @Test
    void mongoChangeEventsOnPostgres() throws Exception {
        String url = pg.createDatabase("wh_cdc_mongo");
        mongoScenario("cdc-mongo-pg", false, postgres(url), Sql.of(url, pg.user(), pg.password()), false);
    }

    @Test
    void mongoChangeEventsOnDuckDb() throws Exception {
        Path file = freshDuck("mongo");
        mongoScenario("cdc-mongo-duck", false, duck(file), duckSql(file), true);
    }

    @Test
    void mongoJsonOutputOnPostgres() throws Exception {
        String url = pg.createDatabase("wh_cdc_mongo_json");
        mongoScenario("cdc-mongojson-pg", true, postgres(url), Sql.of(url, pg.user(), pg.password()), false);
    }

    @Test
    void mongoJsonOutputOnDuckDb() throws Exception {
        Path file = freshDuck("mongojson");
        mongoScenario("cdc-mongojson-duck", true, duck(file), duckSql(file), true);
    }

    /** The shipped orders pipeline's warehouse sink, its config as in the folder. */
    private static final Path ORDERS_SINK =
            Path.of("..", "packaging", "pipelines", "orders-to-customer-stats", "20-orders-warehouse.json");

    /**
     * The orders pipeline's sink config, read from the pipeline folder (so a change there that stopped applying
     * deletes fails this test), pointed at this test's topic and database; for output.format=json with the
     * StringConverters that output needs.
     */
    private static Map<String, Object> mongoSinkConfig(String topic, boolean json, String target) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> config = new java.util.LinkedHashMap<>(mapper.convertValue(
                mapper.readTree(Files.readString(ORDERS_SINK)).get("config"), Map.class));
        assertThat(config)
                .containsEntry("cdc.format", "cdp-mongo")
                .containsEntry("insert.mode", "upsert")
                .containsEntry("pk.mode", "record_key");
        config.putAll(mapper.convertValue(mapper.readTree("{" + target + "}"), Map.class));
        config.put("topics", topic);
        config.put("errors.deadletterqueue.topic.name", topic + ".dlq");
        config.put("errors.log.enable", "true");
        config.put("flush.interval.ms", "200");
        if (json) {
            config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.remove("value.converter.schemas.enable");
        }
        return config;
    }

    private void mongoScenario(String name, boolean json, String target, Sql sql, boolean duck) throws Exception {
        String topic = "shop.orders.cdc." + name;
        SourceEvents events = new SourceEvents("shop.orders", topic, json);
        connect.createTopic(topic, 1);
        Orders model = new Orders();
        ObjectId a = new ObjectId();
        ObjectId b = new ObjectId();
        ObjectId c = new ObjectId();
        ObjectId d = new ObjectId();
        ObjectId e = new ObjectId();

        // 1. produced before the connector starts, so the first poll takes all of it: one batch with several
        //    changes of keys a, b and c (update after update, replace, delete then re-insert, insert then delete)
        List<Message> step1 = new ArrayList<>();
        step1.addAll(events.read(order(a, "o-a", "new", "10.00")));
        step1.addAll(events.insert(order(b, "o-b", "new", "20.50")));
        step1.addAll(events.insert(order(c, "o-c", "new", "5")));
        step1.addAll(events.update(order(a, "o-a", "paid", "10.00"), status("paid"), List.of()));
        step1.addAll(events.replace(order(b, "o-b", "shipped", "21.50")));
        step1.addAll(events.delete(new BsonObjectId(c)));
        step1.addAll(events.insert(order(c, "o-c2", "re-created", "7.25")));
        step1.addAll(events.update(order(a, "o-a", "shipped", "11.00"), status("shipped"), List.of()));
        step1.addAll(events.insert(order(d, "o-d", "new", "1")));
        step1.addAll(events.delete(new BsonObjectId(d)));
        produce(topic, step1);
        model.put(a, "o-a", "shipped", "11.00");
        model.put(b, "o-b", "shipped", "21.50");
        model.put(c, "o-c2", "re-created", "7.25");

        connect.putConnectorConfig(name, mongoSinkConfig(topic, json, target));
        connect.awaitRunning(name, 1);
        int produced = step1.size();
        awaitState(name, produced, sql, model, duck);

        // 2. after a task restart (the check above stopped and resumed it, or restart it here)
        restartTask(name);
        List<Message> step2 = new ArrayList<>();
        step2.addAll(events.delete(new BsonObjectId(a)));
        step2.addAll(events.update(order(b, "o-b", "delivered", "21.50"), status("delivered"), List.of()));
        step2.addAll(events.insert(order(e, "o-e", "new", "99.99")));
        step2.addAll(events.insert(order(a, "o-a2", "new again", "3.10"))); // re-insert of a deleted key
        step2.addAll(events.delete(new BsonObjectId(c)));
        produce(topic, step2);
        produced += step2.size();
        model.remove(c);
        model.put(b, "o-b", "delivered", "21.50");
        model.put(e, "o-e", "new", "99.99");
        model.put(a, "o-a2", "new again", "3.10");
        awaitState(name, produced, sql, model, duck);

        // 3. redelivery of everything (Connect's offsets back to 0): the table must not change
        redeliverFromStart(name, topic, produced, sql, model, duck);
        assertThat(connect.consumeAll(Duration.ofSeconds(2), topic + ".dlq"))
                .as("dead-lettered records")
                .isEmpty();
        if (duck) {
            stopConnector(name); // releases the file
        }
        // both output formats give the columns the same types: the id as text, money exact, times as instants
        Map<String, String> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        columns.putAll(sql.columns("orders"));
        assertThat(columns.get("_id")).as("_id column").isIn("text", "VARCHAR");
        assertThat(columns.get("total")).as("total column").matches("(?i)numeric|DECIMAL\\(38,\\d+\\)");
        assertThat(columns.get("created_at")).as("created_at column").containsIgnoringCase("with time zone");
        connect.deleteConnector(name);
    }

    private static BsonDocument order(ObjectId id, String orderId, String status, String total) {
        return new BsonDocument("_id", new BsonObjectId(id))
                .append("order_id", new BsonString(orderId))
                .append("customer_id", new BsonString("c-42"))
                .append("status", new BsonString(status))
                .append("currency", new BsonString("EUR"))
                .append("total", new BsonDecimal128(Decimal128.parse(total)))
                .append(
                        "created_at",
                        new BsonDateTime(Instant.parse("2026-11-23T10:00:00Z").toEpochMilli()))
                .append(
                        "updated_at",
                        new BsonDateTime(Instant.parse("2026-11-23T11:00:00Z").toEpochMilli()));
    }

    private static BsonDocument status(String status) {
        return new BsonDocument("status", new BsonString(status));
    }

    // ------------------------------------------------------------------ Debezium → warehouse

    private static final Schema DBZ_KEY = SchemaBuilder.struct()
            .name("dbserver.shop.orders.Key")
            .field("id", Schema.INT32_SCHEMA)
            .build();
    private static final Schema DBZ_ROW = SchemaBuilder.struct()
            .name("dbserver.shop.orders.Value")
            .optional()
            .field("id", Schema.INT32_SCHEMA)
            .field("order_id", Schema.STRING_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("total", Decimal.builder(2).optional().build())
            .build();
    private static final Schema DBZ_SOURCE = SchemaBuilder.struct()
            .name("io.debezium.connector.postgresql.Source")
            .field("connector", Schema.STRING_SCHEMA)
            .field("db", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .build();
    private static final Envelope DBZ = Envelope.defineSchema()
            .withName("dbserver.shop.orders.Envelope")
            .withRecord(DBZ_ROW)
            .withSource(DBZ_SOURCE)
            .build();

    @Test
    void debeziumChangeEventsOnPostgres() throws Exception {
        String url = pg.createDatabase("wh_cdc_dbz");
        debeziumScenario("cdc-dbz-pg", postgres(url), Sql.of(url, pg.user(), pg.password()), false);
    }

    @Test
    void debeziumChangeEventsOnDuckDb() throws Exception {
        Path file = freshDuck("dbz");
        debeziumScenario("cdc-dbz-duck", duck(file), duckSql(file), true);
    }

    private void debeziumScenario(String name, String target, Sql sql, boolean duck) throws Exception {
        String topic = "dbserver.shop.orders." + name;
        connect.createTopic(topic, 1);
        Debezium events = new Debezium();
        Orders model = new Orders();

        List<Message> step1 = new ArrayList<>();
        step1.add(events.read(1, "o-1", "new", "10.00"));
        step1.add(events.create(2, "o-2", "new", "20.50"));
        step1.add(events.create(3, "o-3", "new", "5.00"));
        step1.add(events.update(1, "o-1", "paid", "10.00"));
        step1.addAll(events.delete(3, "o-3", "new", "5.00"));
        step1.add(events.create(3, "o-3b", "re-created", "7.25"));
        step1.add(events.update(1, "o-1", "shipped", "11.00"));
        step1.add(events.create(4, "o-4", "new", "1.00"));
        step1.addAll(events.delete(4, "o-4", "new", "1.00"));
        produce(topic, step1);
        model.put(1, "o-1", "shipped", "11.00");
        model.put(2, "o-2", "new", "20.50");
        model.put(3, "o-3b", "re-created", "7.25");

        connect.putConnectorConfig(name, """
                {"connector.class": "%s", "tasks.max": "1", "topics": "%s", %s,
                 "key.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "table.name.format": "orders", "cdc.format": "debezium", "insert.mode": "upsert",
                 "pk.mode": "record_key",
                 "errors.tolerance": "all", "errors.deadletterqueue.topic.name": "%s.dlq",
                 "errors.deadletterqueue.topic.replication.factor": "1", "flush.interval.ms": "200"}
                """.formatted(CONNECTOR, topic, target, topic));
        connect.awaitRunning(name, 1);
        int produced = step1.size();
        awaitState(name, produced, sql, model, duck);

        restartTask(name);
        List<Message> step2 = new ArrayList<>();
        step2.addAll(events.delete(1, "o-1", "shipped", "11.00"));
        step2.add(events.update(2, "o-2", "delivered", "20.50"));
        step2.add(events.create(1, "o-1b", "new again", "3.10"));
        step2.add(events.create(5, "o-5", "new", "99.99"));
        produce(topic, step2);
        produced += step2.size();
        model.put(1, "o-1b", "new again", "3.10");
        model.put(2, "o-2", "delivered", "20.50");
        model.put(5, "o-5", "new", "99.99");
        awaitState(name, produced, sql, model, duck);

        redeliverFromStart(name, topic, produced, sql, model, duck);
        assertThat(connect.consumeAll(Duration.ofSeconds(2), topic + ".dlq"))
                .as("dead-lettered records")
                .isEmpty();
        connect.deleteConnector(name);
    }

    /** Debezium change events of one table, made by Debezium's Envelope and serialised as Debezium's JsonConverter. */
    private static final class Debezium {
        private final JsonConverter keys = new JsonConverter();
        private final JsonConverter values = new JsonConverter();
        private final Struct source = new Struct(DBZ_SOURCE)
                .put("connector", "postgresql")
                .put("db", "shop")
                .put("table", "orders");
        private final java.util.Map<Integer, Struct> current = new java.util.HashMap<>();

        Debezium() {
            keys.configure(Map.of(), true);
            values.configure(Map.of(), false);
        }

        Message read(int id, String orderId, String status, String total) {
            Struct row = row(id, orderId, status, total);
            current.put(id, row);
            return message(id, DBZ.read(row, source, Instant.now()));
        }

        Message create(int id, String orderId, String status, String total) {
            Struct row = row(id, orderId, status, total);
            current.put(id, row);
            return message(id, DBZ.create(row, source, Instant.now()));
        }

        Message update(int id, String orderId, String status, String total) {
            Struct row = row(id, orderId, status, total);
            Struct before = current.put(id, row);
            return message(id, DBZ.update(before, row, source, Instant.now()));
        }

        /** The delete event and the tombstone Debezium sends after it (tombstones.on.delete=true). */
        List<Message> delete(int id, String orderId, String status, String total) {
            current.remove(id);
            Message delete = message(id, DBZ.delete(row(id, orderId, status, total), source, Instant.now()));
            return List.of(delete, new Message(delete.key(), null));
        }

        private static Struct row(int id, String orderId, String status, String total) {
            return new Struct(DBZ_ROW)
                    .put("id", id)
                    .put("order_id", orderId)
                    .put("status", status)
                    .put("total", new BigDecimal(total));
        }

        private Message message(int id, Struct envelope) {
            String key = new String(
                    keys.fromConnectData("t", DBZ_KEY, new Struct(DBZ_KEY).put("id", id)), StandardCharsets.UTF_8);
            return new Message(
                    key, new String(values.fromConnectData("t", DBZ.schema(), envelope), StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------ the expected state and the checks

    /** The source table's state: key (as text) → order_id, status, total. */
    private static final class Orders {
        final Map<String, String> rows = new TreeMap<>();

        void put(Object id, String orderId, String status, String total) {
            rows.put(
                    id.toString(),
                    orderId + "|" + status + "|"
                            + new BigDecimal(total).stripTrailingZeros().toPlainString());
        }

        void remove(Object id) {
            rows.remove(id.toString());
        }
    }

    private static Map<String, String> tableState(Sql sql, boolean mongoKey) {
        Map<String, String> out = new TreeMap<>();
        String key = mongoKey ? "\"_id\"" : "id";
        for (Map<String, Object> r : sql.rows("SELECT " + key + " AS k, order_id, status, total FROM orders")) {
            Object total = r.get("total");
            String t;
            try {
                t = (total instanceof BigDecimal bd ? bd : new BigDecimal(String.valueOf(total)))
                        .stripTrailingZeros()
                        .toPlainString();
            } catch (NumberFormatException notANumber) {
                t = String.valueOf(total); // e.g. an extended JSON wrapper stored as JSON: shows in the diff
            }
            out.put(String.valueOf(r.get("k")), r.get("order_id") + "|" + r.get("status") + "|" + t);
        }
        return out;
    }

    /**
     * Waits until Connect committed the offsets of every produced record, then checks the table. DuckDB is read
     * while the connector is stopped (one owner of the file per process); resuming it restarts the task.
     */
    private static void awaitState(String name, int produced, Sql sql, Orders model, boolean duck) throws Exception {
        waitFor(
                Duration.ofSeconds(120),
                name + ": offsets of all " + produced + " records committed",
                () -> connect.rest()
                        .get("/connectors/" + name + "/offsets")
                        .toString()
                        .contains("\"kafka_offset\":" + produced));
        boolean mongoKey = name.contains("mongo");
        if (duck) {
            stopConnector(name);
            assertThat(tableState(sql, mongoKey)).as(name + " table").isEqualTo(model.rows);
            resume(name);
        } else {
            assertThat(tableState(sql, mongoKey)).as(name + " table").isEqualTo(model.rows);
        }
    }

    private static void restartTask(String name) throws Exception {
        send("POST", "/connectors/" + name + "/tasks/0/restart", null);
        connect.awaitRunning(name, 1);
    }

    private static void redeliverFromStart(String name, String topic, int produced, Sql sql, Orders model, boolean duck)
            throws Exception {
        stopConnector(name);
        send("PATCH", "/connectors/" + name + "/offsets", """
                {"offsets": [{"partition": {"kafka_topic": "%s", "kafka_partition": 0},
                              "offset": {"kafka_offset": 0}}]}""".formatted(topic));
        resume(name);
        // the offsets go back to 0 first, so this waits for the replay to reach the end again
        awaitState(name, produced, sql, model, duck);
    }

    private static void produce(String topic, List<Message> messages) {
        for (Message m : messages) {
            connect.produce(topic, m.key(), m.value());
        }
    }

    private static void stopConnector(String name) {
        ConnectCalls.stop(connect, name);
    }

    private static void resume(String name) {
        connect.rest().put("/connectors/" + name + "/resume", "");
        connect.awaitRunning(name, 1);
    }

    private static void send(String method, String path, String body) throws Exception {
        ConnectCalls.send(connect, method, path, body);
    }

    private static String postgres(String url) {
        return "\"warehouse.url\": \"%s\", \"warehouse.user\": \"%s\", \"warehouse.password\": \"%s\""
                .formatted(url, pg.user(), pg.password());
    }

    private static String duck(Path file) {
        return "\"warehouse.url\": \"jdbc:duckdb:%s\"".formatted(file);
    }

    private static Path freshDuck(String name) throws Exception {
        Path file = dir.resolve(name + ".duckdb");
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir.resolve(name + ".duckdb.wal"));
        return file;
    }

    private static Sql duckSql(Path file) {
        return Sql.duckDb("jdbc:duckdb:" + file);
    }
}
