/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import static io.cdpconnect.testing.ConnectTestCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.testing.ConnectRest;
import io.cdpconnect.testing.ConnectTestCluster;
import io.cdpconnect.testing.TcpProxy;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failures on a two-worker cluster against real PostgreSQL: the database vanishing mid-stream (a TCP proxy
 * between the connector and PostgreSQL is cut, then restored) and exactly-once delivery while the worker
 * running the task is removed mid-stream and while Connect's own offsets are wiped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceIT {

    private static final String CONNECTOR = "io.cdpconnect.warehouse.WarehouseSinkConnector";

    private static PostgresFixture db;

    @BeforeAll
    static void start() {
        db = PostgresFixture.start(
                "wh_resilience",
                ConnectTestCluster.builder()
                        .name("warehouse-resilience")
                        .workers(2)
                        // tasks of a departed worker move at once, and Connect commits its offsets rarely: the
                        // warehouse's offsets table has to be what keeps delivery exact
                        .workerProp("scheduled.rebalance.max.delay.ms", "1000")
                        .workerProp("offset.flush.interval.ms", "600000"));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static int port(String jdbcUrl) {
        Matcher m = Pattern.compile("//[^:/]+:(\\d+)/").matcher(jdbcUrl);
        if (!m.find()) {
            throw new IllegalStateException("no port in " + jdbcUrl);
        }
        return Integer.parseInt(m.group(1));
    }

    @Test
    @Order(1)
    void postgresLostAndBackMidStreamLosesNothing() throws Exception {
        try (TcpProxy proxy = new TcpProxy("localhost", port(db.url))) {
            String proxied = db.url.replaceFirst("//[^:/]+:\\d+/", "//127.0.0.1:" + proxy.port() + "/");
            db.connect.createTopic("clicks", 2);
            db.connect.putConnectorConfig(
                    "clicks-sink", """
                    {"connector.class": "%s", "tasks.max": "1", "topics": "clicks",
                     "warehouse.url": "%s", "warehouse.user": "%s", "warehouse.password": "%s",
                     "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                     "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                     "value.converter.schemas.enable": "false",
                     "batch.size": "50", "max.retries": "100", "retry.backoff.ms": "500",
                     "consumer.override.max.poll.records": "50"}
                    """.formatted(CONNECTOR, proxied, db.pg.user(), db.pg.password()));
            db.connect.awaitRunning("clicks-sink", 1);
            produce("clicks", 0, 300);
            waitFor(Duration.ofSeconds(30), "first rows", () -> db.sql.countOrMissing("clicks") >= 300);

            proxy.cut();
            produce("clicks", 300, 600);
            Thread.sleep(4_000); // the task fails writes and retries while PostgreSQL is unreachable
            assertThat(db.sql.count("SELECT count(*) FROM clicks")).isEqualTo(300);
            proxy.restore();
            produce("clicks", 600, 900);

            waitFor(
                    Duration.ofSeconds(60),
                    "all 900 rows after the outage",
                    () -> db.sql.count("SELECT count(DISTINCT n) FROM clicks") == 900);
            assertThat(db.sql.count("SELECT count(*) FROM clicks")).isEqualTo(900);
            JsonNode status = db.connect.connectorStatus("clicks-sink");
            assertThat(status.path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
            db.connect.deleteConnector("clicks-sink");
        }
    }

    private static void produce(String topic, int from, int to) {
        for (int i = from; i < to; i++) {
            db.connect.produce(topic, i % 2, "k-" + i, "{\"n\": " + i + ", \"page\": \"/p/" + (i % 7) + "\"}");
        }
    }

    @Test
    @Order(2) // last: it removes a worker, possibly the one the cluster's REST client talks to
    void exactlyOnceSurvivesAWorkerRemovedMidStreamAndLostConnectOffsets() throws Exception {
        db.connect.createTopic("ledger", 2);
        db.connect.putConnectorConfig("ledger-eos", """
                {"connector.class": "%s", "tasks.max": "1", "topics": "ledger",
                 "warehouse.url": "%s", "warehouse.user": "%s", "warehouse.password": "%s",
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter.schemas.enable": "false",
                 "exactly.once": "true", "batch.size": "100",
                 "consumer.override.max.poll.records": "100"}
                """.formatted(CONNECTOR, db.url, db.pg.user(), db.pg.password()));
        db.connect.awaitRunning("ledger-eos", 1);

        Thread producer = new Thread(() -> produce("ledger", 0, 4_000));
        producer.start();
        waitFor(Duration.ofSeconds(60), "the stream under way", () -> db.sql.countOrMissing("ledger") >= 500);
        WorkerHandle running = workerOfTask("ledger-eos");
        db.connect.embedded().removeWorker(running);
        // the cluster's REST endpoint may have been the removed worker: talk to the one that is left
        ConnectRest rest = new ConnectRest(
                db.connect.embedded().workers().iterator().next().url().toString());
        producer.join();
        awaitTaskRunning(rest, "ledger-eos");
        waitFor(
                Duration.ofSeconds(90),
                "4000 ledger rows",
                () -> db.sql.count("SELECT count(DISTINCT n) FROM ledger") == 4_000,
                () -> diagnostics(rest));
        assertThat(db.sql.count("SELECT count(*) FROM ledger")).isEqualTo(4_000);

        // Lose Connect's committed offsets (the consumer group deleted, e.g. expired): a sink trusting them would
        // write everything again. (Resetting them through DELETE /connectors/{name}/offsets is a deliberate reset:
        // that also clears the offsets table, see OffsetsApiIT.)
        rest.put("/connectors/ledger-eos/stop", "");
        waitFor(
                Duration.ofSeconds(30),
                "connector stopped",
                () -> "STOPPED"
                        .equals(rest.get("/connectors/ledger-eos/status")
                                .path("connector")
                                .path("state")
                                .asText()));
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", db.connect.bootstrapServers()))) {
            waitFor(Duration.ofSeconds(30), "Connect's consumer group deleted", () -> {
                admin.deleteConsumerGroups(java.util.List.of("connect-ledger-eos"))
                        .all()
                        .get();
                return true;
            });
        }
        rest.put("/connectors/ledger-eos/resume", "");
        awaitTaskRunning(rest, "ledger-eos");
        produce("ledger", 4_000, 4_100);
        waitFor(
                Duration.ofSeconds(60),
                "4100 ledger rows",
                () -> db.sql.count("SELECT count(DISTINCT n) FROM ledger") == 4_100,
                () -> diagnostics(rest));
        Thread.sleep(3_000);
        assertThat(db.sql.count("SELECT count(*) FROM ledger")).isEqualTo(4_100);
        assertThat(db.sql.count("SELECT sum(next_offset) FROM cdp_connect_offsets WHERE connector = 'ledger-eos'"))
                .isEqualTo(4_100);
    }

    private static void awaitTaskRunning(ConnectRest rest, String connector) {
        waitFor(Duration.ofSeconds(60), connector + " task RUNNING", () -> {
            JsonNode status = rest.get("/connectors/" + connector + "/status");
            return status.path("tasks").size() == 1
                    && "RUNNING"
                            .equals(status.path("tasks").get(0).path("state").asText());
        });
    }

    private static String diagnostics(ConnectRest rest) {
        return "rows " + db.sql.count("SELECT count(*) FROM ledger") + ", offsets "
                + db.sql.rows("SELECT * FROM cdp_connect_offsets") + ", sessions "
                + db.sql.rows("SELECT pid, state, wait_event_type, left(query, 120) AS query FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                + ", status " + rest.get("/connectors/ledger-eos/status");
    }

    private static WorkerHandle workerOfTask(String connector) {
        String workerId = db.connect
                .connectorStatus(connector)
                .path("tasks")
                .get(0)
                .path("worker_id")
                .asText();
        for (WorkerHandle worker : db.connect.embedded().workers()) {
            if (workerId.endsWith(":" + worker.url().getPort())) {
                return worker;
            }
        }
        throw new IllegalStateException(
                "no worker " + workerId + " among " + db.connect.embedded().workers());
    }
}
