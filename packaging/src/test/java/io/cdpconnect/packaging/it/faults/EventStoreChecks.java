/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.testing.process.Await;
import io.cdpconnect.testing.process.ConnectDeployment;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the event store and its dead-letter topic hold, compared exactly with what was produced. */
final class EventStoreChecks {

    private EventStoreChecks() {}

    /** Stored rows per event id (more than 1 is a duplicate). */
    static Map<String, Integer> storedIds(TestPostgres pg, String url, String sql) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.merge(r.getString(1), 1, Integer::sum);
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) { // the sink has not created the table yet
                throw e;
            }
        }
        return out;
    }

    /**
     * Dead-lettered records: distinct source positions (Connect's DLQ is at-least-once), their values, and the
     * error message of each value.
     */
    record DeadLetters(Set<String> positions, Set<String> values, Map<String, String> errors) {}

    private static final java.util.regex.Pattern EVENT_ID =
            java.util.regex.Pattern.compile("\"event_id\": \"([^\"]+)\"");

    static DeadLetters deadLetters(ConnectDeployment deployment, String dlq) {
        Set<String> positions = new HashSet<>();
        Set<String> values = new HashSet<>();
        Map<String, String> errors = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deployment.readAll(dlq)) {
            positions.add(header(r, "__connect.errors.topic") + "/" + header(r, "__connect.errors.partition") + "@"
                    + header(r, "__connect.errors.offset"));
            String value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
            values.add(value);
            errors.put(value, header(r, "__connect.errors.exception.message"));
        }
        return new DeadLetters(positions, values, errors);
    }

    /** The event id in a record's value; null when it has none (or no value). */
    private static String eventId(String value) {
        java.util.regex.Matcher m = value == null ? null : EVENT_ID.matcher(value);
        return m != null && m.find() ? m.group(1) : null;
    }

    /**
     * How many records of the topic carry each event id: 1 unless the producer re-sent a batch. The harness's
     * producer is idempotent only within one producer epoch: when a broker restart makes it bump its epoch
     * (OutOfOrderSequenceException), it re-sends batches the broker already had, so the topic itself can hold an event
     * twice. Exactly once is per source record, so a sink must then store it twice. Read once per check round, for
     * every connector of it; the events the producer re-sent are printed.
     */
    static Map<String, Integer> copiesInTopic(ConnectDeployment deployment, String topic) {
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deployment.readAll(topic)) {
            String id = eventId(r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
            if (id != null) {
                copies.merge(id, 1, Integer::sum);
            }
        }
        long producedTwice = copies.values().stream().filter(n -> n > 1).count();
        if (producedTwice > 0) {
            System.out.printf(
                    "%d events are in %s more than once (the producer re-sent them); each must be stored as often as "
                            + "it is there%n",
                    producedTwice, topic);
        }
        return copies;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Waits until every valid event of the ledger is stored and every bad one dead-lettered, then asserts the
     * outcome exactly: each valid event as often as the source topic holds it ({@code copies}, see {@link
     * #copiesInTopic}) when {@code exactlyOnce}, else at least that often; nothing else stored, each bad event in the
     * DLQ under its own source position, no task FAILED. Returns the ids stored more often than the topic holds them.
     */
    static Map<String, Integer> awaitExact(
            ConnectDeployment deployment,
            String connector,
            EventStream.Ledger ledger,
            TestPostgres pg,
            String url,
            String idQuery,
            Map<String, Integer> copies,
            String dlq,
            boolean exactlyOnce,
            Duration timeout)
            throws SQLException {
        Map<String, Integer>[] stored = new Map[1];
        DeadLetters[] dead = new DeadLetters[1];
        Await.until(
                timeout,
                ledger.valid.size() + " events stored and " + ledger.bad.size() + " dead-lettered",
                () -> {
                    stored[0] = storedIds(pg, url, idQuery);
                    dead[0] = deadLetters(deployment, dlq);
                    // A valid event in the DLQ is a defect of its own (good data dead-lettered): recorded for the
                    // class's
                    // last check, then counted as dead-lettered so the fault scenarios still check loss and
                    // duplication.
                    for (String value : dead[0].values()) {
                        String id = eventId(value);
                        if (id != null && ledger.valid.remove(id)) {
                            ledger.bad.add(value);
                            ledger.goodDeadLettered.put(
                                    id, connector + ": " + dead[0].errors().get(value));
                        }
                    }
                    return stored[0].keySet().containsAll(ledger.valid)
                            && dead[0].positions().size() >= ledger.bad.size();
                },
                () -> "stored " + (stored[0] == null ? "?" : stored[0].size()) + " of " + ledger.valid.size()
                        + ", dead-lettered "
                        + (dead[0] == null ? "?" : dead[0].positions().size()) + " of " + ledger.bad.size()
                        + "; status " + deployment.status(connector));
        Set<String> unexpected = new HashSet<>(stored[0].keySet());
        unexpected.removeAll(ledger.valid);
        assertThat(unexpected).as("stored events that were not valid").isEmpty();
        // A duplicate is a row stored more often than the topic holds its record (see copiesInTopic).
        Map<String, Integer> duplicated = new HashMap<>();
        stored[0].forEach((id, n) -> {
            if (n > copies.getOrDefault(id, 1)) {
                duplicated.put(id, n);
            }
        });
        if (exactlyOnce) {
            assertThat(duplicated).as("events stored more than once").isEmpty();
        }
        assertThat(dead[0].positions())
                .as("distinct source positions in " + dlq)
                .hasSize(ledger.bad.size());
        assertThat(dead[0].values()).as("dead-lettered values").isEqualTo(ledger.bad);
        assertThat(ConnectDeployment.failedTasks(deployment.status(connector)))
                .as("FAILED tasks")
                .isEmpty();
        return duplicated;
    }
}
