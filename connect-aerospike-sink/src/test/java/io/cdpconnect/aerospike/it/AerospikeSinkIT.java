/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.it;

import static io.cdpconnect.testing.ConnectTestCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.Bin;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.Key;
import com.aerospike.client.Record;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.WritePolicy;
import com.aerospike.client.query.Filter;
import com.aerospike.client.query.IndexCollectionType;
import com.aerospike.client.query.RecordSet;
import com.aerospike.client.query.Statement;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.testing.ConnectTestCluster;
import io.cdpconnect.testing.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The connector on an embedded Connect cluster, configured by JSON over REST, loaded from its plugin folder,
 * writing to a real Aerospike server (AEROSPIKE_HOSTS or Testcontainers); every assertion reads Aerospike with
 * the client directly. Each test uses its own topics and sets, so the tests also run against a shared server.
 */
@RequiresAerospike
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AerospikeSinkIT {

    private static final String CONNECTOR_CLASS = "io.cdpconnect.aerospike.AerospikeSinkConnector";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String run = "t" + UUID.randomUUID().toString().substring(0, 6);
    private final Set<String> sets = new HashSet<>();
    private AerospikeServer server;
    private IAerospikeClient client;
    private ConnectTestCluster connect;

    @BeforeAll
    void start() {
        server = AerospikeServer.get();
        client = server.client();
        connect = ConnectTestCluster.builder().name("aerospike-it").start();
    }

    @AfterAll
    void stop() {
        if (connect != null) {
            connect.close();
        }
        if (client != null) {
            for (String set : sets) {
                try {
                    client.truncate(null, server.namespace(), set, null);
                    client.dropIndex(null, server.namespace(), set, "cdp_" + set + "_segments_keys");
                } catch (AerospikeException ignored) {
                    // best-effort cleanup of a shared server
                }
            }
        }
    }

    private String set(String name) {
        String set = run + "_" + name;
        sets.add(set);
        return set;
    }

    private String connectorJson(String topic, String set, String mode, String extra) {
        return """
                {
                  "connector.class": "%s",
                  "tasks.max": "1",
                  "topics": "%s",
                  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                  "value.converter": "org.apache.kafka.connect.storage.StringConverter",
                  "aerospike.hosts": "%s",
                  "aerospike.namespace": "%s",
                  "aerospike.set": "%s",
                  "write.mode": "%s",
                  "retry.backoff.ms": "500"%s
                }""".formatted(
                        CONNECTOR_CLASS,
                        topic,
                        server.hosts(),
                        server.namespace(),
                        set,
                        mode,
                        extra.isEmpty() ? "" : ",\n" + extra);
    }

    private static String segmentUpdate(String user, String segment, String op, Instant ts, Long ttlSeconds) {
        return "{\"user_id\":\"" + user + "\",\"segment_id\":\"" + segment + "\",\"op\":\"" + op + "\",\"ts\":\"" + ts
                + "\"" + (ttlSeconds == null ? "" : ",\"ttl_seconds\":" + ttlSeconds) + "}";
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> mapBin(String set, String user, String bin) {
        Record record = client.get(null, new Key(server.namespace(), set, user));
        return record == null ? null : (Map<Object, Object>) record.getMap(bin);
    }

    /** Keys of the membership map; an empty map bin and no bin mean the same to readers. */
    private Set<Object> segmentsOf(String set, String user) {
        Map<Object, Object> m = mapBin(set, user, "segments");
        return m == null ? Set.of() : m.keySet();
    }

    /** "Users in S" by the MAPKEYS index, once the index (built in the background by the task) answers. */
    private Set<String> usersInByIndex(String set, String segment) {
        @SuppressWarnings("unchecked")
        Set<String>[] users = new Set[1];
        waitFor(WAIT, "the MAPKEYS index of " + set, () -> {
            try {
                users[0] = queryUsersIn(set, segment);
                return true;
            } catch (AerospikeException e) {
                if (e.getResultCode() == ResultCode.INDEX_NOTFOUND
                        || e.getResultCode() == ResultCode.INDEX_NOTREADABLE) {
                    return false;
                }
                throw e;
            }
        });
        return users[0];
    }

    private Set<String> queryUsersIn(String set, String segment) {
        Statement statement = new Statement();
        statement.setNamespace(server.namespace());
        statement.setSetName(set);
        statement.setBinNames("segments");
        statement.setFilter(Filter.contains("segments", IndexCollectionType.MAPKEYS, segment));
        Set<String> users = new TreeSet<>();
        try (RecordSet rs = client.query(null, statement)) {
            while (rs.next()) {
                assertThat(rs.getKey().userKey).as("sink stores the user key").isNotNull();
                users.add(rs.getKey().userKey.toString());
            }
        }
        return users;
    }

    @Test
    void segmentsAddRemoveLateAndReplayedEventsAndReverseLookup() {
        String topic = run + ".segments";
        String set = set("seg");
        connect.createTopic(topic, 1);
        connect.putConnectorConfig(run + "-segments", connectorJson(topic, set, "segments", """
                  "key.field": "user_id" """));
        connect.awaitRunning(run + "-segments", 1);

        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        connect.produce(topic, "u-1", segmentUpdate("u-1", "high-value", "add", t0, null));
        connect.produce(topic, "u-2", segmentUpdate("u-2", "high-value", "add", t0, null));
        connect.produce(topic, "u-3", segmentUpdate("u-3", "high-value", "add", t0, null));
        connect.produce(topic, "u-1", segmentUpdate("u-1", "churn-risk", "add", t0, 86_400L));
        connect.produce(topic, "u-2", segmentUpdate("u-2", "high-value", "remove", t0.plusSeconds(10), null));
        // late: older than the removal, must not resurrect u-2's membership
        connect.produce(topic, "u-2", segmentUpdate("u-2", "high-value", "add", t0.plusSeconds(5), null));
        // replays of earlier updates
        connect.produce(topic, "u-1", segmentUpdate("u-1", "high-value", "add", t0, null));
        connect.produce(topic, "u-2", segmentUpdate("u-2", "high-value", "remove", t0.plusSeconds(10), null));
        // tie: a removal and an add at the same time, removal wins
        connect.produce(topic, "u-3", segmentUpdate("u-3", "high-value", "remove", t0.plusSeconds(20), null));
        connect.produce(topic, "u-3", segmentUpdate("u-3", "high-value", "add", t0.plusSeconds(20), null));
        connect.produce(topic, "u-4", segmentUpdate("u-4", "high-value", "add", t0.plusSeconds(1), null));

        waitFor(WAIT, "u-4's membership", () -> mapBin(set, "u-4", "segments") != null);
        assertThat(mapBin(set, "u-1", "segments"))
                .containsOnly(Map.entry("high-value", 0L), Map.entry("churn-risk", t0.getEpochSecond() + 86_400L));
        assertThat(mapBin(set, "u-1", "segments_ts"))
                .containsOnly(Map.entry("high-value", t0.toEpochMilli()), Map.entry("churn-risk", t0.toEpochMilli()));
        assertThat(segmentsOf(set, "u-2")).isEmpty();
        assertThat(mapBin(set, "u-2", "segments_ts"))
                .containsOnly(Map.entry("high-value", t0.plusSeconds(10).toEpochMilli()));
        assertThat(segmentsOf(set, "u-3")).isEmpty();
        assertThat(usersInByIndex(set, "high-value")).containsExactly("u-1", "u-4");
        assertThat(usersInByIndex(set, "churn-risk")).containsExactly("u-1");

        // the whole topic again, as after a crash before the offset commit: nothing changes
        replayFromStart(run + "-segments");
        awaitCommitted(run + "-segments", topic, Map.of(0, 11L));
        assertThat(segmentsOf(set, "u-2")).isEmpty();
        assertThat(segmentsOf(set, "u-3")).isEmpty();
        assertThat(usersInByIndex(set, "high-value")).containsExactly("u-1", "u-4");

        // a genuinely newer add brings u-2 back
        connect.produce(topic, "u-2", segmentUpdate("u-2", "high-value", "add", t0.plusSeconds(30), null));
        waitFor(
                WAIT,
                "u-2 back in high-value",
                () -> usersInByIndex(set, "high-value").contains("u-2"));
        assertThat(connect.connectorStatus(run + "-segments")
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
    }

    @Test
    void membershipsExpireAndArePrunedOnTheNextWrite() {
        String topic = run + ".expiry";
        String set = set("exp");
        connect.createTopic(topic, 1);
        connect.putConnectorConfig(run + "-expiry", connectorJson(topic, set, "segments", """
                  "key.field": "user_id" """));
        connect.awaitRunning(run + "-expiry", 1);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // 10 s: long enough to be written before it expires, short enough to wait for
        connect.produce(topic, "u-1", segmentUpdate("u-1", "flash-sale", "add", now, 10L));
        connect.produce(topic, "u-1", segmentUpdate("u-1", "loyal", "add", now, null));
        waitFor(WAIT, "memberships", () -> {
            Map<Object, Object> m = mapBin(set, "u-1", "segments");
            return m != null && m.size() == 2;
        });
        assertThat(mapBin(set, "u-1", "segments").get("flash-sale")).isEqualTo(now.getEpochSecond() + 10);
        waitFor(
                Duration.ofSeconds(20),
                "flash-sale to expire",
                () -> Instant.now().getEpochSecond() > now.getEpochSecond() + 10);
        connect.produce(topic, "u-1", segmentUpdate("u-1", "newsletter", "add", Instant.now(), null));
        waitFor(WAIT, "the pruning write", () -> mapBin(set, "u-1", "segments").containsKey("newsletter"));
        assertThat(mapBin(set, "u-1", "segments")).containsOnlyKeys("loyal", "newsletter");
        assertThat(mapBin(set, "u-1", "segments_ts")).containsKey("flash-sale"); // still guards against late adds
    }

    @Test
    void countersAreExactlyOnceAcrossTaskRestartsAndRedelivery() {
        String topic = run + ".orders";
        String set = set("cnt");
        String name = run + "-counters";
        connect.createTopic(topic, 2);
        connect.putConnectorConfig(name, connectorJson(topic, set, "counters", """
                  "key.field": "customer_id",
                  "counters.increments": "order_count=1,revenue=total:double,items=item_count" """));
        connect.awaitRunning(name, 1);
        for (int i = 0; i < 10; i++) {
            connect.produce(
                    topic,
                    i % 2,
                    "c-" + (i % 3),
                    "{\"customer_id\":\"c-" + (i % 3) + "\",\"total\":10.25,\"item_count\":2}");
        }
        waitFor(WAIT, "10 orders counted", () -> totalOrders(set) == 10);

        connect.rest().post("/connectors/" + name + "/tasks/0/restart", "");
        connect.awaitRunning(name, 1);
        for (int i = 10; i < 16; i++) {
            connect.produce(
                    topic,
                    i % 2,
                    "c-" + (i % 3),
                    "{\"customer_id\":\"c-" + (i % 3) + "\",\"total\":10.25,\"item_count\":2}");
        }
        waitFor(WAIT, "16 orders counted", () -> totalOrders(set) == 16);

        // everything redelivered from offset 0: the offset guard filters every replay out
        replayFromStart(name);
        awaitCommitted(name, topic, Map.of(0, 8L, 1, 8L));
        int[] expected = {6, 5, 5}; // c-0: i%3==0 for i in 0..15 -> 0,3,6,9,12,15
        for (int c = 0; c < 3; c++) {
            Record record = client.get(null, new Key(server.namespace(), set, "c-" + c));
            assertThat(record.getLong("order_count")).as("c-" + c).isEqualTo(expected[c]);
            assertThat(record.getDouble("revenue")).as("c-" + c).isEqualTo(10.25 * expected[c]);
            assertThat(record.getLong("items")).as("c-" + c).isEqualTo(2L * expected[c]);
            assertThat(record.getMap("kafka_offsets")).isNotEmpty();
        }
        assertThat(totalOrders(set)).isEqualTo(16);
    }

    private long totalOrders(String set) {
        long total = 0;
        for (int c = 0; c < 3; c++) {
            Record record = client.get(null, new Key(server.namespace(), set, "c-" + c));
            total += record == null ? 0 : record.getLong("order_count");
        }
        return total;
    }

    @Test
    void badRecordsGoToTheDeadLetterQueueWithTheReason() {
        String topic = run + ".bad";
        String dlq = run + ".dlq";
        String set = set("dlq");
        String name = run + "-dlq";
        connect.createTopic(topic, 1);
        // a record whose counter bin holds a string: the server refuses the add (BIN_TYPE_ERROR)
        client.put(new WritePolicy(), new Key(server.namespace(), set, "c-str"), new Bin("order_count", "many"));
        connect.putConnectorConfig(name, connectorJson(topic, set, "counters", """
                  "key.field": "customer_id",
                  "counters.increments": "order_count=1",
                  "errors.tolerance": "all",
                  "errors.deadletterqueue.topic.name": "%s",
                  "errors.deadletterqueue.topic.replication.factor": "1",
                  "errors.deadletterqueue.context.headers.enable": "true" """.formatted(dlq)));
        connect.awaitRunning(name, 1);
        connect.produce(topic, null, "{\"customer_id\":\"c-ok\"}");
        connect.produce(topic, null, "not json at all");
        connect.produce(topic, null, "{\"no_customer\":true}");
        connect.produce(topic, null, "{\"customer_id\":\"c-str\"}");
        connect.produce(topic, null, "{\"customer_id\":\"c-ok\"}");

        List<ConsumerRecord<byte[], byte[]>> dead = connect.consume(3, WAIT, dlq);
        assertThat(dead).hasSize(3);
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            Header message = record.headers().lastHeader("__connect.errors.exception.message");
            assertThat(message).isNotNull();
            reasons.add(new String(message.value(), StandardCharsets.UTF_8));
        }
        assertThat(reasons)
                .satisfiesExactly(
                        r -> assertThat(r).contains("not valid JSON"),
                        r -> assertThat(r).contains("'customer_id' is missing"),
                        r -> assertThat(r).contains("result code " + ResultCode.BIN_TYPE_ERROR));
        waitFor(WAIT, "the good records", () -> {
            Record ok = client.get(null, new Key(server.namespace(), set, "c-ok"));
            return ok != null && ok.getLong("order_count") == 2;
        });
        assertThat(client.get(null, new Key(server.namespace(), set, "c-str")).getString("order_count"))
                .isEqualTo("many");
        assertThat(connect.connectorStatus(name)
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
    }

    @Test
    void binsModeMapsFieldsAndDeletesOnTombstones() {
        String topic = run + ".customers";
        String set = set("bins");
        String name = run + "-bins";
        connect.createTopic(topic, 1);
        connect.putConnectorConfig(name, connectorJson(topic, set, "bins", """
                  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                  "value.converter.schemas.enable": "false",
                  "bins.exclude": "internal",
                  "bins.rename": "lifetime_value_eur:ltv_eur",
                  "bins.write.action": "REPLACE" """));
        connect.awaitRunning(name, 1);
        connect.produce(
                topic,
                "c-1",
                "{\"customer_id\":\"c-1\",\"tier\":\"gold\",\"lifetime_value_eur\":129.9,"
                        + "\"orders\":7,\"vip\":true,\"tags\":[\"a\",\"b\"],\"address\":{\"city\":\"Lyon\"},\"internal\":1}");
        connect.produce(topic, "c-2", "{\"tier\":\"silver\"}");
        connect.produce(topic, "c-2", null);
        connect.produce(topic, "c-3", "{\"tier\":\"bronze\"}");
        waitFor(WAIT, "c-3", () -> client.get(null, new Key(server.namespace(), set, "c-3")) != null);
        Record c1 = client.get(null, new Key(server.namespace(), set, "c-1"));
        assertThat(c1.bins).containsOnlyKeys("customer_id", "tier", "ltv_eur", "orders", "vip", "tags", "address");
        assertThat(c1.getString("tier")).isEqualTo("gold");
        assertThat(c1.getDouble("ltv_eur")).isEqualTo(129.9);
        assertThat(c1.getLong("orders")).isEqualTo(7L);
        assertThat(c1.getBoolean("vip")).isTrue();
        assertThat(c1.getList("tags")).isEqualTo(List.of("a", "b"));
        assertThat(c1.getMap("address")).isEqualTo(Map.of("city", "Lyon"));
        assertThat(client.get(null, new Key(server.namespace(), set, "c-2"))).isNull();
    }

    @Test
    void serverUnavailableThenBackLosesNothing() throws Exception {
        String topic = run + ".outage";
        String set = set("out");
        String name = run + "-outage";
        connect.createTopic(topic, 1);
        try (TcpProxy proxy = new TcpProxy(server.firstHost().name, server.firstHost().port)) {
            String json = connectorJson(topic, set, "counters", """
                      "key.field": "customer_id",
                      "counters.increments": "order_count=1",
                      "aerospike.total.timeout.ms": "2000",
                      "aerospike.socket.timeout.ms": "1000",
                      "aerospike.max.retries": "1" """)
                    .replace(
                            "\"aerospike.hosts\": \"" + server.hosts() + "\"",
                            "\"aerospike.hosts\": \"127.0.0.1:" + proxy.port() + "\"");
            connect.putConnectorConfig(name, json);
            connect.awaitRunning(name, 1);
            connect.produce(topic, null, "{\"customer_id\":\"c-1\"}");
            waitFor(WAIT, "first order", () -> count(set, "c-1") == 1);

            proxy.cut();
            for (int i = 0; i < 20; i++) {
                connect.produce(topic, null, "{\"customer_id\":\"c-" + (i % 2) + "\"}");
            }
            Thread.sleep(8_000);
            JsonNode status = connect.connectorStatus(name);
            assertThat(status.path("tasks").get(0).path("state").asText())
                    .as(status.toString())
                    .isEqualTo("RUNNING");
            assertThat(count(set, "c-1"))
                    .as("nothing can be written during the outage")
                    .isEqualTo(1);

            proxy.restore();
            waitFor(
                    Duration.ofSeconds(90),
                    "all orders after the outage",
                    () -> count(set, "c-0") == 10 && count(set, "c-1") == 11);
            Thread.sleep(2_000); // a duplicate would show up here
            assertThat(count(set, "c-0")).isEqualTo(10);
            assertThat(count(set, "c-1")).isEqualTo(11);
            assertThat(connect.connectorStatus(name)
                            .path("tasks")
                            .get(0)
                            .path("state")
                            .asText())
                    .isEqualTo("RUNNING");
        }
    }

    @Test
    void tombstonesDeleteTheRecordTheirKeyFieldWroteWithKeyTypeLong() {
        String topic = run + ".tomb";
        String set = set("tomb");
        String name = run + "-tomb";
        connect.createTopic(topic, 1);
        connect.putConnectorConfig(name, connectorJson(topic, set, "bins", """
                  "key.field": "customer_id",
                  "key.type": "long" """));
        connect.awaitRunning(name, 1);
        // StringConverter keys "42" (text) for values whose customer_id is the JSON integer 42
        connect.produce(topic, "42", "{\"customer_id\":42,\"tier\":\"gold\"}");
        connect.produce(topic, "43", "{\"customer_id\":43,\"tier\":\"silver\"}");
        Key k42 = new Key(server.namespace(), set, 42L);
        Key k43 = new Key(server.namespace(), set, 43L);
        waitFor(WAIT, "both customers", () -> client.get(null, k42) != null && client.get(null, k43) != null);
        connect.produce(topic, "42", null);
        connect.produce(topic, "44", null); // a delete of a record that never existed: a counted no-op
        connect.produce(topic, "43", "{\"customer_id\":43,\"tier\":\"bronze\"}");
        waitFor(
                WAIT,
                "the later update of 43",
                () -> "bronze".equals(client.get(null, k43).getString("tier")));
        assertThat(client.get(null, k42))
                .as("the tombstone deleted the integer-keyed record")
                .isNull();
        assertThat(client.get(null, new Key(server.namespace(), set, "42"))).isNull();
        awaitCommitted(name, topic, Map.of(0, 5L));
        assertThat(connect.connectorStatus(name)
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
    }

    @Test
    void countersAreKeyedOnTheOriginalTopicAndMoneyIsExactInCents() {
        String topic = run + ".money";
        String set = set("money");
        String name = run + "-money";
        connect.createTopic(topic, 1);
        connect.putConnectorConfig(name, connectorJson(topic, set, "counters", """
                  "key.field": "customer_id",
                  "counters.increments": "order_count=1,revenue_cents=total:cents",
                  "transforms": "route",
                  "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
                  "transforms.route.regex": ".*",
                  "transforms.route.replacement": "routed-orders" """));
        connect.awaitRunning(name, 1);
        for (String total : new String[] {"0.10", "0.20", "129.90", "\"39.95\""}) {
            connect.produce(topic, null, "{\"customer_id\":\"c-1\",\"total\":" + total + "}");
        }
        Key key = new Key(server.namespace(), set, "c-1");
        waitFor(WAIT, "four orders", () -> count(set, "c-1") == 4);
        Record record = client.get(null, key);
        assertThat(record.getValue("revenue_cents")).isEqualTo(10L + 20L + 12990L + 3995L);
        @SuppressWarnings("unchecked")
        Map<Object, Object> guard = (Map<Object, Object>) record.getMap("kafka_offsets");
        assertThat(guard).containsOnlyKeys(topic + "/0", topic + "/0@ts").containsEntry(topic + "/0", 3L);

        // a full redelivery changes nothing: same original positions, same guard
        replayFromStart(name);
        awaitCommitted(name, topic, Map.of(0, 4L));
        assertThat(client.get(null, key).getValue("revenue_cents")).isEqualTo(17015L);
        assertThat(count(set, "c-1")).isEqualTo(4);
    }

    @Test
    void countersBehindAGuardOfAnEarlierTopicFailLoudlyOrAreSkippedByPolicy() {
        String topic = run + ".recreated";
        String set = set("regr");
        String name = run + "-regr";
        connect.createTopic(topic, 1);
        // what the previous incarnation of the topic left: offset 1000 applied, from a record of yesterday
        Key key = new Key(server.namespace(), set, "c-1");
        Map<com.aerospike.client.Value, com.aerospike.client.Value> guard = new java.util.LinkedHashMap<>();
        guard.put(com.aerospike.client.Value.get(topic + "/0"), com.aerospike.client.Value.get(1000L));
        guard.put(
                com.aerospike.client.Value.get(topic + "/0@ts"),
                com.aerospike.client.Value.get(System.currentTimeMillis() - 86_400_000L));
        client.operate(
                null,
                key,
                com.aerospike.client.Operation.put(new Bin("order_count", 5L)),
                com.aerospike.client.cdt.MapOperation.putItems(
                        com.aerospike.client.cdt.MapPolicy.Default, "kafka_offsets", guard));
        String base = connectorJson(topic, set, "counters", """
                  "key.field": "customer_id",
                  "counters.increments": "order_count=1" """);
        connect.putConnectorConfig(name, base);
        connect.awaitRunning(name, 1);
        connect.produce(topic, null, "{\"customer_id\":\"c-1\"}");
        String trace = connect.awaitTaskFailed(name);
        assertThat(trace)
                .contains(topic + "-0@0")
                .contains("offset 1000")
                .contains("counters.offset.regression")
                .contains("counters.offsets.bin");
        assertThat(count(set, "c-1"))
                .as("nothing counted, nothing lost: the record waits in Kafka")
                .isEqualTo(5);

        // the explicit choice to drop them: the task runs on, skipping only the regressed record
        connect.putConnectorConfig(
                name,
                base.replace(
                        "\"counters.increments\"",
                        "\"counters.offset.regression\": \"skip\",\n  \"counters.increments\""));
        // new task configs: the worker replaces the failed task
        connect.awaitRunning(name, 1);
        connect.produce(topic, null, "{\"customer_id\":\"c-2\"}");
        waitFor(WAIT, "c-2 counted", () -> count(set, "c-2") == 1);
        awaitCommitted(name, topic, Map.of(0, 2L));
        assertThat(count(set, "c-1")).isEqualTo(5);
    }

    @Test
    void compositeDigestAndNamespaceFieldKeysAndPerRecordTtl() {
        String topic = run + ".keys";
        String set = set("keys");
        connect.createTopic(topic, 1);
        // composite key from two fields, per-record TTL from a field (the namespace needs nsup-period > 0 for
        // positive TTLs, as in the server image's default configuration)
        connect.putConnectorConfig(run + "-composite", connectorJson(topic, set, "bins", """
                  "key.fields": "tenant,customer_id",
                  "ttl.field": "ttl",
                  "record.ttl.seconds": "-1" """));
        // the namespace from a field: aerospike.namespace names one that does not exist
        connect.putConnectorConfig(
                run + "-nsfield",
                connectorJson(topic, set + "n", "bins", """
                  "aerospike.namespace.field": "ns",
                  "key.field": "customer_id" """)
                        .replace(
                                "\"aerospike.namespace\": \"" + server.namespace() + "\"",
                                "\"aerospike.namespace\": \"no_such_ns\""));
        sets.add(set + "n");
        connect.awaitRunning(run + "-composite", 1);
        connect.awaitRunning(run + "-nsfield", 1);
        connect.produce(
                topic,
                null,
                "{\"tenant\":\"t1\",\"customer_id\":42,\"ttl\":86400,\"ns\":\"" + server.namespace() + "\"}");
        connect.produce(topic, null, "{\"tenant\":\"t2\",\"customer_id\":42,\"ns\":\"" + server.namespace() + "\"}");
        Key t1 = new Key(server.namespace(), set, "t1:42");
        Key t2 = new Key(server.namespace(), set, "t2:42");
        waitFor(WAIT, "both composite keys", () -> client.get(null, t1) != null && client.get(null, t2) != null);
        assertThat(client.get(null, t1).getTimeToLive()).isBetween(86_400 - 600, 86_400);
        assertThat(client.get(null, t2).getTimeToLive())
                .as("record.ttl.seconds=-1: never expires")
                .isEqualTo(-1);
        waitFor(
                WAIT,
                "the record in the field's namespace",
                () -> client.get(null, new Key(server.namespace(), set + "n", 42L)) != null);

        // a digest key: the value carries the digest a service computed for "c-dig"
        String digestTopic = run + ".digest";
        connect.createTopic(digestTopic, 1);
        connect.putConnectorConfig(run + "-digest", connectorJson(digestTopic, set, "bins", """
                  "key.field": "digest",
                  "key.digest": "true",
                  "bins.exclude": "digest" """));
        connect.awaitRunning(run + "-digest", 1);
        Key byUserKey = new Key(server.namespace(), set, "c-dig");
        connect.produce(
                digestTopic,
                null,
                "{\"digest\":\"" + java.util.HexFormat.of().formatHex(byUserKey.digest) + "\",\"tier\":\"gold\"}");
        waitFor(WAIT, "the digest-keyed record", () -> client.get(null, byUserKey) != null);
        assertThat(client.get(null, byUserKey).bins).containsOnlyKeys("tier");
    }

    @Test
    void binsWritePoliciesUpdateOnlyGenerationCheckAndNewerOnly() {
        String topic = run + ".policies";
        String dlq = run + ".policies.dlq";
        String set = set("pol");
        String name = run + "-policies";
        connect.createTopic(topic, 1);
        Key existing = new Key(server.namespace(), set, "c-1");
        client.put(null, existing, new Bin("tier", "bronze")); // generation 1
        connect.putConnectorConfig(name, connectorJson(topic, set, "bins", """
                  "key.field": "customer_id",
                  "bins.write.action": "UPDATE_ONLY",
                  "bins.generation.check": "expect_equal",
                  "bins.generation.field": "gen",
                  "bins.exclude": "gen",
                  "aerospike.commit.level": "master",
                  "errors.tolerance": "all",
                  "errors.deadletterqueue.topic.name": "%s",
                  "errors.deadletterqueue.topic.replication.factor": "1",
                  "errors.deadletterqueue.context.headers.enable": "true" """.formatted(dlq)));
        connect.awaitRunning(name, 1);
        connect.produce(topic, null, "{\"customer_id\":\"c-1\",\"tier\":\"silver\",\"gen\":1}"); // applies: gen 1 -> 2
        connect.produce(topic, null, "{\"customer_id\":\"c-1\",\"tier\":\"stale\",\"gen\":1}"); // gen is 2 now: DLQ
        connect.produce(topic, null, "{\"customer_id\":\"c-new\",\"tier\":\"gold\",\"gen\":0}"); // UPDATE_ONLY: no-op
        List<ConsumerRecord<byte[], byte[]>> dead = connect.consume(1, WAIT, dlq);
        assertThat(new String(
                        dead.get(0)
                                .headers()
                                .lastHeader("__connect.errors.exception.message")
                                .value(),
                        StandardCharsets.UTF_8))
                .contains("result code " + ResultCode.GENERATION_ERROR);
        awaitCommitted(name, topic, Map.of(0, 3L));
        assertThat(client.get(null, existing).getString("tier")).isEqualTo("silver");
        assertThat(client.get(null, existing).generation).isEqualTo(2);
        assertThat(client.get(null, new Key(server.namespace(), set, "c-new")))
                .as("UPDATE_ONLY creates nothing")
                .isNull();
        assertThat(connect.consumeAll(Duration.ofSeconds(5), dlq)).hasSize(1);

        // newer-only: a late record with an older updated_at does not overwrite newer data
        String tsTopic = run + ".newer";
        connect.createTopic(tsTopic, 1);
        connect.putConnectorConfig(name + "-ts", connectorJson(tsTopic, set, "bins", """
                  "key.field": "customer_id",
                  "bins.ts.field": "updated_at" """));
        connect.awaitRunning(name + "-ts", 1);
        connect.produce(
                tsTopic, null, "{\"customer_id\":\"c-ts\",\"tier\":\"gold\",\"updated_at\":\"2026-11-23T10:00:00Z\"}");
        connect.produce(
                tsTopic, null, "{\"customer_id\":\"c-ts\",\"tier\":\"late\",\"updated_at\":\"2026-11-23T09:00:00Z\"}");
        connect.produce(
                tsTopic, null, "{\"customer_id\":\"c-ts2\",\"tier\":\"x\",\"updated_at\":\"2026-11-23T09:00:00Z\"}");
        awaitCommitted(name + "-ts", tsTopic, Map.of(0, 3L));
        Record cts = client.get(null, new Key(server.namespace(), set, "c-ts"));
        assertThat(cts.getString("tier")).isEqualTo("gold");
        assertThat(cts.getLong("cdp_ts"))
                .isEqualTo(java.time.Instant.parse("2026-11-23T10:00:00Z").toEpochMilli());
        replayFromStart(name + "-ts");
        awaitCommitted(name + "-ts", tsTopic, Map.of(0, 3L));
        assertThat(client.get(null, new Key(server.namespace(), set, "c-ts")).getString("tier"))
                .isEqualTo("gold");
    }

    private long count(String set, String customer) {
        Record record = client.get(null, new Key(server.namespace(), set, customer));
        return record == null ? 0 : record.getLong("order_count");
    }

    /** Waits until the connector has committed these offsets: every record before them has been written. */
    private void awaitCommitted(String name, String topic, Map<Integer, Long> expected) {
        JsonNode[] last = new JsonNode[1];
        waitFor(
                WAIT,
                name + " committed " + expected,
                () -> {
                    last[0] = connect.rest().get("/connectors/" + name + "/offsets");
                    Map<Integer, Long> committed = new java.util.HashMap<>();
                    for (JsonNode entry : last[0].path("offsets")) {
                        if (topic.equals(
                                entry.path("partition").path("kafka_topic").asText())) {
                            committed.put(
                                    entry.path("partition")
                                            .path("kafka_partition")
                                            .asInt(),
                                    entry.path("offset").path("kafka_offset").asLong());
                        }
                    }
                    return committed.equals(expected);
                },
                () -> "last offsets: " + last[0]);
    }

    /** Stops the connector, deletes its consumer offsets and resumes it: the whole topic is redelivered. */
    private void replayFromStart(String name) {
        connect.rest().put("/connectors/" + name + "/stop", "");
        connect.awaitStatus(
                name,
                name + " STOPPED",
                s -> "STOPPED".equals(s.path("connector").path("state").asText()));
        connect.rest().delete("/connectors/" + name + "/offsets");
        connect.rest().put("/connectors/" + name + "/resume", "");
        connect.awaitRunning(name, 1);
    }
}
