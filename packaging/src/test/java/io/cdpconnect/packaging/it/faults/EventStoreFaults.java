/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it.faults;

import io.cdpconnect.testing.TcpProxy;
import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.testing.process.ConnectDeployment;
import io.cdpconnect.testing.process.DeploymentExtension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event-store pipeline (exactly once) on a multi-process deployment: one broker, workers in their own JVMs,
 * PostgreSQL reached through a {@link TcpProxy} so it can be cut. The pipeline is applied once with
 * {@code bin/cdp-apply} and {@code tasks.max=4}; each fault scenario streams more events while it injects its
 * fault, then checks the whole event store so far exactly. Scenarios share the deployment (one per class).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DeploymentExtension.class)
abstract class EventStoreFaults {

    static final String CONNECTOR = "event-store";
    static final String TOPIC = "events.raw";
    static final String DLQ = "events.raw.dlq";
    static final String IDS = "SELECT event_id FROM events";
    static final Duration SETTLE = Duration.ofMinutes(3);

    ConnectDeployment deployment;
    TestPostgres pg;
    TcpProxy pgProxy;
    String directUrl;
    String proxiedUrl;
    final EventStream.Ledger ledger = new EventStream.Ledger();
    /** What the event-routing pipeline (when deployed beside) had to process: the same stream, its own DLQ. */
    final EventStream.Ledger routing = new EventStream.Ledger();

    static final String ROUTING = "event-routing";
    static final String ROUTING_DLQ = "events.routing.dlq";
    static final String ROUTING_IDS = "SELECT event_id FROM events_page_view UNION ALL SELECT event_id FROM "
            + "events_add_to_cart UNION ALL SELECT event_id FROM events_order_completed UNION ALL "
            + "SELECT event_id FROM events_onboarding_step";
    EventStream stream;
    int round;

    /** The Kafka version of the workers. */
    abstract String kafkaVersion();

    int initialWorkers() {
        return 2;
    }

    /** Whether the event-routing pipeline (at least once) runs beside the event store on the same stream. */
    boolean withEventRouting() {
        return false;
    }

    @BeforeAll
    void deployEventStore() throws Exception {
        pg = TestPostgres.get();
        directUrl = pg.createDatabase("event_store_mp");
        URI pgUri = URI.create(directUrl.substring("jdbc:".length()));
        pgProxy = new TcpProxy(pgUri.getHost(), pgUri.getPort());
        proxiedUrl = "jdbc:postgresql://127.0.0.1:" + pgProxy.port() + pgUri.getRawPath()
                + (pgUri.getRawQuery() == null ? "" : "?" + pgUri.getRawQuery());
        Path ddl = PipelineCli.pipeline("event-store").resolve("postgres.sql");
        if (Files.exists(ddl)) {
            try (Connection c = pg.connect(directUrl);
                    Statement s = c.createStatement()) {
                s.execute(Files.readString(ddl));
            }
        }
        deployment = ConnectDeployment.builder("event-store-" + getClass().getSimpleName())
                .kafkaVersion(kafkaVersion())
                .workers(initialWorkers())
                .start();
        deployment.createTopic(TOPIC, 6);
        PipelineCli.apply(
                deployment.restUrl(),
                "event-store",
                Map.of(
                        "tasks.max",
                        "4",
                        "warehouse.url",
                        proxiedUrl,
                        "warehouse.user",
                        pg.user(),
                        "warehouse.password",
                        pg.password(),
                        "definitions.jdbc.url",
                        proxiedUrl,
                        "definitions.jdbc.user",
                        pg.user(),
                        "definitions.jdbc.password",
                        pg.password()));
        deployment.awaitRunning(CONNECTOR, 4, Duration.ofMinutes(2));
        if (withEventRouting()) {
            PipelineCli.apply(
                    deployment.restUrl(),
                    ROUTING,
                    Map.of(
                            "tasks.max",
                            "2",
                            "warehouse.url",
                            proxiedUrl,
                            "warehouse.user",
                            pg.user(),
                            "warehouse.password",
                            pg.password(),
                            "errors.deadletterqueue.topic.name",
                            ROUTING_DLQ));
            deployment.awaitRunning(ROUTING, 2, Duration.ofMinutes(2));
            stream = new EventStream(deployment, TOPIC, ledger, routing);
        } else {
            stream = new EventStream(deployment, TOPIC, ledger);
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
        if (pgProxy != null) {
            pgProxy.close();
        }
    }

    /**
     * Streams {@code count} events at {@code rate}/s, runs the fault once a third has been sent, checks exactly.
     * Returns how many events event-routing (at least once) stored more than once.
     */
    int streamWithFault(int count, int rate, Fault fault) throws Exception {
        String runId = getClass().getSimpleName() + "-r" + (++round);
        int before = ledger.produced.get();
        CountDownLatch done = stream.start(count, rate, runId);
        io.cdpconnect.testing.process.Await.until(
                Duration.ofMinutes(1),
                "a third of the stream produced",
                () -> ledger.produced.get() >= before + count / 3);
        fault.inject();
        stream.await(done, Duration.ofMinutes(5));
        return settle();
    }

    /** Checks the event store exactly and, when deployed, event-routing for loss; returns routing's duplicates. */
    int settle() throws Exception {
        // Copies per event in the topic, read once the stream is over: the same for every connector checked below.
        Map<String, Integer> copies = EventStoreChecks.copiesInTopic(deployment, TOPIC);
        EventStoreChecks.awaitExact(deployment, CONNECTOR, ledger, pg, directUrl, IDS, copies, DLQ, true, SETTLE);
        if (!withEventRouting()) {
            return 0;
        }
        Map<String, Integer> dup = EventStoreChecks.awaitExact(
                deployment, ROUTING, routing, pg, directUrl, ROUTING_IDS, copies, ROUTING_DLQ, false, SETTLE);
        System.out.printf(
                "event-routing after round %d: %d valid events, %d stored more than once%n",
                round, routing.valid.size(), dup.size());
        return dup.size();
    }

    /** Last: no valid event was dead-lettered by any pipeline in any scenario ("never dead-letter good data"). */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void noValidEventWasDeadLettered() {
        java.util.Map<String, String> all = new java.util.TreeMap<>(ledger.goodDeadLettered);
        all.putAll(routing.goodDeadLettered);
        org.assertj.core.api.Assertions.assertThat(all)
                .as("valid events dead-lettered (id -> connector: error)")
                .isEmpty();
    }

    @FunctionalInterface
    interface Fault {
        void inject() throws Exception;
    }
}
