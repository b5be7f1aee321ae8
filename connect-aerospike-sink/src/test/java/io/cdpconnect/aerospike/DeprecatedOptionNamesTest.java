/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** The renamed options: the new names are read, the old ones keep working, both set differently is an error. */
class DeprecatedOptionNamesTest {

    @Test
    void theNewNamesAreRead() {
        Map<String, String> props = TestConfigs.bins();
        props.put("aerospike.tls.enabled", "true");
        props.put("aerospike.tls.truststore.location", "/etc/trust.p12");
        props.put("aerospike.tls.keystore.location", "/etc/key.p12");
        props.put("delete.enabled", "false");
        AerospikeSinkConfig config = new AerospikeSinkConfig(props);
        assertThat(config.tlsTruststoreLocation()).isEqualTo("/etc/trust.p12");
        assertThat(config.tlsKeystoreLocation()).isEqualTo("/etc/key.p12");
        assertThat(config.deleteEnabled()).isFalse();
        assertThat(AerospikeSinkConfig.CONFIG_DEF.names())
                .doesNotContain("aerospike.tls.truststore.path", "aerospike.tls.keystore.path", "delete.on.tombstone");
    }

    @Test
    void theOldNamesKeepWorking() {
        Map<String, String> props = TestConfigs.bins();
        props.put("aerospike.tls.enabled", "true");
        props.put("aerospike.tls.truststore.path", "/etc/trust.p12");
        props.put("aerospike.tls.keystore.path", "/etc/key.p12");
        props.put("delete.on.tombstone", "false");
        AerospikeSinkConfig config = new AerospikeSinkConfig(props);
        assertThat(config.tlsTruststoreLocation()).isEqualTo("/etc/trust.p12");
        assertThat(config.tlsKeystoreLocation()).isEqualTo("/etc/key.p12");
        assertThat(config.deleteEnabled()).isFalse();
    }

    @Test
    void oldAndNewNameWithDifferentValuesIsAnError() {
        Map<String, String> props = TestConfigs.bins();
        props.put("delete.on.tombstone", "false");
        props.put("delete.enabled", "true");
        assertThatThrownBy(() -> new AerospikeSinkConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delete.enabled")
                .hasMessageContaining("delete.on.tombstone");
        Config result = new AerospikeSinkConnector().validate(props);
        assertThat(errorsOf(result, "delete.enabled"))
                .singleElement()
                .asString()
                .contains("delete.on.tombstone");
    }

    @Test
    void validateChecksAValueGivenUnderTheOldName() {
        Map<String, String> props = TestConfigs.bins();
        props.put("delete.on.tombstone", "maybe");
        Config result = new AerospikeSinkConnector().validate(props);
        assertThat(errorsOf(result, "delete.enabled")).isNotEmpty();
    }

    @Test
    void enumValuesAreLowerCaseAndTheOldUpperCaseStillWorks() {
        assertThat(AerospikeSinkConfig.CONFIG_DEF
                        .configKeys()
                        .get("write.mode")
                        .recommender
                        .validValues("write.mode", Map.of()))
                .containsExactly("segments", "counters", "bins");
        assertThat(AerospikeSinkConfig.CONFIG_DEF.configKeys().get("aerospike.set.source").defaultValue)
                .isEqualTo("fixed");
        Map<String, String> props = TestConfigs.bins();
        props.put("write.mode", "BINS");
        props.put("bins.write.action", "UPDATE_ONLY");
        AerospikeSinkConfig config = new AerospikeSinkConfig(props);
        assertThat(config.writeMode()).isEqualTo(AerospikeSinkConfig.WriteMode.BINS);
        assertThat(config.binsWriteAction()).isEqualTo(AerospikeSinkConfig.BinsWriteAction.UPDATE_ONLY);
    }

    private static List<String> errorsOf(Config config, String name) {
        return config.configValues().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .map(ConfigValue::errorMessages)
                .orElseThrow();
    }
}
