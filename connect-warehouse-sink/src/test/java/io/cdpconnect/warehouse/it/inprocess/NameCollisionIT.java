/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.warehouse.it.Sql;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two distinct source names must never end in one table, and two tables never share a partition name: each
 * derived name is checked, within a task, across tasks and restarts (the table remembers its source), and
 * against what already exists in the database. A collision fails the task naming both names; nothing is merged.
 */
class NameCollisionIT {

    @TempDir
    Path dir;

    private static Map<String, String> pg(String url, String... kv) {
        Map<String, String> config = WarehouseSinkTaskIT.pgConfig(url, kv);
        config.put("name", "names-test");
        return config;
    }

    private static Sql sql(String url) {
        return WarehouseSinkTaskIT.pgSql(url);
    }

    private static SinkRecord event(String topic, long offset, Map<String, Object> value) {
        return new SinkRecord(topic, 0, null, null, null, value, offset);
    }

    @Test
    void twoTopicsSanitisedToOneTableFailTheTask() {
        String url = TestPostgres.get().createDatabase("names_topics");
        Map<String, String> config = pg(url);
        TopicPartition dotted = new TopicPartition("shop.orders", 0);
        TopicPartition underscored = new TopicPartition("shop_orders", 0);
        try (TaskDriver driver = new TaskDriver(config, true, List.of(dotted, underscored))) {
            driver.put(List.of(event("shop.orders", 0, Map.of("order_id", "o-1"))));
            driver.commit();
            assertThatThrownBy(() -> driver.put(List.of(event("shop_orders", 0, Map.of("order_id", "o-2")))))
                    .isInstanceOf(ConnectException.class)
                    .isNotInstanceOf(DataException.class)
                    .hasMessageContaining("shop.orders")
                    .hasMessageContaining("shop_orders")
                    .hasMessageContaining("table.name.format");
            assertThat(driver.context.errant).isEmpty();
        } catch (ConnectException closing) {
            // close() flushes nothing more after the failure
        }
        assertThat(sql(url).rows("SELECT order_id FROM shop_orders")).containsExactly(Map.of("order_id", "o-1"));
    }

    @Test
    void aCollisionStoresNoOffsetPastTheRecordThatCollided() {
        String url = TestPostgres.get().createDatabase("names_eos");
        Map<String, String> config = pg(url, "exactly.once", "true");
        TopicPartition dotted = new TopicPartition("shop.orders", 0);
        TopicPartition underscored = new TopicPartition("shop_orders", 0);
        TaskDriver driver = new TaskDriver(config, true, List.of(dotted, underscored));
        driver.put(List.of(event("shop.orders", 0, Map.of("order_id", "o-1"))));
        driver.commit();
        assertThatThrownBy(() -> driver.put(List.of(
                        event("shop.orders", 1, Map.of("order_id", "o-2")),
                        event("shop_orders", 0, Map.of("order_id", "x-1")))))
                .hasMessageContaining("shop_orders");
        driver.commit(); // what Connect's closing commit does after a failed put
        driver.close();
        Sql sql = sql(url);
        // -1: nothing of shop_orders was ever stored as written
        assertThat(sql.count("SELECT next_offset FROM cdp_connect_offsets WHERE topic = 'shop_orders'"))
                .isEqualTo(-1);
        assertThat(sql.count("SELECT next_offset FROM cdp_connect_offsets WHERE topic = 'shop.orders'"))
                .isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM shop_orders")).isEqualTo(1);
    }

    @Test
    void aTableRemembersItsSourceAcrossTasksOnPostgres() {
        String url = TestPostgres.get().createDatabase("names_tasks");
        valueRoutedNamesAreCheckedAgainstTheTable(pg(url, "table.name.format", "events_${event_type}"));
        assertThat(sql(url).count("SELECT count(*) FROM events_page_view")).isEqualTo(1);
    }

    @Test
    void aTableRemembersItsSourceAcrossTasksOnDuckDb() throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("names.duckdb");
        Map<String, String> config = new HashMap<>(
                Map.of("name", "names-test", "warehouse.url", url, "table.name.format", "events_${event_type}"));
        valueRoutedNamesAreCheckedAgainstTheTable(config);
        try (var c = DriverManager.getConnection(url);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM events_page_view")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    /** One task writes "Page View", another (or the same after a restart) "page_view": both map to one name. */
    private void valueRoutedNamesAreCheckedAgainstTheTable(Map<String, String> config) {
        TopicPartition tp = new TopicPartition("events.raw", 0);
        try (TaskDriver first = new TaskDriver(config, true, List.of(tp))) {
            first.put(List.of(event("events.raw", 0, Map.of("event_type", "Page View", "n", 1))));
            first.commit();
        }
        TaskDriver second = new TaskDriver(config, true, List.of(tp));
        assertThatThrownBy(() -> {
                    second.put(List.of(event("events.raw", 1, Map.of("event_type", "page_view", "n", 2))));
                    second.commit();
                    second.put(List.of());
                })
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(DataException.class)
                .hasMessageContaining("events_Page View")
                .hasMessageContaining("events_page_view");
        assertThat(second.context.errant).isEmpty();
        second.task.stop();
    }

    @Test
    void longTableNamesGetPartitionsOfTheirOwn() {
        String url = TestPostgres.get().createDatabase("names_partitions");
        String prefix = "e".repeat(58);
        Map<String, String> config = pg(url, "partition.column", "ts", "partition.interval", "month");
        TopicPartition a = new TopicPartition(prefix + "_a", 0);
        TopicPartition b = new TopicPartition(prefix + "_b", 0);
        try (TaskDriver driver = new TaskDriver(config, true, List.of(a, b))) {
            driver.put(List.of(
                    event(a.topic(), 0, Map.of("ts", "2026-11-23T10:00:00Z", "n", 1)),
                    event(b.topic(), 0, Map.of("ts", "2026-11-23T10:00:00Z", "n", 2))));
            driver.commit();
            assertThat(driver.context.causes).isEmpty();
        }
        Sql sql = sql(url);
        assertThat(sql.count("SELECT count(*) FROM " + a.topic())).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM " + b.topic())).isEqualTo(1);
        // one November partition per table, each attached to its own table
        assertThat(sql.count("SELECT count(DISTINCT i.inhparent) FROM pg_inherits i JOIN pg_class c ON c.oid = "
                        + "i.inhrelid WHERE c.relname LIKE '%p2026_11'"))
                .isEqualTo(2);
    }

    @Test
    void aPartitionNameTakenByAnotherTableFailsTheTask() {
        String url = TestPostgres.get().createDatabase("names_taken");
        sql(url).execute("CREATE TABLE events_p2026_11 (note text)");
        Map<String, String> config =
                pg(url, "table.name.format", "events", "partition.column", "ts", "partition.interval", "month");
        TopicPartition tp = new TopicPartition("events.raw", 0);
        TaskDriver driver = new TaskDriver(config, true, List.of(tp));
        assertThatThrownBy(() -> {
                    driver.put(List.of(event("events.raw", 0, Map.of("ts", "2026-11-23T10:00:00Z", "n", 1))));
                    driver.commit();
                    driver.put(List.of());
                })
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(DataException.class)
                .hasMessageContaining("events_p2026_11")
                .hasMessageContaining("events");
        assertThat(driver.context.errant).isEmpty();
        driver.task.stop();
    }

    @Test
    void valueRoutingStopsAtTableRoutingMaxTablesAcrossRestarts() {
        String url = TestPostgres.get().createDatabase("names_cap");
        Map<String, String> config =
                pg(url, "table.name.format", "events_${event_type}", "table.routing.max.tables", "3");
        TopicPartition tp = new TopicPartition("events.raw", 0);
        try (TaskDriver first = new TaskDriver(config, true, List.of(tp))) {
            first.put(List.of(
                    event("events.raw", 0, Map.of("event_type", "a", "n", 1)),
                    event("events.raw", 1, Map.of("event_type", "b", "n", 1))));
            first.commit();
        }
        TaskDriver second = new TaskDriver(config, true, List.of(tp));
        second.put(List.of(event("events.raw", 2, Map.of("event_type", "c", "n", 1))));
        second.commit();
        assertThatThrownBy(() -> {
                    second.put(List.of(event("events.raw", 3, Map.of("event_type", "d", "n", 1))));
                    second.commit();
                    second.put(List.of());
                })
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(DataException.class)
                .hasMessageContaining("table.routing.max.tables")
                .hasMessageContaining("events_d");
        assertThat(second.context.errant).isEmpty();
        second.task.stop();
        assertThat(sql(url).count("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'events_%'"))
                .isEqualTo(3);
    }
}
