/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import static io.cdpconnect.testing.ConnectTestCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.ConnectTestCluster;
import io.cdpconnect.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Monthly archival on a real Connect cluster and PostgreSQL: an event store written for five months, then
 * partition.retention=3 set over REST. The two oldest partitions are detached (or dropped) in the background, the
 * current, kept and next months stay attached, no row of a kept month is lost, the next month's partition exists
 * before its first event, and an event for an archived month goes to the DLQ with the reason.
 * Months are relative to the real clock (the connector's clock), so the test holds on any date.
 */
class PartitionRetentionIT {

    private static final String CONNECTOR = "io.cdpconnect.warehouse.WarehouseSinkConnector";

    private static ConnectTestCluster connect;
    private static TestPostgres pg;
    private static String url;
    private static Sql sql;

    @BeforeAll
    static void start() {
        pg = TestPostgres.get();
        url = pg.createDatabase("wh_retention");
        sql = Sql.of(url, pg.user(), pg.password());
        connect = ConnectTestCluster.builder().name("warehouse-retention").start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
    }

    private static String config(String topic, String table, String retention) {
        return """
                {"connector.class": "%s", "tasks.max": "1", "topics": "%s",
                 "warehouse.url": "%s", "warehouse.user": "%s", "warehouse.password": "%s",
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "table.name.format": "%s", "raw.column": "payload", "fields.mapping": "event_id,ts",
                 "partition.column": "ts", "partition.interval": "month",
                 "partition.maintenance.interval.ms": "2000", %s
                 "errors.tolerance": "all", "errors.deadletterqueue.topic.name": "%s.dlq",
                 "errors.deadletterqueue.topic.replication.factor": "1",
                 "errors.deadletterqueue.context.headers.enable": "true"}
                """.formatted(CONNECTOR, topic, url, pg.user(), pg.password(), table, retention, topic);
    }

    private static String partition(String table, YearMonth month) {
        return String.format("%s_p%04d_%02d", table, month.getYear(), month.getMonthValue());
    }

    private static Set<String> attached(String table) {
        return sql
                .rows("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = '" + table + "'::regclass")
                .stream()
                .map(r -> (String) r.get("relname"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean exists(String relation) {
        return sql.count("SELECT count(*) FROM pg_class WHERE relname = '" + relation + "'") == 1;
    }

    private static void produceMonth(String topic, YearMonth month, int events) {
        for (int i = 0; i < events; i++) {
            String id = month + "-" + i;
            String ts =
                    month.atDay(1).atTime(1 + i, 0).toInstant(ZoneOffset.UTC).toString();
            connect.produce(topic, id, "{\"event_id\": \"" + id + "\", \"ts\": \"" + ts + "\", \"n\": " + i + "}");
        }
    }

    /** Five months of events (3 each) written with no retention; returns the current month. */
    private static YearMonth fiveMonthsWritten(String name, String topic, String table) {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        connect.createTopic(topic, 1);
        connect.putConnectorConfig(name, config(topic, table, ""));
        connect.awaitRunning(name, 1);
        for (int back = 4; back >= 0; back--) {
            produceMonth(topic, now.minusMonths(back), 3);
        }
        waitFor(Duration.ofSeconds(60), "15 events in " + table, () -> sql.countOrMissing(table) == 15);
        // created ahead by the background maintenance: no event of next month has been sent
        waitFor(
                Duration.ofSeconds(30),
                "next month's partition",
                () -> attached(table).contains(partition(table, now.plusMonths(1))));
        Set<String> all = new TreeSet<>();
        for (int back = 4; back >= -1; back--) {
            all.add(partition(table, now.minusMonths(back)));
        }
        assertThat(attached(table)).isEqualTo(all);
        return now;
    }

    @Test
    void retentionDetachesOldPartitionsKeepingTheirRowsAndNeverTheCurrentOrNext() {
        String table = "events_detach";
        YearMonth now = fiveMonthsWritten("retention-detach", "events.detach", table);
        connect.putConnectorConfig(
                "retention-detach", config("events.detach", table, "\"partition.retention\": \"3\","));
        String oldest = partition(table, now.minusMonths(4));
        String older = partition(table, now.minusMonths(3));
        waitFor(
                Duration.ofSeconds(60),
                "two oldest partitions detached",
                () -> !attached(table).contains(oldest) && !attached(table).contains(older));

        assertKeptAndNextAttached(table, now);
        // kept months: every row still in the table; archived months: every row in the detached table
        assertThat(sql.count("SELECT count(*) FROM " + table)).isEqualTo(9);
        assertThat(sql.count("SELECT count(*) FROM " + oldest)).isEqualTo(3);
        assertThat(sql.count("SELECT count(*) FROM " + older)).isEqualTo(3);
        assertThat((String) sql.rows("SELECT obj_description('" + oldest + "'::regclass, 'pg_class') AS c")
                        .get(0)
                        .get("c"))
                .contains("archived partition of")
                .contains("ATTACH PARTITION");

        // the first event of next month lands in the partition that was there before it
        produceMonth("events.detach", now.plusMonths(1), 1);
        waitFor(
                Duration.ofSeconds(60),
                "next month's event",
                () -> sql.count("SELECT count(*) FROM " + partition(table, now.plusMonths(1))) == 1);
        // a late event for an archived month is not written and not lost: the DLQ has it, with the reason
        produceMonth("events.detach", now.minusMonths(4), 1);
        List<ConsumerRecord<byte[], byte[]>> dead = connect.consume(1, Duration.ofSeconds(60), "events.detach.dlq");
        assertThat(header(dead.get(0), "__connect.errors.exception.message")).contains("partition.retention");
        assertThat(sql.count("SELECT count(*) FROM " + oldest)).isEqualTo(3);
        assertThat(sql.count("SELECT count(*) FROM " + table)).isEqualTo(10);

        // archived by hand back in, as the README says (with retention raised so it stays)
        connect.putConnectorConfig(
                "retention-detach", config("events.detach", table, "\"partition.retention\": \"24\","));
        YearMonth month = now.minusMonths(4);
        sql.execute("ALTER TABLE " + table + " ATTACH PARTITION " + oldest + " FOR VALUES FROM ('" + month.atDay(1)
                + " 00:00:00+00') TO ('" + month.plusMonths(1).atDay(1) + " 00:00:00+00')");
        assertThat(sql.count("SELECT count(*) FROM " + table)).isEqualTo(13);
        assertThat(connect.connectorStatus("retention-detach")
                        .path("tasks")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("RUNNING");
    }

    @Test
    void retentionWithDropDropsOnlyTheOldPartitions() {
        String table = "events_drop";
        YearMonth now = fiveMonthsWritten("retention-drop", "events.drop", table);
        connect.putConnectorConfig(
                "retention-drop",
                config(
                        "events.drop",
                        table,
                        "\"partition.retention\": \"3\", \"partition.retention.action\": \"drop\","));
        String oldest = partition(table, now.minusMonths(4));
        String older = partition(table, now.minusMonths(3));
        waitFor(Duration.ofSeconds(60), "two oldest partitions dropped", () -> !exists(oldest) && !exists(older));
        assertKeptAndNextAttached(table, now);
        assertThat(sql.count("SELECT count(*) FROM " + table)).isEqualTo(9);
        assertThat(sql.count("SELECT count(DISTINCT event_id) FROM " + table + " WHERE ts >= '"
                        + now.minusMonths(2).atDay(1) + "'"))
                .isEqualTo(9);
    }

    /** Retention 3: two months back, last month, this month; and next month, created ahead. */
    private static void assertKeptAndNextAttached(String table, YearMonth now) {
        assertThat(attached(table))
                .containsExactlyInAnyOrder(
                        partition(table, now.minusMonths(2)),
                        partition(table, now.minusMonths(1)),
                        partition(table, now),
                        partition(table, now.plusMonths(1)));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
