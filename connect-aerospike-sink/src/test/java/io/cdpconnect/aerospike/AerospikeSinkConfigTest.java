/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aerospike.client.Host;
import com.aerospike.client.policy.AuthMode;
import com.aerospike.client.policy.BatchPolicy;
import com.aerospike.client.policy.ClientPolicy;
import io.cdpconnect.aerospike.client.AerospikeClients;
import io.cdpconnect.aerospike.write.CounterIncrement;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class AerospikeSinkConfigTest {

    @Test
    void everyOptionIsDocumentedAndGrouped() {
        AerospikeSinkConfig.CONFIG_DEF.configKeys().values().forEach(key -> {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
            assertThat(key.name).matches("[a-z.]+");
        });
        assertThat(AerospikeSinkConfig.CONFIG_DEF.configKeys().get(AerospikeSinkConfig.PASSWORD).type)
                .isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
    }

    @Test
    void binNamesOverFifteenBytesAreConfigErrors() {
        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.SEGMENTS_BIN, "segment_membership");
        assertThatThrownBy(() -> new AerospikeSinkConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("segments.bin")
                .hasMessageContaining("at most 15");
        Map<String, String> counters = TestConfigs.counters();
        counters.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "lifetime_revenue_eur=total");
        assertThatThrownBy(() -> new AerospikeSinkConfig(counters)).hasMessageContaining("at most 15");
        Map<String, String> bins = TestConfigs.bins();
        bins.put(AerospikeSinkConfig.BINS_RENAME, "a:this_is_far_too_long");
        assertThatThrownBy(() -> new AerospikeSinkConfig(bins)).hasMessageContaining("at most 15");
    }

    @Test
    void modeSpecificRules() {
        Map<String, String> counters = TestConfigs.counters();
        counters.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "");
        assertThatThrownBy(() -> new AerospikeSinkConfig(counters)).hasMessageContaining("at least one counter");
        counters.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "a=1,a=2");
        assertThatThrownBy(() -> new AerospikeSinkConfig(counters)).hasMessageContaining("twice");
        counters.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "a=x:float");
        assertThatThrownBy(() -> new AerospikeSinkConfig(counters)).hasMessageContaining("unknown type");
        Map<String, String> setField = TestConfigs.segments();
        setField.put(AerospikeSinkConfig.SET_SOURCE, "field");
        assertThatThrownBy(() -> new AerospikeSinkConfig(setField)).hasMessageContaining(AerospikeSinkConfig.SET_FIELD);
        Map<String, String> sameBins = TestConfigs.segments();
        sameBins.put(AerospikeSinkConfig.SEGMENTS_TS_BIN, "segments");
        assertThatThrownBy(() -> new AerospikeSinkConfig(sameBins)).hasMessageContaining("must differ");
        Map<String, String> badMode = TestConfigs.segments();
        badMode.put(AerospikeSinkConfig.WRITE_MODE, "upsert");
        assertThatThrownBy(() -> new AerospikeSinkConfig(badMode)).hasMessageContaining(AerospikeSinkConfig.WRITE_MODE);
    }

    @Test
    void incrementsParse() {
        AerospikeSinkConfig config = new AerospikeSinkConfig(TestConfigs.counters());
        assertThat(config.increments())
                .extracting(CounterIncrement::bin)
                .containsExactly("order_count", "revenue", "items");
        assertThat(config.increments().get(0).constant()).isEqualTo(1L);
        assertThat(config.increments().get(1).field().path()).isEqualTo("total");
        assertThat(config.increments().get(1).kind()).isEqualTo(CounterIncrement.NumberKind.DOUBLE);
        assertThat(config.increments().get(2).kind()).isEqualTo(CounterIncrement.NumberKind.AUTO);
    }

    @Test
    void clientPolicyAndHosts() {
        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.HOSTS, "a.example:3100, b.example:tls-b:4333,c.example");
        props.put(AerospikeSinkConfig.TLS_NAME, "cluster-tls");
        props.put(AerospikeSinkConfig.USER, "svc");
        props.put(AerospikeSinkConfig.PASSWORD, "secret");
        props.put(AerospikeSinkConfig.AUTH_MODE, "external");
        props.put(AerospikeSinkConfig.MAX_CONNS_PER_NODE, "42");
        props.put(AerospikeSinkConfig.TOTAL_TIMEOUT_MS, "1234");
        props.put(AerospikeSinkConfig.MAX_RETRIES, "5");
        AerospikeSinkConfig config = new AerospikeSinkConfig(props);
        Host[] hosts = AerospikeClients.hosts(config);
        assertThat(hosts)
                .containsExactly(
                        new Host("a.example", "cluster-tls", 3100),
                        new Host("b.example", "tls-b", 4333),
                        new Host("c.example", "cluster-tls", 3000));
        ClientPolicy policy = AerospikeClients.clientPolicy(config);
        assertThat(policy.user).isEqualTo("svc");
        assertThat(policy.password).isEqualTo("secret");
        assertThat(policy.authMode).isEqualTo(AuthMode.EXTERNAL);
        assertThat(policy.maxConnsPerNode).isEqualTo(42);
        assertThat(policy.tlsPolicy).isNull();
        BatchPolicy batch = AerospikeClients.batchPolicy(config);
        assertThat(batch.totalTimeout).isEqualTo(1234);
        assertThat(batch.maxRetries).isEqualTo(5);
        assertThat(batch.respondAllKeys).isTrue();
    }

    @Test
    void tlsWithDefaultTrustStoreAndMissingStoreFile() {
        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.TLS_ENABLED, "true");
        ClientPolicy policy = AerospikeClients.clientPolicy(new AerospikeSinkConfig(props));
        assertThat(policy.tlsPolicy).isNotNull();
        assertThat(policy.tlsPolicy.protocols).containsExactly("TLSv1.3", "TLSv1.2");
        props.put(AerospikeSinkConfig.TLS_TRUSTSTORE_LOCATION, "/nonexistent/truststore.p12");
        assertThatThrownBy(() -> AerospikeClients.clientPolicy(new AerospikeSinkConfig(props)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TLS");
    }

    @Test
    void connectorValidateReportsCrossFieldErrors() {
        Map<String, String> props = TestConfigs.counters();
        props.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "");
        Config result = new AerospikeSinkConnector().validate(props);
        ConfigValue increments = result.configValues().stream()
                .filter(v -> v.name().equals(AerospikeSinkConfig.COUNTERS_INCREMENTS))
                .findFirst()
                .orElseThrow();
        assertThat(increments.errorMessages()).singleElement().asString().contains("at least one counter");
        Map<String, String> setField = TestConfigs.segments();
        setField.put(AerospikeSinkConfig.SET_SOURCE, "FIELD");
        Config missingField = new AerospikeSinkConnector().validate(setField);
        assertThat(missingField.configValues().stream()
                        .filter(v -> !v.errorMessages().isEmpty())
                        .map(ConfigValue::name))
                .containsExactly(AerospikeSinkConfig.SET_FIELD);
        Config ok = new AerospikeSinkConnector().validate(TestConfigs.segments());
        assertThat(ok.configValues())
                .allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    @Test
    void versionComesFromTheBuild() {
        assertThat(new AerospikeSinkConnector().version())
                .isNotBlank()
                .doesNotContain("${")
                .isNotEqualTo("unknown");
    }

    @Test
    void twoOptionMistakesOfTheNewKeyAndPolicyOptionsAreReportedOnTheRightOption() {
        Map<String, String> digest = TestConfigs.segments();
        digest.put(AerospikeSinkConfig.KEY_DIGEST, "true");
        Map<String, String> composite = TestConfigs.bins();
        composite.put(AerospikeSinkConfig.KEY_FIELDS, "tenant,customer_id");
        Map<String, String> compositeLong = TestConfigs.bins();
        compositeLong.put(AerospikeSinkConfig.KEY_FIELD, "");
        compositeLong.put(AerospikeSinkConfig.KEY_FIELDS, "tenant,customer_id");
        compositeLong.put(AerospikeSinkConfig.KEY_TYPE, "long");
        Map<String, String> generation = TestConfigs.bins();
        generation.put(AerospikeSinkConfig.BINS_GENERATION_CHECK, "expect_greater");
        Map<String, String> badPolicy = TestConfigs.counters();
        badPolicy.put(AerospikeSinkConfig.COUNTERS_OFFSET_REGRESSION, "ignore");
        Map<Map<String, String>, String> expected = new java.util.LinkedHashMap<>();
        expected.put(digest, AerospikeSinkConfig.KEY_DIGEST);
        expected.put(composite, AerospikeSinkConfig.KEY_FIELDS);
        expected.put(compositeLong, AerospikeSinkConfig.KEY_TYPE);
        expected.put(generation, AerospikeSinkConfig.BINS_GENERATION_FIELD);
        expected.put(badPolicy, AerospikeSinkConfig.COUNTERS_OFFSET_REGRESSION);
        expected.forEach((props, option) -> {
            Config result = new AerospikeSinkConnector().validate(props);
            assertThat(result.configValues().stream()
                            .filter(v -> !v.errorMessages().isEmpty())
                            .map(ConfigValue::name))
                    .as(option)
                    .containsExactly(option);
        });
    }
}
