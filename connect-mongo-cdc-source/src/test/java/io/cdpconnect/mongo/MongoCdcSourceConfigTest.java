/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import io.cdpconnect.mongo.MongoCdcSourceConfig.HistoryLostPolicy;
import io.cdpconnect.mongo.MongoCdcSourceConfig.OversizedPolicy;
import io.cdpconnect.mongo.MongoCdcSourceConfig.StartupMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class MongoCdcSourceConfigTest {

    private static Map<String, String> base() {
        Map<String, String> p = new HashMap<>();
        p.put("mongo.uri", "mongodb://user:secret@db1:27017/?replicaSet=rs0");
        return p;
    }

    @Test
    void defaults() {
        MongoCdcSourceConfig c = new MongoCdcSourceConfig(base());
        assertThat(c.startupMode()).isEqualTo(StartupMode.LATEST);
        assertThat(c.onHistoryLost()).isEqualTo(HistoryLostPolicy.FAIL);
        assertThat(c.outputFormat()).isEqualTo(MongoCdcSourceConfig.OutputFormat.SCHEMA);
        assertThat(c.fullDocument()).isEqualTo(FullDocument.UPDATE_LOOKUP);
        assertThat(c.fullDocumentBeforeChange()).isEqualTo(FullDocumentBeforeChange.DEFAULT);
        assertThat(c.onOversized()).isEqualTo(OversizedPolicy.KEY_ONLY);
        assertThat(c.pipeline()).isEmpty();
        assertThat(c.heartbeatIntervalMs()).isZero();
        assertThat(c.inScope("shop.orders")).isTrue();
    }

    @Test
    void uriIsAPasswordAndNeverPrinted() {
        MongoCdcSourceConfig c = new MongoCdcSourceConfig(base());
        assertThat(MongoCdcSourceConfig.CONFIG_DEF.configKeys().get("mongo.uri").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(c.mongoUri().toString()).doesNotContain("secret");
        assertThat(c.mongoUri().value()).contains("secret");
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void everyOptionIsDocumentedAndGrouped() {
        for (ConfigDef.ConfigKey key :
                MongoCdcSourceConfig.CONFIG_DEF.configKeys().values()) {
            if (key.internalConfig) {
                continue;
            }
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
        }
    }

    @Test
    void scopeByDatabaseIncludeAndExclude() {
        Map<String, String> p = base();
        p.put("database", "shop");
        p.put("collections.include", "shop\\.(orders|customers|orders_.*)");
        p.put("collections.exclude", ".*_archive");
        MongoCdcSourceConfig c = new MongoCdcSourceConfig(p);
        assertThat(c.inScope("shop.orders")).isTrue();
        assertThat(c.inScope("shop.customers")).isTrue();
        assertThat(c.inScope("shop.orders_archive")).isFalse();
        assertThat(c.inScope("shop.users")).isFalse();
        assertThat(c.inScope("shopping.orders")).isFalse();
        assertThat(c.inScope("crm.orders")).isFalse();
    }

    @Test
    void enumsAndFullDocumentOptions() {
        Map<String, String> p = base();
        p.put("full.document", "whenAvailable");
        p.put("full.document.before.change", "required");
        p.put("on.history.lost", "snapshot");
        p.put("on.oversized", "key.only");
        p.put("startup.mode", "snapshot");
        MongoCdcSourceConfig c = new MongoCdcSourceConfig(p);
        assertThat(c.fullDocument()).isEqualTo(FullDocument.WHEN_AVAILABLE);
        assertThat(c.fullDocumentBeforeChange()).isEqualTo(FullDocumentBeforeChange.REQUIRED);
        assertThat(c.onHistoryLost()).isEqualTo(HistoryLostPolicy.SNAPSHOT);
        assertThat(c.startupMode()).isEqualTo(StartupMode.SNAPSHOT);
        p.put("full.document", "off");
        assertThat(new MongoCdcSourceConfig(p).fullDocument()).isEqualTo(FullDocument.DEFAULT);
    }

    @Test
    void pipelineAndNamespaceMapAreParsed() {
        Map<String, String> p = base();
        p.put("pipeline", "[{\"$match\": {\"operationType\": {\"$in\": [\"insert\", \"update\"]}}}]");
        p.put("topic.namespace.map", "{\"shop.orders\": \"orders\", \"crm\": \"crm-changes\"}");
        MongoCdcSourceConfig c = new MongoCdcSourceConfig(p);
        assertThat(c.pipeline())
                .containsExactly(
                        BsonDocument.parse("{\"$match\": {\"operationType\": {\"$in\": [\"insert\", \"update\"]}}}"));
        assertThat(c.namespaceMap()).containsEntry("shop.orders", "orders").containsEntry("crm", "crm-changes");
    }

    @Test
    void badValuesAreReportedPerOption() {
        Map<String, String> p = base();
        p.put("collections.include", "shop\\.(orders");
        p.put("pipeline", "{\"$match\": {}}");
        p.put("topic.namespace.map", "{\"shop.orders\": 5}");
        p.put("startup.timestamp", "yesterday");
        p.put("output.format", "avro");
        Map<String, List<String>> errors = MongoCdcSourceConfig.CONFIG_DEF.validate(p).stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
        assertThat(errors)
                .containsOnlyKeys(
                        "collections.include", "pipeline", "topic.namespace.map", "startup.timestamp", "output.format");
        assertThat(errors.get("collections.include").get(0)).contains("regular expression");
    }

    @Test
    void timestampModeNeedsATimestamp() {
        Map<String, String> p = base();
        p.put("startup.mode", "timestamp");
        assertThatThrownBy(() -> new MongoCdcSourceConfig(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("startup.timestamp");
        p.put("startup.timestamp", "2026-11-23T10:00:00Z");
        assertThat(new MongoCdcSourceConfig(p).startupTimestamp()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        p.put("startup.timestamp", "1795428000");
        assertThat(new MongoCdcSourceConfig(p).startupTimestamp()).isEqualTo(Instant.ofEpochSecond(1795428000L));
    }

    @Test
    void uriIsRequired() {
        assertThatThrownBy(() -> new MongoCdcSourceConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mongo.uri");
        assertThatThrownBy(() -> new MongoCdcSourceConfig(Map.of("mongo.uri", " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mongo.uri");
    }
}
