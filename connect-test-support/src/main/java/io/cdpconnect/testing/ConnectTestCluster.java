/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.testing.process.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/**
 * A real in-process Kafka (KRaft) + Kafka Connect cluster for integration tests.
 *
 * <p>Plugins come from {@code plugin.path}, by default the folder Maven built for the module under test
 * (system property {@code cdp.plugin.path}, set by Failsafe), so a test loads the plugin through Connect's
 * plugin isolation exactly as a user installs it. Connectors are configured by JSON posted over the REST API.
 */
public final class ConnectTestCluster implements AutoCloseable {

    /** System property Failsafe sets to the module's built plugin folder parent. */
    public static final String PLUGIN_PATH_PROPERTY = "cdp.plugin.path";

    private final EmbeddedConnectCluster connect;
    private final ConnectRest rest;

    private ConnectTestCluster(EmbeddedConnectCluster connect) {
        this.connect = connect;
        this.rest = new ConnectRest(connect.endpointForResource("").replaceAll("/$", ""));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The REST client of this cluster, for any call the helpers below do not cover. */
    public ConnectRest rest() {
        return rest;
    }

    /** Base URL of the REST API of one worker, e.g. {@code http://127.0.0.1:40123}. */
    public String restUrl() {
        return rest.baseUrl();
    }

    public String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    public EmbeddedKafkaCluster kafka() {
        return connect.kafka();
    }

    /** The underlying cluster, for worker management (add/remove workers) in rebalance tests. */
    public EmbeddedConnectCluster embedded() {
        return connect;
    }

    /** {@code PUT /connectors/{name}/config} with a JSON object body; returns the connector info. */
    public JsonNode putConnectorConfig(String name, String jsonConfig) {
        return rest.put("/connectors/" + name + "/config", jsonConfig);
    }

    public JsonNode putConnectorConfig(String name, Map<String, ?> config) {
        return putConnectorConfig(name, Json.write(config));
    }

    /** {@code PUT /connector-plugins/{class}/config/validate}; returns Connect's ConfigInfos answer. */
    public JsonNode validateConfig(String pluginClass, Map<String, ?> config) {
        return rest.put("/connector-plugins/" + pluginClass + "/config/validate", Json.write(config));
    }

    public JsonNode connectorStatus(String name) {
        return rest.get("/connectors/" + name + "/status");
    }

    public void deleteConnector(String name) {
        rest.delete("/connectors/" + name);
    }

    /** Waits until the connector and exactly {@code tasks} tasks report RUNNING. */
    public void awaitRunning(String name, int tasks) {
        awaitStatus(
                name,
                "connector " + name + " and " + tasks + " tasks RUNNING",
                status -> ConnectStatus.running(status, tasks));
    }

    /** Waits until at least one task reports FAILED and returns its trace. */
    public String awaitTaskFailed(String name) {
        JsonNode status = awaitStatus(name, "a FAILED task of " + name, s -> {
            for (JsonNode task : s.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    return true;
                }
            }
            return false;
        });
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return task.path("trace").asText();
            }
        }
        throw new AssertionError("unreachable");
    }

    public JsonNode awaitStatus(String name, String what, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        waitFor(
                Duration.ofSeconds(60),
                what,
                () -> {
                    try {
                        last[0] = connectorStatus(name);
                        return condition.test(last[0]);
                    } catch (ConnectRest.RestException notYet) {
                        return false;
                    }
                },
                () -> "last status: " + last[0]);
        return last[0];
    }

    public void createTopic(String topic, int partitions) {
        connect.kafka().createTopic(topic, partitions);
    }

    public void produce(String topic, String key, String value) {
        connect.kafka().produce(topic, key, value);
    }

    public void produce(String topic, Integer partition, String key, String value) {
        connect.kafka().produce(topic, partition, key, value);
    }

    /** Consumes at least {@code count} records from the topics (from the beginning) or fails after the timeout. */
    public List<ConsumerRecord<byte[], byte[]>> consume(int count, Duration timeout, String... topics) {
        ConsumerRecords<byte[], byte[]> records = connect.kafka().consume(count, timeout.toMillis(), topics);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(records.count());
        records.forEach(out::add);
        return out;
    }

    /** Everything currently in the topics, read until the end offsets seen at the start of the call. */
    public List<ConsumerRecord<byte[], byte[]>> consumeAll(Duration timeout, String... topics) {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = connect.kafka().consumeAll(timeout.toMillis(), topics);
        } catch (Exception e) {
            throw new AssertionError("could not read " + String.join(",", topics), e);
        }
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(records.count());
        records.forEach(out::add);
        return out;
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Polls {@code condition} every 200 ms until it holds or the timeout passes ({@link Await#until}). */
    public static void waitFor(
            Duration timeout, String what, Condition condition, java.util.function.Supplier<String> detail) {
        Await.until(timeout, what, condition, detail);
    }

    public static void waitFor(Duration timeout, String what, Condition condition) {
        waitFor(timeout, what, condition, null);
    }

    /** {@link Await.Condition} under the name the tests of this cluster use. */
    @FunctionalInterface
    public interface Condition extends Await.Condition {}

    @Override
    public void close() {
        connect.stop();
    }

    public static final class Builder {
        private String name = "cdp-it";
        private int workers = 1;
        private String pluginPath = System.getProperty(PLUGIN_PATH_PROPERTY);
        private final Map<String, String> workerProps = new HashMap<>();
        private final Properties brokerProps = new Properties();

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Overrides the plugin path (e.g. the packaged bundle folder in end-to-end tests). */
        public Builder pluginPath(String pluginPath) {
            this.pluginPath = pluginPath;
            return this;
        }

        public Builder workerProp(String key, String value) {
            workerProps.put(key, value);
            return this;
        }

        public Builder brokerProp(String key, String value) {
            brokerProps.put(key, value);
            return this;
        }

        public ConnectTestCluster start() {
            // EmbeddedConnectCluster mutates the map it is given, so it gets a fresh mutable copy.
            Map<String, String> props = new HashMap<>(workerProps);
            if (pluginPath != null && !pluginPath.isBlank()) {
                props.putIfAbsent("plugin.path", pluginPath);
            }
            props.putIfAbsent("offset.flush.interval.ms", "1000");
            props.putIfAbsent("plugin.discovery", "hybrid_warn");
            brokerProps.putIfAbsent("auto.create.topics.enable", "true");
            EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder()
                    .name(name + "-" + System.nanoTime())
                    .numWorkers(workers)
                    .numBrokers(1)
                    .workerProps(props)
                    .brokerProps(brokerProps)
                    .maskExitProcedures(true)
                    .build();
            cluster.start();
            return new ConnectTestCluster(cluster);
        }
    }

    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();

        static String write(Object value) {
            try {
                return MAPPER.writeValueAsString(value);
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
