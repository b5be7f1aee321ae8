/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.ConfigErrors;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class WarehouseSinkConnectorTest {

    @Test
    void everyTaskGetsTheConnectorConfig() {
        WarehouseSinkConnector connector = new WarehouseSinkConnector();
        connector.start(Map.of("warehouse.url", "jdbc:duckdb:x.duckdb", "topics", "t"));
        List<Map<String, String>> tasks = connector.taskConfigs(3);
        assertThat(tasks)
                .hasSize(3)
                .allSatisfy(t -> assertThat(t).containsEntry("warehouse.url", "jdbc:duckdb:x.duckdb"));
        assertThat(connector.taskClass()).isEqualTo(WarehouseSinkTask.class);
        assertThat(connector.version()).isNotBlank().isNotEqualTo("unknown");
    }

    @Test
    void configDefIsDocumentedGroupedAndHidesThePassword() {
        ConfigDef def = new WarehouseSinkConnector().config();
        assertThat(def.configKeys().values()).allSatisfy(key -> {
            assertThat(key.documentation).isNotBlank();
            assertThat(key.group).isNotBlank();
        });
        assertThat(def.configKeys().get("warehouse.password").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get("warehouse.tls.key.password").type).isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void validateReportsCrossOptionErrorsOnTheRightOption() {
        Config result = new WarehouseSinkConnector().validate(Map.of("insert.mode", "upsert"));
        Map<String, List<String>> errors = result.configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
        assertThat(errors).containsOnlyKeys("pk.mode");
        assertThat(errors.get("pk.mode").get(0)).contains("upsert");

        Config bad = new WarehouseSinkConnector().validate(Map.of("partition.interval", "week"));
        assertThat(bad.configValues().stream()
                        .filter(v -> v.name().equals("partition.interval"))
                        .findFirst()
                        .orElseThrow()
                        .errorMessages())
                .isNotEmpty();
    }

    @Test
    void aUserInTheUrlThatDiffersFromWarehouseUserIsRejectedAtValidate() {
        // pgjdbc takes user= (and password=) from the URL over the connection properties: warehouse.user
        // would be ignored without a word
        Map<String, List<String>> errors = errors(Map.of(
                "warehouse.url", "jdbc:postgresql://db:5432/cdp?sslmode=require&user=admin",
                "warehouse.user", "cdp"));
        assertThat(errors).containsOnlyKeys("warehouse.user");
        assertThat(errors.get("warehouse.user").get(0)).contains("user=admin").contains("warehouse.url");

        assertThat(errors(Map.of(
                        "warehouse.url", "jdbc:postgresql://db/cdp?password=secret", "warehouse.password", "other")))
                .containsOnlyKeys("warehouse.password");
        // the same user in both places, or only in the URL, is no conflict
        assertThat(errors(Map.of("warehouse.url", "jdbc:postgresql://db/cdp?user=cdp", "warehouse.user", "cdp")))
                .isEmpty();
        assertThat(errors(Map.of("warehouse.url", "jdbc:postgresql://db/cdp?user=cdp")))
                .isEmpty();
    }

    private static Map<String, List<String>> errors(Map<String, String> config) {
        return ConfigErrors.byOption(new WarehouseSinkConnector().validate(config));
    }

    @Test
    void retentionMistakesAreReportedOnTheRetentionOptions() {
        String pg = "jdbc:postgresql://localhost/db";
        assertThat(errors(Map.of("warehouse.url", pg, "partition.retention", "13")))
                .containsOnlyKeys("partition.retention");
        assertThat(errors(Map.of("warehouse.url", pg, "partition.retention", "13"))
                        .get("partition.retention")
                        .get(0))
                .contains("partition.interval");
        assertThat(errors(Map.of(
                                "warehouse.url",
                                "jdbc:duckdb:x.duckdb",
                                "partition.column",
                                "ts",
                                "partition.interval",
                                "month",
                                "partition.retention",
                                "13"))
                        .get("partition.retention")
                        .get(0))
                .contains("DuckDB");
        assertThat(errors(Map.of("warehouse.url", pg, "partition.retention.action", "drop")))
                .containsOnlyKeys("partition.retention.action");
        assertThat(errors(Map.of("warehouse.url", pg, "partition.retention", "-1")))
                .containsKey("partition.retention");
        assertThat(errors(Map.of("warehouse.url", pg, "partition.retention.action", "archive")))
                .containsKey("partition.retention.action");
        assertThat(errors(Map.of(
                        "warehouse.url",
                        pg,
                        "partition.column",
                        "ts",
                        "partition.interval",
                        "month",
                        "partition.retention",
                        "13",
                        "partition.retention.action",
                        "DROP")))
                .isEmpty();
        assertThat(errors(Map.of("table.routing.max.tables", "0"))).containsKey("table.routing.max.tables");
    }

    @Test
    void topicsThatWouldShareATableAreReportedOnTheTableNameFormat() {
        Map<String, List<String>> errors = errors(Map.of("topics", "shop.orders,shop_orders"));
        assertThat(errors).containsOnlyKeys("table.name.format");
        assertThat(errors.get("table.name.format").get(0))
                .contains("shop.orders")
                .contains("shop_orders");
        assertThat(errors(Map.of("topics", "shop.orders,shop_orders", "table.name.format", "orders")))
                .isEmpty();
    }

    @Test
    void twoMappedPathsForOneColumnAreReportedOnTheMapping() {
        Map<String, List<String>> errors = errors(Map.of("fields.mapping", "properties.sku,context.sku"));
        assertThat(errors).containsOnlyKeys("fields.mapping");
        assertThat(errors.get("fields.mapping").get(0))
                .contains("properties.sku")
                .contains("context.sku");
        assertThat(errors(Map.of("fields.mapping", "a.payload:payload", "raw.column", "payload")))
                .containsOnlyKeys("fields.mapping");
        assertThat(errors(Map.of("fields.mapping", "properties.sku,context.sku:page_sku")))
                .isEmpty();
    }
}
