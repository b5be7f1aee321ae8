/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import static io.cdpconnect.testing.ConnectTestCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.ConnectTestCluster;
import io.cdpconnect.testing.TestPostgres;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connect's offsets REST API (KIP-875) with exactly.once on a real cluster and PostgreSQL: PATCH and DELETE
 * /connectors/{name}/offsets change the warehouse's offsets table, so the tasks' rewind at the next start follows
 * them instead of silently undoing them.
 */
class OffsetsApiIT {

    private static final String CONNECTOR = "io.cdpconnect.warehouse.WarehouseSinkConnector";
    private static final String NAME = "ledger-offsets";

    private static ConnectTestCluster connect;
    private static Sql sql;
    private static String url;

    @BeforeAll
    static void start() {
        TestPostgres pg = TestPostgres.get();
        url = pg.createDatabase("wh_offsets_api");
        sql = Sql.of(url, pg.user(), pg.password());
        connect = ConnectTestCluster.builder().name("warehouse-offsets").start();
        connect.createTopic("ledger.api", 1);
        connect.putConnectorConfig(NAME, """
                {"connector.class": "%s", "tasks.max": "1", "topics": "ledger.api",
                 "warehouse.url": "%s", "warehouse.user": "%s", "warehouse.password": "%s",
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter.schemas.enable": "false",
                 "table.name.format": "ledger", "exactly.once": "true", "flush.interval.ms": "100"}
                """.formatted(CONNECTOR, url, pg.user(), pg.password()));
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
    }

    private static long storedNext() {
        return sql.count(
                "SELECT coalesce(max(next_offset), -2) FROM cdp_connect_offsets WHERE connector = '" + NAME + "'");
    }

    @Test
    void patchAndDeleteOfConnectOffsetsUpdateTheOffsetsTable() throws Exception {
        connect.awaitRunning(NAME, 1);
        for (int i = 0; i < 10; i++) {
            connect.produce("ledger.api", "k-" + i, "{\"n\": " + i + "}");
        }
        waitFor(
                Duration.ofSeconds(60),
                "10 rows and their offsets",
                () -> sql.countOrMissing("ledger") == 10 && storedNext() == 10);

        stopConnector();
        send("PATCH", "/connectors/" + NAME + "/offsets", """
                {"offsets": [{"partition": {"kafka_topic": "ledger.api", "kafka_partition": 0},
                              "offset": {"kafka_offset": 5}}]}""");
        assertThat(storedNext()).isEqualTo(5);
        connect.rest().put("/connectors/" + NAME + "/resume", "");
        waitFor(
                Duration.ofSeconds(60),
                "records 5..9 written again from the patched offset",
                () -> sql.count("SELECT count(*) FROM ledger") == 15 && storedNext() == 10);
        assertThat(sql.count("SELECT count(*) FROM ledger WHERE n >= 5")).isEqualTo(10);

        stopConnector();
        send("DELETE", "/connectors/" + NAME + "/offsets", null);
        assertThat(storedNext()).isEqualTo(-2); // the row is gone
        connect.rest().put("/connectors/" + NAME + "/resume", "");
        waitFor(
                Duration.ofSeconds(60),
                "all 10 records written again after the reset",
                () -> sql.count("SELECT count(*) FROM ledger") == 25 && storedNext() == 10);
    }

    private static void stopConnector() {
        ConnectCalls.stop(connect, NAME);
    }

    private static void send(String method, String path, String body) throws Exception {
        ConnectCalls.send(connect, method, path, body);
    }
}
