/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.process.Await;
import io.cdpconnect.testing.process.ConnectWorker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every fault a user meets, on Connect 4.3.1 workers, against two pipelines reading the same stream: the
 * exactly-once event store (each valid event stored exactly once) and event-routing on PostgreSQL (at least once:
 * none lost, duplicates only after a crash or broker restart, none from a clean rebalance). For both: each bad
 * event in the DLQ under its own source position, no task FAILED, no manual step.
 */
class EventStoreFaultsIT extends EventStoreFaults {

    @Override
    String kafkaVersion() {
        return System.getProperty("cdp.kafka.version", "4.3.1");
    }

    @Override
    boolean withEventRouting() {
        return true;
    }

    @Test
    @Order(1)
    void workerKilledWithSigkillAndRestarted() throws Exception {
        ConnectWorker victim = deployment.worker(0);
        duplicatesSoFar = streamWithFault(3000, 600, () -> {
            victim.kill();
            deployment.restart(victim);
        });
    }

    @Test
    @Order(2)
    void workerAddedMidStream() throws Exception {
        int before = duplicatesSoFar;
        duplicatesSoFar = streamWithFault(3000, 600, deployment::addWorker);
        assertThat(duplicatesSoFar - before)
                .as("event-routing duplicates from a clean rebalance")
                .isZero();
        Set<String> workers = new HashSet<>(deployment.taskWorkers(CONNECTOR).values());
        assertThat(workers).as("workers running event-store tasks").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(3)
    void brokerRestartedMidStream() throws Exception {
        streamWithFault(3000, 600, () -> deployment.broker().restart());
    }

    @Test
    @Order(4)
    void postgresCutFor30Seconds() throws Exception {
        streamWithFault(3000, 300, () -> {
            pgProxy.cut();
            try {
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                // the outage lasts 30 s by definition; meanwhile no task may fail
                Await.until(Duration.ofSeconds(40), "30 s of PostgreSQL outage without a FAILED task", () -> {
                    assertThat(io.cdpconnect.testing.process.ConnectDeployment.failedTasks(
                                    deployment.status(CONNECTOR)))
                            .isEmpty();
                    return System.nanoTime() > end;
                });
            } finally {
                pgProxy.restore();
            }
        });
    }

    /**
     * A new version of the page_view contract (requiring {@code properties.referrer}) is inserted into
     * {@code event_schemas} mid-stream: events before follow the old contract, after it the new one, no restart.
     */
    @Test
    @Order(5)
    void schemaRowChangedMidStream() throws Exception {
        String run = "schema";
        // before: page_views without referrer are valid under version 1 (checked by the rounds above, all stored)
        try (Connection c = pg.connect(directUrl);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO event_schemas (event_type, version, schema, updated_at) "
                    + "SELECT event_type, 2, jsonb_set(jsonb_set(schema, '{properties,properties,required}', "
                    + "'[\"path\",\"referrer\"]'), '{properties,properties,properties,referrer}', "
                    + "'{\"type\":\"string\",\"minLength\":1}'), now() FROM event_schemas "
                    + "WHERE event_type = 'page_view' AND version = 1");
        }
        // Probe every partition until each of its tasks rejects a page_view without referrer: version 2 in force.
        var producer = deployment.producer();
        Set<Integer> switched = new HashSet<>();
        int[] probe = {0};
        Await.until(Duration.ofSeconds(90), "version 2 of page_view in force on all 6 partitions", () -> {
            for (int p = 0; p < 6; p++) {
                if (switched.contains(p)) {
                    continue;
                }
                String id = run + "-probe-" + p + "-" + probe[0]++;
                String value = "{\"event_id\": \"" + id + "\", \"event_type\": \"page_view\", \"user_id\": \"u-1\", "
                        + "\"ts\": \"2026-11-23T10:00:00Z\", \"properties\": {\"path\": \"/\"}, " + CONTEXT + "}";
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(TOPIC, p, "u-1", value))
                        .get();
                probes.put(id, value);
            }
            // a probe is either stored (old contract still in force) or dead-lettered (new one)
            var dead = EventStoreChecks.deadLetters(deployment, DLQ);
            var stored = EventStoreChecks.storedIds(pg, directUrl, IDS + " WHERE event_id LIKE '" + run + "-probe-%'");
            for (var probeEntry : probes.entrySet()) {
                int partition = Integer.parseInt(probeEntry.getKey().split("-")[2]);
                if (dead.values().contains(probeEntry.getValue())) {
                    switched.add(partition);
                }
            }
            return switched.size() == 6 && allProbesSettled(dead.values(), stored.keySet());
        });
        routing.valid.addAll(probes.keySet()); // event-routing's contracts are inline: unchanged
        probes.forEach((id, value) -> {
            if (storedProbe(id)) {
                ledger.valid.add(id);
            } else {
                ledger.bad.add(value);
            }
        });
        // after: page_views with a referrer are stored, without one dead-lettered; other types unchanged
        CountDownLatch done = new CountDownLatch(1);
        int n = 400;
        new Thread(() -> {
                    try {
                        for (int i = 0; i < n; i++) {
                            String id = run + "-after-" + i;
                            boolean withReferrer = i % 2 == 0;
                            String value = "{\"event_id\": \"" + id
                                    + "\", \"event_type\": \"page_view\", \"user_id\": \"u-"
                                    + i + "\", \"ts\": \"2026-11-23T10:00:00Z\", \"properties\": {\"path\": \"/\""
                                    + (withReferrer ? ", \"referrer\": \"https://search.example/\"" : "") + "}, "
                                    + CONTEXT + "}";
                            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                            TOPIC, "u-" + i, value))
                                    .get();
                            routing.valid.add(id);
                            if (withReferrer) {
                                ledger.valid.add(id);
                            } else {
                                ledger.bad.add(value);
                            }
                        }
                    } catch (Exception e) {
                        ledger.failure.set(e);
                    } finally {
                        done.countDown();
                    }
                })
                .start();
        stream.await(done, Duration.ofMinutes(2));
        settle();
        assertThat(deployment.status(CONNECTOR).path("connector").path("state").asText())
                .isEqualTo("RUNNING");
    }

    /** event-routing is at least once: a SIGKILL may replay what was written after the last offset commit. */
    private int duplicatesSoFar;

    private static final String CONTEXT = "\"context\": {\"page\": {\"url\": \"https://shop.example/\"}}";

    private final java.util.Map<String, String> probes = new java.util.concurrent.ConcurrentHashMap<>();

    private boolean allProbesSettled(Set<String> deadValues, Set<String> storedIds) {
        for (var e : probes.entrySet()) {
            if (!deadValues.contains(e.getValue()) && !storedIds.contains(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    private boolean storedProbe(String id) {
        try (Connection c = pg.connect(directUrl);
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM events WHERE event_id = ?")) {
            s.setString(1, id);
            return s.executeQuery().next();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
