package io.cdpconnect.warehouse;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class WarehouseSinkConnectorTest {

    @Test
    void everyTaskGetsTheConnectorConfig() {
        WarehouseSinkConnector connector = new WarehouseSinkConnector();
        connector.start(Map.of("warehouse.url", "jdbc:duckdb:x.duckdb", "topics", "t"));
        List<Map<String, String>> tasks = connector.taskConfigs(3);
        assertThat(tasks).hasSize(3).allSatisfy(t -> assertThat(t).containsEntry("warehouse.url", "jdbc:duckdb:x.duckdb"));
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
        assertThat(bad.configValues().stream().filter(v -> v.name().equals("partition.interval"))
                .findFirst().orElseThrow().errorMessages()).isNotEmpty();
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

        assertThat(errors(Map.of("warehouse.url", "jdbc:postgresql://db/cdp?password=secret",
                "warehouse.password", "other"))).containsOnlyKeys("warehouse.password");
        // the same user in both places, or only in the URL, is no conflict
        assertThat(errors(Map.of("warehouse.url", "jdbc:postgresql://db/cdp?user=cdp", "warehouse.user", "cdp")))
                .isEmpty();
        assertThat(errors(Map.of("warehouse.url", "jdbc:postgresql://db/cdp?user=cdp"))).isEmpty();
    }

    private static Map<String, List<String>> errors(Map<String, String> config) {
        return new WarehouseSinkConnector().validate(config).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }
}
