/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * A single-node Kafka (KRaft) and one distributed Connect worker in this JVM. The worker is Kafka's own
 * {@link ConnectDistributed}, started as {@code connect-distributed.sh} would start it, with the bundle as its
 * plugin.path, so what runs here runs the same on a user's cluster.
 */
final class LocalKafkaConnect implements AutoCloseable {

    private final LocalKafka kafka;
    private final Connect<?> connect;
    private final String restUrl;

    private LocalKafkaConnect(LocalKafka kafka, Connect<?> connect, String restUrl) {
        this.kafka = kafka;
        this.connect = connect;
        this.restUrl = restUrl;
    }

    /**
     * @param verbose whether the broker's start-up dump (the KRaft storage formatter prints its bootstrap metadata
     *                to standard output) is shown; by default it is held back and printed only if the start fails
     */
    static LocalKafkaConnect start(Path bundleDir, String host, int restPort, boolean verbose) {
        LocalKafka kafka = verbose ? LocalKafka.start(System.out) : startQuietly();

        Map<String, String> worker = new HashMap<>();
        worker.put("bootstrap.servers", kafka.bootstrapServers());
        worker.put("group.id", "cdp-local");
        worker.put("listeners", "http://" + host + ":" + restPort);
        worker.put("plugin.path", bundleDir.toAbsolutePath().toString());
        worker.put("plugin.discovery", "service_load"); // every bundled plugin has ServiceLoader manifests
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.put("value.converter.schemas.enable", "false");
        worker.put("offset.storage.topic", "cdp-local-offsets");
        worker.put("config.storage.topic", "cdp-local-configs");
        worker.put("status.storage.topic", "cdp-local-status");
        worker.put("offset.storage.replication.factor", "1");
        worker.put("config.storage.replication.factor", "1");
        worker.put("status.storage.replication.factor", "1");
        worker.put("offset.flush.interval.ms", "2000");
        worker.put("config.providers", "env,file");
        worker.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        worker.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        Connect<?> connect = new ConnectDistributed().startConnect(worker);
        return new LocalKafkaConnect(kafka, connect, "http://" + host + ":" + restPort);
    }

    private static LocalKafka startQuietly() {
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        try {
            return LocalKafka.start(new PrintStream(held, true, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            System.out.print(held.toString(StandardCharsets.UTF_8));
            throw e;
        }
    }

    String restUrl() {
        return restUrl;
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    LocalKafka kafka() {
        return kafka;
    }

    @Override
    public void close() {
        try {
            connect.stop();
            connect.awaitStop();
        } finally {
            kafka.close();
        }
    }
}
