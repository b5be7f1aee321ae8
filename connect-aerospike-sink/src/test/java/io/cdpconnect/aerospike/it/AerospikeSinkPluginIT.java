/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.testing.ConnectRest;
import io.cdpconnect.testing.ConnectTestCluster;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What needs no Aerospike server: the worker discovers the plugin in its folder, validates configs over REST
 * with the connector's own rules, and a task whose cluster is unreachable keeps retrying (RUNNING) instead of
 * failing, so the records wait in Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AerospikeSinkPluginIT {

    private static final String CONNECTOR_CLASS = "io.cdpconnect.aerospike.AerospikeSinkConnector";
    private ConnectTestCluster connect;

    @BeforeAll
    void start() {
        connect = ConnectTestCluster.builder().name("aerospike-plugin-it").start();
    }

    @AfterAll
    void stop() {
        if (connect != null) {
            connect.close();
        }
    }

    private static Map<String, String> segments(String hosts) {
        Map<String, String> config = new HashMap<>();
        config.put("name", "aerospike-validate");
        config.put("connector.class", CONNECTOR_CLASS);
        config.put("topics", "segments.updates");
        config.put("aerospike.hosts", hosts);
        config.put("write.mode", "SEGMENTS");
        config.put("key.field", "user_id");
        return config;
    }

    @Test
    void pluginIsDiscoveredAsASinkWithItsVersion() {
        JsonNode plugins = connect.rest().get("/connector-plugins?connectorsOnly=true");
        JsonNode ours = null;
        for (JsonNode plugin : plugins) {
            if (CONNECTOR_CLASS.equals(plugin.path("class").asText())) {
                ours = plugin;
            }
        }
        assertThat(ours).as(plugins.toString()).isNotNull();
        assertThat(ours.path("type").asText()).isEqualTo("sink");
        assertThat(ours.path("version").asText())
                .isEqualTo(System.getProperty(
                        "project.version", ours.path("version").asText()))
                .isNotEqualTo("unknown");
    }

    @Test
    void validationReportsFieldAndModeErrors() {
        Map<String, String> badBin = segments("127.0.0.1:3000");
        badBin.put("segments.bin", "segment_memberships");
        JsonNode answer = connect.validateConfig(CONNECTOR_CLASS, badBin);
        assertThat(answer.path("error_count").asInt()).isEqualTo(1);
        assertThat(errorsOf(answer, "segments.bin")).contains("at most 15");

        Map<String, String> counters = segments("127.0.0.1:3000");
        counters.put("write.mode", "COUNTERS");
        answer = connect.validateConfig(CONNECTOR_CLASS, counters);
        assertThat(errorsOf(answer, "counters.increments")).contains("at least one counter");

        answer = connect.validateConfig(CONNECTOR_CLASS, segments("127.0.0.1:3000"));
        assertThat(answer.path("error_count").asInt()).as(answer.toString()).isZero();
    }

    private static String errorsOf(JsonNode validation, String name) {
        for (JsonNode config : validation.path("configs")) {
            if (name.equals(config.path("value").path("name").asText())) {
                return config.path("value").path("errors").toString();
            }
        }
        throw new AssertionError("no " + name + " in " + validation);
    }

    @Test
    void invalidConfigIsRefusedOnCreate() {
        Map<String, String> config = segments("127.0.0.1:3000");
        config.remove("name");
        config.remove("write.mode");
        assertThatThrownBy(() -> connect.putConnectorConfig("aerospike-invalid", config))
                .isInstanceOf(ConnectRest.RestException.class)
                .satisfies(e ->
                        assertThat(((ConnectRest.RestException) e).status()).isEqualTo(400))
                .hasMessageContaining("write.mode");
    }

    @Test
    void unreachableClusterKeepsTheTaskRunningAndRetrying() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String topic = "unreachable.updates";
        connect.createTopic(topic, 1);
        Map<String, String> config = segments("127.0.0.1:" + closedPort);
        config.remove("name");
        config.put("topics", topic);
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("aerospike.connect.timeout.ms", "300");
        config.put("retry.backoff.ms", "200");
        connect.putConnectorConfig("aerospike-unreachable", config);
        connect.awaitRunning("aerospike-unreachable", 1);
        connect.produce(topic, "u-1", "{\"user_id\":\"u-1\",\"segment_id\":\"s\",\"op\":\"add\",\"ts\":1795000000000}");
        Thread.sleep(3_000); // several put() attempts, each a RetriableException
        JsonNode status = connect.connectorStatus("aerospike-unreachable");
        assertThat(status.path("tasks").get(0).path("state").asText())
                .as(status.toString())
                .isEqualTo("RUNNING");
        JsonNode offsets = connect.rest().get("/connectors/aerospike-unreachable/offsets");
        assertThat(offsets.path("offsets").toString())
                .as("nothing committed while nothing is written")
                .doesNotContain("\"kafka_offset\":1");
        connect.deleteConnector("aerospike-unreachable");
    }

    @Test
    void exampleConfigsShippedInThePluginFolderAreValid() throws Exception {
        java.nio.file.Path etc = java.nio.file.Path.of(
                System.getProperty(ConnectTestCluster.PLUGIN_PATH_PROPERTY), "connect-aerospike-sink", "etc");
        try (var files = java.nio.file.Files.list(etc)) {
            for (java.nio.file.Path file : files.toList()) {
                JsonNode example = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
                Map<String, String> config = new HashMap<>();
                config.put("name", example.path("name").asText());
                example.path("config")
                        .fields()
                        .forEachRemaining(
                                e -> config.put(e.getKey(), e.getValue().asText()));
                JsonNode answer = connect.validateConfig(CONNECTOR_CLASS, config);
                assertThat(answer.path("error_count").asInt())
                        .as(file + ": " + answer)
                        .isZero();
            }
        }
    }
}
