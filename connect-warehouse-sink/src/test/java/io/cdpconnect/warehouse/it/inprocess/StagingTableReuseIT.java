/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.warehouse.it.Sql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL upserts COPY into a staging table. One per flush (created and dropped each time) bloats the catalog
 * over days; the writer keeps one per connection and column set: the same relation across many flushes, a second
 * one when the column set changes, a fresh one after the connection is lost, and every row right throughout.
 */
class StagingTableReuseIT {

    private static final TopicPartition TP = new TopicPartition("accounts", 0);

    private static Map<String, String> config(String url) {
        TestPostgres pg = TestPostgres.get();
        Map<String, String> config = new HashMap<>();
        config.put("name", "staging-test");
        config.put("warehouse.url", url);
        config.put("warehouse.user", pg.user());
        config.put("warehouse.password", pg.password());
        config.put("insert.mode", "upsert");
        config.put("pk.mode", "record_key");
        config.put("pk.fields", "id");
        config.put("table.name.format", "accounts");
        config.put("max.retries", "100");
        return config;
    }

    private static SinkRecord account(long offset, int id, int balance, String extraField) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("balance", balance);
        if (extraField != null) {
            value.put(extraField, "x-" + id);
        }
        return new SinkRecord(TP.topic(), 0, null, "a-" + id, null, value, offset);
    }

    /** Temporary staging tables (of any session) in the database: oid list. */
    private static List<Object> stagingTables(Sql sql) {
        List<Object> oids = new ArrayList<>();
        for (Map<String, Object> r : sql.rows("SELECT oid FROM pg_class WHERE relname LIKE 'cdp\\_stage\\_%' "
                + "AND relpersistence = 't' ORDER BY oid")) {
            oids.add(r.get("oid"));
        }
        return oids;
    }

    @Test
    void oneStagingTablePerConnectionAcrossFlushesColumnSetsAndReconnects() {
        String url = TestPostgres.get().createDatabase("wh_staging_reuse");
        Sql sql = Sql.of(url, TestPostgres.get().user(), TestPostgres.get().password());
        long offset = 0;
        try (TaskDriver driver = new TaskDriver(config(url), true, List.of(TP))) {
            driver.put(List.of(account(offset++, 1, 10, null), account(offset++, 2, 20, null)));
            driver.commit();
            List<Object> first = stagingTables(sql);
            assertThat(first).as("staging tables after the first upsert flush").hasSize(1);

            for (int flush = 0; flush < 25; flush++) {
                driver.put(List.of(account(offset++, 1, 100 + flush, null), account(offset++, 3 + flush, flush, null)));
                driver.commit();
            }
            assertThat(stagingTables(sql))
                    .as("the same staging table after 25 more flushes")
                    .isEqualTo(first);
            assertThat(sql.count("SELECT balance FROM accounts WHERE id = 'a-1'"))
                    .isEqualTo(124);
            assertThat(sql.count("SELECT count(*) FROM accounts")).isEqualTo(27);

            // schema evolution: a new field is a new column set, so a second staging table, reused in turn
            for (int flush = 0; flush < 5; flush++) {
                driver.put(List.of(account(offset++, 1, 200 + flush, "note")));
                driver.commit();
            }
            assertThat(stagingTables(sql)).hasSize(2).containsAll(first);
            assertThat(sql.count("SELECT balance FROM accounts WHERE id = 'a-1'"))
                    .isEqualTo(204);
            assertThat(sql.rows("SELECT note FROM accounts WHERE id = 'a-1'")).containsExactly(Map.of("note", "x-1"));
            // and back to the first column set: the first table again, nothing new
            driver.put(List.of(account(offset++, 2, 21, null)));
            driver.commit();
            assertThat(stagingTables(sql)).hasSize(2).containsAll(first);
            assertThat(sql.count("SELECT balance FROM accounts WHERE id = 'a-2'"))
                    .isEqualTo(21);
            assertThat(sql.count("SELECT count(*) FROM accounts WHERE id = 'a-2' AND note IS NULL"))
                    .isEqualTo(1);

            // the connection is lost: its temporary tables go with it; the next connection makes one again
            sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid()");
            List<SinkRecord> afterReset = List.of(account(offset++, 1, 300, null), account(offset++, 99, 9, null));
            // the write on the dead connection is retriable; Connect then delivers the same records again
            assertThatThrownBy(() -> driver.put(afterReset)).isInstanceOf(RetriableException.class);
            driver.put(afterReset);
            driver.commit();
            assertThat(stagingTables(sql))
                    .as("staging tables after a reconnect")
                    .hasSize(1)
                    .doesNotContainAnyElementsOf(first);
            assertThat(sql.count("SELECT balance FROM accounts WHERE id = 'a-1'"))
                    .isEqualTo(300);
            assertThat(sql.count("SELECT balance FROM accounts WHERE id = 'a-99'"))
                    .isEqualTo(9);
        }
    }
}
