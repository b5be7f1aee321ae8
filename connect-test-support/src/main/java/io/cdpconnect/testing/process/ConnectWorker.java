/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing.process;

import io.cdpconnect.testing.ConnectRest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One Kafka Connect worker ({@code org.apache.kafka.connect.cli.ConnectDistributed}) in its own JVM: Kafka's jars
 * of the chosen version as class path, the built bundle as {@code plugin.path}, its own free REST port. Restarts
 * keep the port, so the worker id ({@code 127.0.0.1:<port>}) stays the same, as a restarted pod's would.
 */
public final class ConnectWorker {

    /**
     * What Kafka's {@code bin/connect-distributed.sh} gives a worker (kafka-run-class.sh's KAFKA_JVM_PERFORMANCE_OPTS;
     * the heap is capped at 1 GB instead of the script's 2 GB, as several workers share a CI machine): without the
     * 20 ms pause goal a starved worker's young collections took 100-600 ms (G1's default goal is 200 ms), which
     * the end-to-end latency then showed.
     */
    static final List<String> JVM_OPTIONS = List.of(
            "-Xms256m",
            "-Xmx1g",
            "-server",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:MaxInlineLevel=15",
            "-Djava.awt.headless=true");

    private final String name;
    private final int port = FreePorts.next();
    private final JavaProcess process;
    private final ConnectRest rest;

    ConnectWorker(String name, KafkaDistribution dist, Path dir, Map<String, String> workerProps) throws IOException {
        this.name = name;
        Files.createDirectories(dir);
        StringBuilder props = new StringBuilder();
        workerProps.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        props.append("listeners=http://127.0.0.1:").append(port).append('\n');
        props.append("rest.advertised.host.name=127.0.0.1\n");
        props.append("rest.advertised.port=").append(port).append('\n');
        Path config = dir.resolve(name + ".properties");
        Files.writeString(config, props.toString());
        List<String> jvm = new java.util.ArrayList<>(JVM_OPTIONS);
        jvm.add(dist.loggingOption(dir));
        jvm.add("-Dkafka.logs.dir=" + dir.resolve(name + "-logs"));
        this.process = new JavaProcess(
                name,
                jvm,
                dist.classPath(),
                "org.apache.kafka.connect.cli.ConnectDistributed",
                List.of(config.toString()),
                dir.resolve(name + ".log"));
        this.rest = new ConnectRest("http://127.0.0.1:" + port);
    }

    public String name() {
        return name;
    }

    /** The id Connect's status API reports for this worker. */
    public String workerId() {
        return "127.0.0.1:" + port;
    }

    public String restUrl() {
        return rest.baseUrl();
    }

    public ConnectRest rest() {
        return rest;
    }

    public JavaProcess process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Starts the JVM and waits until its REST API answers and the worker has joined the cluster. */
    public void start() throws IOException {
        process.start();
        Await.until(
                Duration.ofSeconds(180),
                name + " REST API at " + restUrl(),
                () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited:\n" + process.tail(80));
                    }
                    rest.get("/connectors");
                    return true;
                },
                () -> process.tail(30));
    }

    /** SIGKILL: tasks die mid-batch; nothing is committed, the group notices only by session timeout. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM: Connect stops its tasks, commits what it can and leaves the group. */
    public void stop() throws InterruptedException {
        process.stop(60);
    }

    @Override
    public String toString() {
        return name + "@" + workerId();
    }
}
