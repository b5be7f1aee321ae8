/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A single-node KRaft broker ({@code kafka.Kafka}, combined broker and controller) in its own JVM, on a free
 * port, with its log directory formatted once by Kafka's storage tool. Restarts keep port and data, as a
 * restarted broker of a user's cluster does.
 */
public final class KafkaBroker {

    private final KafkaDistribution dist;
    private final Path dir;
    private final int port = FreePorts.next();
    private final int controllerPort = FreePorts.next();
    private final JavaProcess process;
    private final Path config;
    private boolean formatted;

    KafkaBroker(KafkaDistribution dist, Path dir, Map<String, String> overrides) throws IOException {
        this.dist = dist;
        this.dir = dir;
        this.config = dir.resolve("server.properties");
        StringBuilder props = new StringBuilder();
        Map<String, String> defaults = new java.util.LinkedHashMap<>();
        defaults.put("process.roles", "broker,controller");
        defaults.put("node.id", "1");
        defaults.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        defaults.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        defaults.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        defaults.put("controller.listener.names", "CONTROLLER");
        defaults.put("inter.broker.listener.name", "PLAINTEXT");
        defaults.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        defaults.put("log.dirs", dir.resolve("data").toString());
        defaults.put("num.partitions", "1");
        defaults.put("offsets.topic.replication.factor", "1");
        defaults.put("offsets.topic.num.partitions", "5");
        defaults.put("transaction.state.log.replication.factor", "1");
        defaults.put("transaction.state.log.min.isr", "1");
        defaults.put("transaction.state.log.num.partitions", "5");
        defaults.put("share.coordinator.state.topic.replication.factor", "1");
        defaults.put("share.coordinator.state.topic.min.isr", "1");
        defaults.put("group.initial.rebalance.delay.ms", "0");
        defaults.putAll(overrides);
        defaults.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.createDirectories(dir);
        Files.writeString(config, props.toString());
        this.process = new JavaProcess(
                "broker",
                List.of("-Xms256m", "-Xmx768m", dist.loggingOption(dir), "-Dkafka.logs.dir=" + dir.resolve("logs")),
                dist.classPath(),
                "kafka.Kafka",
                List.of(config.toString()),
                dir.resolve("broker.log"));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public JavaProcess process() {
        return process;
    }

    /**
     * A cluster id as Kafka's own {@code Uuid.randomUuid()} makes them: base64url of 16 random bytes, never starting
     * with '-', which the storage tool would read as an option ("argument --cluster-id: expected one argument", about
     * one format in 64).
     */
    static String clusterId(java.util.function.Supplier<UUID> uuids) {
        while (true) {
            UUID uuid = uuids.get();
            byte[] id = new byte[16];
            ByteBuffer.wrap(id).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
            if (!clusterId.startsWith("-")) {
                return clusterId;
            }
        }
    }

    /** Formats the log directory on the first start, starts the JVM and waits until it serves metadata. */
    public void start() throws IOException, InterruptedException {
        if (!formatted) {
            String clusterId = clusterId(UUID::randomUUID);
            new JavaProcess(
                            "storage-format",
                            List.of("-Xmx256m", dist.loggingOption(dir)),
                            dist.classPath(),
                            "kafka.tools.StorageTool",
                            List.of("format", "-t", clusterId, "-c", config.toString()),
                            dir.resolve("storage-format.log"))
                    .runToCompletion(120);
            formatted = true;
        }
        process.start();
        awaitReady();
    }

    private void awaitReady() {
        Await.until(
                Duration.ofSeconds(120),
                "broker " + bootstrapServers() + " serving",
                () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("broker exited:\n" + process.tail(60));
                    }
                    if (!FreePorts.listening(port)) {
                        return false;
                    }
                    try (Admin admin = Admin.create(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers(),
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                            5000,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                            5000))) {
                        return !admin.describeCluster()
                                .nodes()
                                .get(5, TimeUnit.SECONDS)
                                .isEmpty();
                    }
                },
                () -> process.tail(30));
    }

    /** A clean restart (SIGTERM, then start on the same port and data), as in a rolling broker upgrade. */
    public void restart() throws IOException, InterruptedException {
        process.stop(60);
        process.start();
        awaitReady();
    }

    /** SIGKILL and start again: the broker recovers its log on start. */
    public void killAndRestart() throws IOException, InterruptedException {
        process.kill();
        process.start();
        awaitReady();
    }

    public void stop() throws InterruptedException {
        process.stop(30);
    }
}
