/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import static io.cdpconnect.testing.ConnectTestCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.ConnectTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The zero-setup target: a DuckDB file under target/. DuckDB allows one process-wide owner of a file, so the
 * test reads the file after the connector is deleted (which closes it): auto-create, evolve, routing by event
 * type with JSON columns, upsert and tombstone deletes.
 */
class DuckDbSinkIT {

    private static final String CONNECTOR = "io.cdpconnect.warehouse.WarehouseSinkConnector";

    private static ConnectTestCluster connect;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createDirectories(Path.of("target", "duckdb-it")).toAbsolutePath();
        connect = ConnectTestCluster.builder().name("warehouse-duckdb").start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
    }

    private static Sql open(Path file) {
        String url = "jdbc:duckdb:" + file;
        return new Sql(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Path fresh(String name) throws Exception {
        Path file = dir.resolve(name + ".duckdb");
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir.resolve(name + ".duckdb.wal"));
        return file;
    }

    /** Deletes the connector, which stops its task and releases the file. */
    private static void release(String connector) {
        connect.deleteConnector(connector);
        waitFor(Duration.ofSeconds(30), connector + " deleted", () -> {
            try {
                connect.connectorStatus(connector);
                return false;
            } catch (RuntimeException gone) {
                return true;
            }
        });
    }

    @Test
    void eventsAreRoutedByTypeIntoAutoCreatedAndEvolvedTables() throws Exception {
        Path file = fresh("events");
        connect.createTopic("duck.events", 1);
        connect.putConnectorConfig("duck-events", """
                {"connector.class": "%s", "tasks.max": "1", "topics": "duck.events",
                 "warehouse.url": "jdbc:duckdb:%s",
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter.schemas.enable": "false",
                 "table.name.format": "events_${event_type}", "flush.interval.ms": "200"}
                """.formatted(CONNECTOR, file));
        connect.awaitRunning("duck-events", 1);
        connect.produce(
                "duck.events",
                "u-1",
                "{\"event_id\": \"e-1\", \"event_type\": \"page_view\", \"user_id\": \"u-1\", "
                        + "\"context\": {\"page\": {\"url\": \"/p/1\"}}}");
        connect.produce(
                "duck.events",
                "u-1",
                "{\"event_id\": \"e-2\", \"event_type\": \"add_to_cart\", \"user_id\": \"u-1\", "
                        + "\"properties\": {\"sku\": \"SKU-1\", \"qty\": 2, \"price\": 39.95}}");
        connect.produce(
                "duck.events",
                "u-2",
                "{\"event_id\": \"e-3\", \"event_type\": \"add_to_cart\", \"user_id\": \"u-2\", "
                        + "\"properties\": {\"sku\": \"SKU-2\", \"qty\": 1, \"price\": 9.5}, \"coupon\": \"WELCOME\"}");
        // the connector's own status tells when all three records were handled: wait for its offsets
        waitFor(
                Duration.ofSeconds(60),
                "offsets committed",
                () -> connect.rest()
                        .get("/connectors/duck-events/offsets")
                        .toString()
                        .contains("\"kafka_offset\":3"));
        release("duck-events");

        Sql sql = open(file);
        assertThat(sql.count("SELECT count(*) FROM events_page_view")).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM events_add_to_cart")).isEqualTo(2);
        Map<String, String> columns = sql.columns("events_add_to_cart");
        assertThat(columns)
                .containsEntry("event_id", "VARCHAR")
                .containsEntry("properties", "JSON")
                .containsEntry("coupon", "VARCHAR");
        assertThat(sql.rows("SELECT event_id, properties->>'sku' AS sku, CAST(properties->>'qty' AS INTEGER) AS qty, "
                        + "coupon FROM events_add_to_cart ORDER BY event_id"))
                .satisfiesExactly(
                        r -> assertThat(r)
                                .containsEntry("event_id", "e-2")
                                .containsEntry("sku", "SKU-1")
                                .containsEntry("qty", 2)
                                .containsEntry("coupon", null),
                        r -> assertThat(r).containsEntry("event_id", "e-3").containsEntry("coupon", "WELCOME"));
        assertThat(sql.rows("SELECT context->'page'->>'url' AS url FROM events_page_view"))
                .containsExactly(Map.of("url", "/p/1"));
    }

    @Test
    void ordersAreUpsertedAndDeletedByKey() throws Exception {
        Path file = fresh("orders");
        connect.createTopic("duck.orders", 1);
        connect.putConnectorConfig("duck-orders", """
                {"connector.class": "%s", "tasks.max": "1", "topics": "duck.orders",
                 "warehouse.url": "jdbc:duckdb:%s",
                 "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                 "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                 "value.converter.schemas.enable": "false",
                 "table.name.format": "orders", "insert.mode": "upsert",
                 "pk.mode": "record_key", "pk.fields": "order_id", "delete.enabled": "true",
                 "fields.exclude": "_id", "flush.interval.ms": "200"}
                """.formatted(CONNECTOR, file));
        connect.awaitRunning("duck-orders", 1);
        connect.produce(
                "duck.orders",
                "o-1",
                "{\"_id\": \"x1\", \"customer_id\": \"c-42\", \"status\": \"created\", \"total\": 129.90}");
        connect.produce(
                "duck.orders",
                "o-2",
                "{\"_id\": \"x2\", \"customer_id\": \"c-7\", \"status\": \"created\", \"total\": 10}");
        connect.produce(
                "duck.orders",
                "o-1",
                "{\"_id\": \"x1\", \"customer_id\": \"c-42\", \"status\": \"paid\", \"total\": 129.90}");
        connect.produce("duck.orders", "o-2", null);
        connect.produce(
                "duck.orders",
                "o-3",
                "{\"_id\": \"x3\", \"customer_id\": \"c-9\", \"status\": \"created\", \"total\": 5}");
        waitFor(
                Duration.ofSeconds(60),
                "offsets committed",
                () -> connect.rest()
                        .get("/connectors/duck-orders/offsets")
                        .toString()
                        .contains("\"kafka_offset\":5"));
        release("duck-orders");

        Sql sql = open(file);
        assertThat(sql.rows("SELECT order_id, status FROM orders ORDER BY order_id"))
                .containsExactly(
                        Map.of("order_id", "o-1", "status", "paid"), Map.of("order_id", "o-3", "status", "created"));
        assertThat(sql.columns("orders")).doesNotContainKey("_id").containsEntry("total", "DOUBLE");
    }
}
