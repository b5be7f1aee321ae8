/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.warehouse.dialect.PostgresDialect;
import io.cdpconnect.warehouse.write.OffsetStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Two tasks starting at once both create the offsets table. PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe
 * against a concurrent creation: the loser fails on the catalog's unique index (23505, or 42P07). The store
 * treats that as "created by the other" and goes on.
 */
class OffsetStoreRaceIT {

    @Test
    void twoTasksCreatingTheOffsetsTableAtOnceBothSucceed() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("wh_offsets_race");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Throwable> failures = new ArrayList<>();
        try (Connection a = DriverManager.getConnection(url, pg.user(), pg.password());
                Connection b = DriverManager.getConnection(url, pg.user(), pg.password())) {
            for (int round = 0; round < 40; round++) {
                String table = "offsets_race_" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<?>> both = new ArrayList<>();
                for (Connection c : List.of(a, b)) {
                    both.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        new OffsetStore(new PostgresDialect(), c == a ? "task-a" : "task-b", table)
                                .load(c, "public", List.of(new TopicPartition("t", 0)));
                        return null;
                    }));
                }
                for (Future<?> f : both) {
                    try {
                        f.get(60, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(e.getCause());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).as("offset table creations that failed").isEmpty();
    }
}
