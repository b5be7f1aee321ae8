/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** The task's metrics, read over JMX under the connector and task Connect's logging context names. */
class WarehouseSinkMetricsIT {

    private static final TopicPartition TP = new TopicPartition("ledger", 0);
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void rowsWrittenAndDeadLetteredAreCountedPerTaskAndGoneWhenTheTaskStops() throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("metrics.duckdb");
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ledger (n BIGINT PRIMARY KEY, amount BIGINT)");
        }
        Map<String, String> config = new HashMap<>();
        config.put("warehouse.url", url);
        config.put("batch.size", "1000");
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new SinkRecord("ledger", 0, null, "k-" + i, null, Map.of("n", i, "amount", i * 10), i));
        }
        batch.set(3, new SinkRecord("ledger", 0, null, "k-3", null, Map.of("n", 3, "amount", "three"), 3));
        batch.set(6, new SinkRecord("ledger", 0, null, "k-6", null, Map.of("n", 5, "amount", 60), 6));
        // a tombstone with delete.enabled=false changes no row: counted, never silent
        batch.add(new SinkRecord("ledger", 0, null, "k-1", null, null, 10));

        MDC.put("connector.context", "[ledger-sink|task-2] "); // as Connect sets it on the task thread
        ObjectName name = new ObjectName("cdp.warehouse-sink:connector=\"ledger-sink\",task=\"2\"");
        try (TaskDriver driver = new TaskDriver(config, true, List.of(TP))) {
            assertThat(jmx.getAttribute(name, "rows-written")).isEqualTo(0L);
            driver.put(batch);
            driver.commit();
            assertThat(jmx.getAttribute(name, "records-put")).isEqualTo(11L);
            assertThat(jmx.getAttribute(name, "records-skipped")).isEqualTo(1L);
            assertThat(jmx.getAttribute(name, "rows-written")).isEqualTo(8L);
            assertThat(jmx.getAttribute(name, "records-failed")).isEqualTo(2L);
            assertThat((long) jmx.getAttribute(name, "batches-written")).isPositive();
            assertThat(jmx.getAttribute(name, "buffered-records")).isEqualTo(0L);
            assertThat((long) jmx.getAttribute(name, "flush-latency-count")).isPositive();
            assertThat((double) jmx.getAttribute(name, "last-commit-age-ms")).isGreaterThanOrEqualTo(0.0);
        }
        assertThat(jmx.isRegistered(name))
                .as("unregistered when the task stops")
                .isFalse();
    }
}
