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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task driven directly against real PostgreSQL and DuckDB: delivery guarantees and error isolation. */
class WarehouseSinkTaskIT {

    private static final TopicPartition TP = new TopicPartition("ledger", 0);

    @TempDir
    Path dir;

    static Map<String, String> pgConfig(String url, String... kv) {
        TestPostgres pg = TestPostgres.get();
        Map<String, String> config = new HashMap<>();
        config.put("name", "task-test");
        config.put("warehouse.url", url);
        config.put("warehouse.user", pg.user());
        config.put("warehouse.password", pg.password());
        for (int i = 0; i < kv.length; i += 2) {
            config.put(kv[i], kv[i + 1]);
        }
        return config;
    }

    static Sql pgSql(String url) {
        TestPostgres pg = TestPostgres.get();
        return Sql.of(url, pg.user(), pg.password());
    }

    private static List<SinkRecord> ledger(int from, int to) {
        List<SinkRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new SinkRecord("ledger", 0, null, "k-" + i, null, Map.of("n", i, "amount", i * 10), i));
        }
        return out;
    }

    @Test
    void exactlyOnceRewindsToTheWarehouseOffsetsAfterACrash() {
        String url = TestPostgres.get().createDatabase("eos_crash");
        Map<String, String> config = pgConfig(url, "exactly.once", "true", "batch.size", "100");
        TaskDriver first = new TaskDriver(config, true, List.of(TP));
        first.put(ledger(0, 300));
        first.commit();
        // rows 300..399 reach the warehouse through a full batch, then the worker dies before Connect commits
        first.put(ledger(300, 400));
        first.task.stop();

        try (TaskDriver second = new TaskDriver(config, true, List.of(TP))) {
            assertThat(second.context.rewinds).containsEntry(TP, 400L);
            // Connect seeks to 400 before it fetches
            second.put(ledger(400, 450));
            assertThat(second.commit().get(TP).offset()).isEqualTo(450L);
        }
        Sql sql = pgSql(url);
        assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(450);
        assertThat(sql.count("SELECT count(DISTINCT n) FROM ledger")).isEqualTo(450);
        assertThat(sql.count("SELECT next_offset FROM cdp_connect_offsets WHERE connector = 'task-test'"))
                .isEqualTo(450);
    }

    @Test
    void exactlyOnceFailsInsteadOfSkippingARecreatedTopic() {
        String url = TestPostgres.get().createDatabase("eos_reset");
        Map<String, String> config = pgConfig(url, "exactly.once", "true", "batch.size", "100");
        try (TaskDriver first = new TaskDriver(config, true, List.of(TP))) {
            first.put(ledger(0, 300));
            first.commit();
        }
        // the topic is deleted and re-created: after the rewind to 300 the consumer starts over at 0
        TaskDriver second = new TaskDriver(config, true, List.of(TP));
        assertThat(second.context.rewinds).containsEntry(TP, 300L);
        assertThatThrownBy(() -> second.put(ledger(0, 50)))
                .hasMessageContaining("next offset of ledger-0 is 300")
                .hasMessageContaining("delivers offset 0")
                .hasMessageContaining("/offsets");
        assertThatThrownBy(() -> second.put(ledger(0, 50))).hasMessageContaining("re-created");
        second.task.stop();
        assertThat(pgSql(url).count("SELECT count(*) FROM ledger")).isEqualTo(300);
    }

    @Test
    void exactlyOnceContinuesOnARecreatedTopicWhenConfiguredTo() {
        String url = TestPostgres.get().createDatabase("eos_reset_continue");
        Map<String, String> config =
                pgConfig(url, "exactly.once", "true", "batch.size", "100", "exactly.once.on.offset.reset", "continue");
        try (TaskDriver first = new TaskDriver(config, true, List.of(TP))) {
            first.put(ledger(0, 300));
            first.commit();
        }
        try (TaskDriver second = new TaskDriver(config, true, List.of(TP))) {
            second.put(ledger(0, 50));
            assertThat(second.commit().get(TP).offset()).isEqualTo(50L);
        }
        Sql sql = pgSql(url);
        assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(350);
        assertThat(sql.count("SELECT next_offset FROM cdp_connect_offsets WHERE connector = 'task-test'"))
                .isEqualTo(50);
        // and the next start rewinds to the new position
        try (TaskDriver third = new TaskDriver(config, true, List.of(TP))) {
            assertThat(third.context.rewinds).containsEntry(TP, 50L);
        }
    }

    @Test
    void recordsThatNeverReachedPutAreCommittedOnceNothingIsBuffered() {
        String url = TestPostgres.get().createDatabase("trailing_dlq");
        try (TaskDriver driver = new TaskDriver(pgConfig(url, "batch.size", "1000"), true, List.of(TP))) {
            driver.put(ledger(0, 10));
            // offsets 10..11 were dead-lettered by an SMT: Connect consumed them but put() never saw them
            Map<TopicPartition, OffsetAndMetadata> consumed = Map.of(TP, new OffsetAndMetadata(12L));
            assertThat(driver.task.preCommit(consumed).get(TP).offset()).isEqualTo(12L);
        }
        assertThat(pgSql(url).count("SELECT count(*) FROM ledger")).isEqualTo(10);
    }

    @Test
    void aZombieTaskIsFencedByTheOffsetsTable() {
        String url = TestPostgres.get().createDatabase("eos_zombie");
        // polls of 50 are full ones: the task keeps batching until a commit
        Map<String, String> config =
                pgConfig(url, "exactly.once", "true", "batch.size", "1000", "consumer.override.max.poll.records", "50");
        TaskDriver zombie = new TaskDriver(config, true, List.of(TP));
        zombie.put(ledger(0, 100));
        zombie.commit();
        zombie.put(ledger(100, 150)); // buffered when the partition moves away
        try (TaskDriver owner = new TaskDriver(config, true, List.of(TP))) {
            assertThat(owner.context.rewinds).containsEntry(TP, 100L);
            owner.put(ledger(100, 200));
            owner.commit();
        }
        zombie.commit(); // its transaction must not land
        assertThat(zombie.context.rewinds).containsEntry(TP, 200L);
        zombie.task.stop();
        Sql sql = pgSql(url);
        assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(200);
        assertThat(sql.count("SELECT count(DISTINCT n) FROM ledger")).isEqualTo(200);
    }

    @Test
    void badRowsAreReportedAndTheRestOfTheBatchLandsOnPostgres() {
        String url = TestPostgres.get().createDatabase("dlq_task");
        pgSql(url).execute("CREATE TABLE ledger (n bigint PRIMARY KEY, amount bigint)");
        assertBadRowsIsolated(pgConfig(url, "batch.size", "1000"), pgSql(url));
    }

    @Test
    void badRowsAreReportedAndTheRestOfTheBatchLandsOnDuckDb() throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("dlq.duckdb");
        Sql sql = new Sql(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        sql.execute("CREATE TABLE ledger (n BIGINT PRIMARY KEY, amount BIGINT)");
        Map<String, String> config = new HashMap<>();
        config.put("warehouse.url", url);
        config.put("batch.size", "1000");
        assertBadRowsIsolated(config, null);
        assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(8);
        assertThat(sql.count("SELECT count(*) FROM ledger WHERE n IN (3, 6)")).isEqualTo(0);
    }

    @Test
    void aDuplicateKeyInAnAppenderBatchIsIsolatedNotLostOnDuckDb() {
        String url = "jdbc:duckdb:" + dir.resolve("dup.duckdb");
        Sql sql = new Sql(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        sql.execute("CREATE TABLE ledger (n BIGINT PRIMARY KEY, amount BIGINT)");
        List<SinkRecord> batch = new ArrayList<>(ledger(0, 10));
        batch.set(6, new SinkRecord("ledger", 0, null, "k-6", null, Map.of("n", 5, "amount", 60), 6));
        try (TaskDriver driver =
                new TaskDriver(Map.of("warehouse.url", url, "batch.size", "1000"), true, List.of(TP))) {
            driver.put(batch);
            assertThat(driver.commit().get(TP).offset()).isEqualTo(10L);
            assertThat(driver.context.errant)
                    .extracting(SinkRecord::kafkaOffset)
                    .containsExactly(6L);
        }
        assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(9);
    }

    private static void assertBadRowsIsolated(Map<String, String> config, Sql sql) {
        List<SinkRecord> batch = new ArrayList<>(ledger(0, 10));
        batch.set(3, new SinkRecord("ledger", 0, null, "k-3", null, Map.of("n", 3, "amount", "three"), 3));
        batch.set(6, new SinkRecord("ledger", 0, null, "k-6", null, Map.of("n", 5, "amount", 60), 6)); // duplicate key
        try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
            driver.put(batch);
            assertThat(driver.commit().get(TP).offset()).isEqualTo(10L);
            assertThat(driver.context.errant)
                    .extracting(SinkRecord::kafkaOffset)
                    .containsExactlyInAnyOrder(3L, 6L);
        }
        if (sql != null) {
            assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(8);
            assertThat(sql.count("SELECT sum(amount) FROM ledger")).isEqualTo(450 - 30 - 60);
        }
    }

    @Test
    void withoutAReporterABadRowFailsTheTaskInsteadOfBeingDropped() {
        String url = TestPostgres.get().createDatabase("no_reporter");
        pgSql(url).execute("CREATE TABLE ledger (n bigint, amount bigint)");
        TaskDriver driver = new TaskDriver(pgConfig(url, "batch.size", "1"), false, List.of(TP));
        assertThatThrownBy(() -> driver.put(
                        List.of(new SinkRecord("ledger", 0, null, "k", null, Map.of("n", 1, "amount", "x"), 0))))
                .hasMessageContaining("no errant record reporter");
        driver.task.stop();
    }

    @Test
    void aMissingPrivilegeFailsTheTaskWithTheFixAndReportsNothing() {
        String url = TestPostgres.get().createDatabase("privilege");
        Sql admin = pgSql(url);
        admin.execute("CREATE TABLE ledger (n bigint, amount bigint)");
        String role = "ledger_reader_" + ProcessHandle.current().pid();
        admin.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'reader'");
        admin.execute("GRANT SELECT ON ledger TO " + role);
        Map<String, String> config = pgConfig(url, "batch.size", "5", "auto.create", "false");
        // the embedded server's URL names its superuser, which would win over warehouse.user
        config.put("warehouse.url", url.replaceFirst("\\?.*$", ""));
        config.put("warehouse.user", role);
        config.put("warehouse.password", "reader");
        TaskDriver driver = new TaskDriver(config, true, List.of(TP));
        assertThatThrownBy(() -> driver.put(ledger(0, 5)))
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("42501")
                .hasMessageContaining("GRANT");
        assertThat(driver.context.errant).isEmpty();
        assertThat(driver.commit()).isEmpty();
        driver.task.stop();
    }

    @Test
    void aRecordDeadLetteredBeforeARetriableFailureIsReportedOnceAcrossRedeliveries() throws Exception {
        String url = TestPostgres.get().createDatabase("report_once");
        java.util.regex.Matcher port =
                java.util.regex.Pattern.compile("//[^:/]+:(\\d+)/").matcher(url);
        assertThat(port.find()).isTrue();
        try (io.cdpconnect.testing.TcpProxy proxy =
                new io.cdpconnect.testing.TcpProxy("localhost", Integer.parseInt(port.group(1)))) {
            String proxied = url.replaceFirst("//[^:/]+:\\d+/", "//127.0.0.1:" + proxy.port() + "/");
            Map<String, String> config = pgConfig(
                    proxied,
                    "batch.size",
                    "2",
                    "table.name.format",
                    "${kind}",
                    "max.retries",
                    "10",
                    "retry.backoff.ms",
                    "10");
            List<SinkRecord> batch = List.of(
                    new SinkRecord("ledger", 0, null, "k-0", null, Map.of("kind", "ledger", "n", 0), 0),
                    new SinkRecord("ledger", 0, null, "k-1", null, Map.of("n", 1), 1), // no routing field
                    new SinkRecord("ledger", 0, null, "k-2", null, Map.of("kind", "ledger", "n", 2), 2));
            TaskDriver driver = new TaskDriver(config, true, List.of(TP));
            proxy.cut();
            // Connect redelivers the same records after each retriable failure
            assertThatThrownBy(() -> driver.put(batch)).isInstanceOf(RetriableException.class);
            assertThatThrownBy(() -> driver.put(batch)).isInstanceOf(RetriableException.class);
            proxy.restore();
            driver.put(batch);
            assertThat(driver.commit().get(TP).offset()).isEqualTo(3L);
            assertThat(driver.context.errant)
                    .extracting(SinkRecord::kafkaOffset)
                    .containsExactly(1L);
            driver.close();
        }
        assertThat(pgSql(url).count("SELECT count(*) FROM ledger")).isEqualTo(2);
    }

    @Test
    void aPollThatIsNotFullIsWrittenAtOnceAndFullPollsKeepFillingTheBatch() {
        String url = TestPostgres.get().createDatabase("latency");
        Map<String, String> config = pgConfig(
                url, "batch.size", "10000", "flush.interval.ms", "600000", "consumer.override.max.poll.records", "100");
        Sql sql = pgSql(url);
        try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
            driver.put(ledger(0, 100)); // a full poll: more is waiting, keep batching
            assertThat(sql.countOrMissing("ledger")).isEqualTo(-1);
            driver.put(ledger(100, 130)); // the consumer caught up: write now, not after flush.interval.ms
            assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(130);
            driver.put(ledger(130, 131));
            assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(131);
        }
    }

    @Test
    void unreachableDatabaseIsRetriableAndKeepsNothingTwice() {
        Map<String, String> config = pgConfig(
                "jdbc:postgresql://127.0.0.1:1/none", "batch.size", "2", "max.retries", "5", "retry.backoff.ms", "10");
        TaskDriver driver = new TaskDriver(config, true, List.of(TP));
        assertThatThrownBy(() -> driver.put(ledger(0, 2))).isInstanceOf(RetriableException.class);
        assertThat(driver.context.timeout).isEqualTo(10L);
        assertThat(driver.commit()).isEmpty();
        driver.task.stop();
    }

    @Test
    void upsertAndDeleteKeepEventOrderWithinOneBatchOnDuckDb() {
        String url = "jdbc:duckdb:" + dir.resolve("upsert.duckdb");
        Map<String, String> config = new HashMap<>(Map.of(
                "warehouse.url",
                url,
                "insert.mode",
                "upsert",
                "pk.mode",
                "record_key",
                "pk.fields",
                "id",
                "delete.enabled",
                "true",
                "table.name.format",
                "customers"));
        List<SinkRecord> batch = List.of(
                new SinkRecord("c", 0, null, "a", null, Map.of("tier", "gold"), 0),
                new SinkRecord("c", 0, null, "b", null, Map.of("tier", "silver"), 1),
                new SinkRecord("c", 0, null, "a", null, null, 2),
                new SinkRecord("c", 0, null, "a", null, Map.of("tier", "platinum"), 3),
                new SinkRecord("c", 0, null, "b", null, Map.of("tier", "bronze"), 4),
                new SinkRecord("c", 0, null, "c", null, Map.of("tier", "x"), 5),
                new SinkRecord("c", 0, null, "c", null, null, 6));
        try (TaskDriver driver = new TaskDriver(config, true, List.of(new TopicPartition("c", 0)))) {
            driver.put(batch);
            driver.commit();
        }
        Sql sql = new Sql(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(sql.rows("SELECT id, tier FROM customers ORDER BY id"))
                .containsExactly(Map.of("id", "a", "tier", "platinum"), Map.of("id", "b", "tier", "bronze"));
    }

    @Test
    void upsertAndDeleteWorkOnMonthlyPartitionedTables() {
        String url = TestPostgres.get().createDatabase("partitioned_upsert");
        Map<String, String> config = pgConfig(
                url,
                "table.name.format",
                "sessions",
                "insert.mode",
                "upsert",
                "pk.mode",
                "record_key",
                "pk.fields",
                "session_id",
                "delete.enabled",
                "true",
                "partition.column",
                "started_at",
                "partition.interval",
                "day");
        TopicPartition tp = new TopicPartition("s", 0);
        try (TaskDriver driver = new TaskDriver(config, true, List.of(tp))) {
            driver.put(List.of(
                    new SinkRecord(
                            "s", 0, null, "s-1", null, Map.of("started_at", "2026-11-23T10:00:00Z", "pages", 1), 0),
                    new SinkRecord(
                            "s", 0, null, "s-2", null, Map.of("started_at", "2026-11-24T10:00:00Z", "pages", 1), 1)));
            driver.commit();
            driver.put(List.of(
                    new SinkRecord(
                            "s", 0, null, "s-1", null, Map.of("started_at", "2026-11-23T10:00:00Z", "pages", 5), 2),
                    new SinkRecord("s", 0, null, "s-2", null, null, 3)));
            driver.commit();
            assertThat(driver.context.errant).isEmpty();
        }
        Sql sql = pgSql(url);
        assertThat(sql.rows("SELECT session_id, pages FROM sessions"))
                .containsExactly(Map.of("session_id", "s-1", "pages", 5L));
        // the rows' two days (today's and tomorrow's partitions are also created ahead, in the background)
        assertThat(sql.count("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE "
                        + "i.inhparent = 'sessions'::regclass AND c.relname LIKE 'sessions_p2026_11_2_'"))
                .isEqualTo(2);
    }

    @Test
    void tlsOptionsReachTheDriver() {
        // the test server has no TLS: requiring it must fail the connection, proving the option is applied
        String url = TestPostgres.get().createDatabase("tls");
        Map<String, String> config =
                pgConfig(url, "warehouse.tls.mode", "require", "batch.size", "1", "max.retries", "3");
        TaskDriver driver = new TaskDriver(config, true, List.of(TP));
        assertThatThrownBy(() -> driver.put(ledger(0, 1)))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("SSL");
        driver.task.stop();
    }

    @Test
    void exactlyOnceOnDuckDbCommitsAppendedRowsWithTheirOffsets() {
        String url = "jdbc:duckdb:" + dir.resolve("eos.duckdb");
        Map<String, String> config = new HashMap<>(
                Map.of("name", "duck-eos", "warehouse.url", url, "exactly.once", "true", "batch.size", "100"));
        TaskDriver first = new TaskDriver(config, true, List.of(TP));
        first.put(ledger(0, 300));
        first.commit();
        first.put(ledger(300, 400)); // written by a full batch, never committed to Connect
        first.task.stop();
        try (TaskDriver second = new TaskDriver(config, true, List.of(TP))) {
            assertThat(second.context.rewinds).containsEntry(TP, 400L);
            second.put(ledger(400, 420));
            second.commit();
        }
        Sql sql = new Sql(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(420);
        assertThat(sql.count("SELECT count(DISTINCT n) FROM ledger")).isEqualTo(420);
        assertThat(sql.columns("ledger")).containsEntry("n", "BIGINT");
    }
}
