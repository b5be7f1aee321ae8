/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.warehouse.it.Sql;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/**
 * DuckDB has no savepoints: a row the database rejects aborts the whole transaction. Finding the bad rows by
 * restarting the batch after each one costs rows x bad rows. The writer locates them with throw-away probes
 * instead: exactly the bad rows are dead-lettered, every good row is written once, and the batch is written in
 * two whole transactions (the failed bulk load and the final one), however many rows are bad.
 */
class DuckDbBadRowIsolationIT {

    private static final TopicPartition TP = new TopicPartition("ledger", 0);
    private static final Set<Integer> BAD = Set.of(7, 33, 34, 120, 199);
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"insert", "upsert"})
    void severalBadRowsAreIsolatedWithoutARestartPerBadRow(String mode) throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("isolate-" + mode + ".duckdb");
        Sql sql = Sql.duckDb(url);
        // a CHECK only the database knows: the values fit their columns, so only the write can reject them
        sql.execute("CREATE TABLE ledger (n BIGINT PRIMARY KEY, amount BIGINT CHECK (amount >= 0))");
        Map<String, String> config = new HashMap<>();
        config.put("warehouse.url", url);
        config.put("batch.size", "1000");
        config.put("insert.mode", mode);
        if (mode.equals("upsert")) {
            config.put("pk.mode", "record_value");
            config.put("pk.fields", "n");
        }
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(new SinkRecord(
                    "ledger", 0, null, "k-" + i, null, Map.of("n", i, "amount", BAD.contains(i) ? -i : i * 10), i));
        }
        String connector = "isolate-" + mode;
        MDC.put("connector.context", "[" + connector + "|task-0] ");
        ObjectName metrics = new ObjectName("cdp.warehouse-sink:connector=\"" + connector + "\",task=\"0\"");
        try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
            driver.put(batch);
            assertThat(driver.commit().get(TP).offset()).isEqualTo(200L);
            assertThat(driver.context.errant)
                    .extracting(r -> (int) r.kafkaOffset())
                    .containsExactlyInAnyOrderElementsOf(BAD);
            assertThat(driver.context.causes).allSatisfy(c -> assertThat(c).hasMessageContaining("CHECK"));
            long attempts = (long) jmx.getAttribute(metrics, "write-attempts");
            long probes = (long) jmx.getAttribute(metrics, "isolation-probes");
            assertThat(attempts)
                    .as("whole-batch transactions (failed bulk load + final write)")
                    .isEqualTo(2);
            // bisection: about 2 x bad x log2(rows / bad) probes, far fewer than rows
            assertThat(probes).as("throw-away probes").isLessThan(80);
        }
        assertThat(sql.count("SELECT count(*) FROM ledger")).isEqualTo(195);
        assertThat(sql.count("SELECT count(DISTINCT n) FROM ledger")).isEqualTo(195);
        assertThat(sql.count("SELECT sum(amount) FROM ledger")).isEqualTo(sumOfGood());
        assertThat(sql.count("SELECT count(*) FROM ledger WHERE n IN (7, 33, 34, 120, 199)"))
                .isZero();
    }

    private static long sumOfGood() {
        long sum = 0;
        for (int i = 0; i < 200; i++) {
            if (!BAD.contains(i)) {
                sum += i * 10L;
            }
        }
        return sum;
    }
}
