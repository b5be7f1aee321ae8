/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import static io.cdpconnect.testing.ConnectTestCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.ConnectTestCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The error classes on a real Connect cluster and a real PostgreSQL: a database that is wrong (a missing privilege,
 * a missing unique key, a constraint every row violates) fails the task with cause and fix instead of emptying the
 * topic into the dead-letter queue; a table dropped by someone else while cached is re-created and the batch lands.
 */
class ErrorClassesIT {

    private static final String CONNECTOR = "io.cdpconnect.warehouse.WarehouseSinkConnector";

    private static PostgresFixture db;

    @BeforeAll
    static void start() {
        db = PostgresFixture.start("wh_errors", ConnectTestCluster.builder().name("warehouse-errors"));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    /** A connector with a DLQ: anything dead-lettered is visible, and tolerance would hide nothing. */
    private static String config(String topic, String user, String password, String extra) {
        return """
                {"connector.class": "%s", "tasks.max": "1", "topics": "%s",
                 "warehouse.url": "%s", "warehouse.user": "%s", "warehouse.password": "%s",
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter.schemas.enable": "false",
                 "max.retries": "2", "retry.backoff.ms": "200",
                 "errors.tolerance": "all",
                 "errors.deadletterqueue.topic.name": "%s.dlq",
                 "errors.deadletterqueue.topic.replication.factor": "1"%s}
                """.formatted(CONNECTOR, topic, db.url, user, password, topic, extra);
    }

    private static void produce(String topic, int from, int to) {
        for (int i = from; i < to; i++) {
            db.connect.produce(topic, "k-" + i, "{\"n\": " + i + ", \"amount\": " + (i + 1) + "}");
        }
    }

    private static int dlqSize(String topic) {
        try {
            db.connect.kafka().createTopic(topic + ".dlq", 1);
        } catch (RuntimeException exists) {
            // created by the task's errant record reporter
        }
        return db.connect.consumeAll(Duration.ofSeconds(10), topic + ".dlq").size();
    }

    @Test
    void missingInsertPrivilegeFailsTheTaskAndDeadLettersNothing() {
        db.sql.execute("CREATE TABLE grants (n bigint, amount bigint)");
        String reader = "reader_" + ProcessHandle.current().pid();
        db.sql.execute("CREATE ROLE " + reader + " LOGIN PASSWORD 'reader'");
        db.sql.execute("GRANT SELECT ON grants TO " + reader);
        db.connect.createTopic("grants", 1);
        produce("grants", 0, 20);
        // the embedded server's URL names its superuser, which would win over warehouse.user
        db.connect.putConnectorConfig(
                "grants-sink",
                config("grants", reader, "reader", ", \"auto.create\": \"false\"")
                        .replace(db.url, db.url.replaceFirst("\\?.*$", "")));

        String trace = db.connect.awaitTaskFailed("grants-sink");
        assertThat(trace).contains("42501").contains("permission").contains("GRANT");
        assertThat(dlqSize("grants")).isZero();
        assertThat(db.sql.count("SELECT count(*) FROM grants")).isZero();
        db.connect.deleteConnector("grants-sink");
    }

    @Test
    void upsertWithoutAUniqueKeyFailsTheTaskAndDeadLettersNothing() {
        db.sql.execute("CREATE TABLE keyless (id text, n bigint, amount bigint)");
        db.connect.createTopic("keyless", 1);
        produce("keyless", 0, 20);
        db.connect.putConnectorConfig(
                "keyless-sink",
                config(
                        "keyless",
                        db.pg.user(),
                        db.pg.password(),
                        ", \"insert.mode\": \"upsert\", \"pk.mode\": \"record_key\", \"pk.fields\": \"id\""));

        String trace = db.connect.awaitTaskFailed("keyless-sink");
        assertThat(trace).contains("42P10").contains("PRIMARY KEY");
        assertThat(dlqSize("keyless")).isZero();
        assertThat(db.sql.count("SELECT count(*) FROM keyless")).isZero();
        db.connect.deleteConnector("keyless-sink");
    }

    @Test
    void tableDroppedWhileCachedIsRecreatedAndNothingIsDeadLettered() {
        db.connect.createTopic("dropped", 1);
        db.connect.putConnectorConfig(
                "dropped-sink", config("dropped", db.pg.user(), db.pg.password(), ", \"flush.interval.ms\": \"100\""));
        db.connect.awaitRunning("dropped-sink", 1);
        produce("dropped", 0, 5);
        waitFor(Duration.ofSeconds(60), "first 5 rows", () -> db.sql.countOrMissing("dropped") == 5);

        db.sql.execute("DROP TABLE dropped");
        produce("dropped", 5, 15);
        waitFor(
                Duration.ofSeconds(60),
                "the table re-created with the 10 new rows",
                () -> db.sql.countOrMissing("dropped") == 10);
        assertThat(db.sql.count("SELECT min(n) FROM dropped")).isEqualTo(5);
        assertThat(dlqSize("dropped")).isZero();
        assertThat(db.connect
                        .connectorStatus("dropped-sink")
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
        db.connect.deleteConnector("dropped-sink");
    }

    @Test
    void aConstraintEveryRowViolatesTripsTheCircuitBreaker() {
        db.sql.execute("CREATE TABLE checked (n bigint, amount bigint CHECK (amount < 0))");
        db.connect.createTopic("checked", 1);
        produce("checked", 0, 20);
        db.connect.putConnectorConfig(
                "checked-sink", config("checked", db.pg.user(), db.pg.password(), ", \"auto.create\": \"false\""));

        String trace = db.connect.awaitTaskFailed("checked-sink");
        assertThat(trace).contains("23514").contains("20 of 20");
        assertThat(dlqSize("checked")).isZero();
        db.connect.deleteConnector("checked-sink");
    }
}
