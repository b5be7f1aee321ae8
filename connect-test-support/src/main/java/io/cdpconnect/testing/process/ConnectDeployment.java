/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.testing.ConnectRest;
import io.cdpconnect.testing.ConnectStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Kafka Connect deployment as users run one: a KRaft broker and N distributed workers, each a separate JVM on
 * Kafka's own jars of the chosen version, all sharing one group, the built bundle as {@code plugin.path}. Faults are
 * building blocks: {@link ConnectWorker#kill()} and {@link #restart(ConnectWorker)}, {@link #addWorker()},
 * {@link #removeWorker(ConnectWorker)}, {@link KafkaBroker#restart()}. Logs stay under {@link #dir()}.
 *
 * <p>Close it in a {@code finally} or {@code @AfterAll}; {@link DeploymentExtension} also closes deployments a
 * test class left open and prints their log tails when a test fails, and a shutdown hook kills every process
 * if the test JVM is ended.
 */
public final class ConnectDeployment implements AutoCloseable {

    static final Set<ConnectDeployment> OPEN = ConcurrentHashMap.newKeySet();

    private final String name;
    private final KafkaDistribution workerDist;
    private final Path dir;
    private final KafkaBroker broker;
    private final Map<String, String> workerProps;
    private final List<ConnectWorker> workers = new ArrayList<>();
    private int nextWorker = 1;
    private KafkaProducer<String, String> producer;

    private ConnectDeployment(Builder b) throws IOException {
        this.name = b.name;
        this.workerDist = b.workerDist;
        this.dir = b.baseDir
                .resolve(b.name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss")) + "-"
                        + workerDist.version())
                .toAbsolutePath();
        this.broker = new KafkaBroker(b.brokerDist, dir.resolve("broker"), b.brokerProps);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("group.id", "connect-" + b.name);
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter.schemas.enable", "false");
        props.put("config.storage.topic", "connect-" + b.name + "-configs");
        props.put("offset.storage.topic", "connect-" + b.name + "-offsets");
        props.put("status.storage.topic", "connect-" + b.name + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("offset.storage.partitions", "5");
        props.put("status.storage.replication.factor", "1");
        props.put("status.storage.partitions", "1");
        // connect-distributed.properties of Kafka's distribution
        props.put("offset.flush.interval.ms", "10000");
        props.put("plugin.path", b.pluginPath);
        // Every plugin of the bundle has ServiceLoader manifests (KIP-898): workers start in seconds instead of
        // scanning every jar, and a plugin folder that lost its manifest fails here as it would for such a user.
        props.put("plugin.discovery", "service_load");
        // Settings an operator of a cluster that must fail over quickly sets too (documented in the README):
        // reassign a departed worker's tasks after 10 s instead of 5 min, and notice a dead sink consumer in 10 s.
        props.put("scheduled.rebalance.max.delay.ms", "10000");
        props.put("consumer.session.timeout.ms", "10000");
        props.put("consumer.heartbeat.interval.ms", "2000");
        props.putAll(b.workerProps);
        this.workerProps = props;
        OPEN.add(this);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Path dir() {
        return dir;
    }

    public KafkaBroker broker() {
        return broker;
    }

    public String kafkaVersion() {
        return workerDist.version();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The workers started and not removed (alive or killed). */
    public synchronized List<ConnectWorker> workers() {
        return List.copyOf(workers);
    }

    public synchronized ConnectWorker worker(int index) {
        return workers.get(index);
    }

    /** The REST API of the first live worker: any worker forwards requests to the leader. */
    public synchronized ConnectRest rest() {
        for (ConnectWorker w : workers) {
            if (w.isAlive()) {
                return w.rest();
            }
        }
        throw new IllegalStateException("no live worker in " + name);
    }

    public String restUrl() {
        return rest().baseUrl();
    }

    private void start(int initialWorkers) throws IOException, InterruptedException {
        broker.start();
        for (int i = 0; i < initialWorkers; i++) {
            addWorker();
        }
    }

    /** Starts one more worker in the group (a rebalance spreads the tasks) and returns it once it answers. */
    public ConnectWorker addWorker() throws IOException {
        ConnectWorker worker;
        synchronized (this) {
            worker = new ConnectWorker("worker-" + nextWorker++, workerDist, dir.resolve("workers"), workerProps);
            workers.add(worker);
        }
        worker.start();
        return worker;
    }

    /** Starts a killed or stopped worker again, on the same port. */
    public void restart(ConnectWorker worker) throws IOException, InterruptedException {
        if (worker.isAlive()) {
            worker.stop();
        }
        worker.start();
    }

    /** Stops a worker cleanly (SIGTERM) and takes it out of the deployment, as when scaling in. */
    public void removeWorker(ConnectWorker worker) throws InterruptedException {
        worker.stop();
        synchronized (this) {
            workers.remove(worker);
        }
    }

    // ---- Kafka helpers: the test acts as an application producing events and as an operator reading topics ----

    private Map<String, Object> clientProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /**
     * Creates the topic and waits until the broker leads every partition: producing into a partition whose leader
     * is not elected yet makes an idempotent producer retry, and under load it can get stuck in
     * OUT_OF_ORDER_SEQUENCE_NUMBER retries.
     */
    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(clientProps())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            Await.until(
                    Duration.ofSeconds(60),
                    "leaders of " + topic,
                    () -> admin
                            .describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get(topic)
                            .partitions()
                            .stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        }
        producer().partitionsFor(topic); // the shared producer knows the leaders before the first send
    }

    /** A shared idempotent producer (acks=all) that survives broker restarts by retrying. */
    public synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> props = clientProps();
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    /** Every record in the topic up to its end offsets at the time of the call. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Map<String, Object> props = clientProps();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    /** Sum of the end offsets of a topic: how many records have been written to it. */
    public long endOffsetSum(String topic) {
        Map<String, Object> props = clientProps();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    // ---- Connect status helpers ----

    public JsonNode status(String connector) {
        return rest().get("/connectors/" + connector + "/status");
    }

    /** Waits until the connector and {@code tasks} tasks are RUNNING; fails fast on a FAILED task. */
    public JsonNode awaitRunning(String connector, int tasks, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        Await.until(
                timeout,
                connector + " and " + tasks + " tasks RUNNING",
                () -> {
                    last[0] = status(connector);
                    if (!ConnectStatus.failedTasks(last[0]).isEmpty()) {
                        throw new AssertionError("task FAILED: " + last[0]);
                    }
                    return ConnectStatus.running(last[0], tasks);
                },
                () -> "last status " + last[0]);
        return last[0];
    }

    /** The worker id each RUNNING task of the connector runs on, by task id. */
    public Map<Integer, String> taskWorkers(String connector) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (JsonNode task : status(connector).path("tasks")) {
            if ("RUNNING".equals(task.path("state").asText())) {
                out.put(task.path("id").asInt(), task.path("worker_id").asText());
            }
        }
        return out;
    }

    /** {@link ConnectStatus#failedTasks}, where the fault tests call it. */
    public static List<String> failedTasks(JsonNode status) {
        return ConnectStatus.failedTasks(status);
    }

    /** The tails of every process log, for a failed test's report. */
    public String logTails(int lines) {
        StringBuilder out =
                new StringBuilder("logs of deployment " + name + " (Kafka " + kafkaVersion() + ") in " + dir + "\n");
        List<JavaProcess> processes = new ArrayList<>();
        processes.add(broker.process());
        workers().forEach(w -> processes.add(w.process()));
        for (JavaProcess p : processes) {
            out.append("----- ")
                    .append(p)
                    .append(": ")
                    .append(p.log())
                    .append(" (last ")
                    .append(lines)
                    .append(" lines)\n")
                    .append(p.tail(lines))
                    .append('\n');
        }
        return out.toString();
    }

    /** Stops workers, then the broker; logs stay in {@link #dir()}. */
    @Override
    public void close() {
        OPEN.remove(this);
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
        for (ConnectWorker w : workers()) {
            try {
                w.process().stop(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            broker.process().stop(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private final String name;
        private KafkaDistribution workerDist = KafkaDistribution.defaultVersion();
        private KafkaDistribution brokerDist;
        private int workers = 1;
        private String pluginPath = System.getProperty("cdp.plugin.path");
        private Path baseDir = Path.of("target", "multiproc");
        private final Map<String, String> workerProps = new LinkedHashMap<>();
        private final Map<String, String> brokerProps = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /** The Kafka version of the workers (and of the broker unless {@link #brokerVersion} is set). */
        public Builder kafkaVersion(String version) {
            this.workerDist = KafkaDistribution.of(version);
            return this;
        }

        public Builder brokerVersion(String version) {
            this.brokerDist = KafkaDistribution.of(version);
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder pluginPath(String pluginPath) {
            this.pluginPath = pluginPath;
            return this;
        }

        public Builder baseDir(Path baseDir) {
            this.baseDir = baseDir;
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

        /** Starts broker and workers; on a failure to start, stops what did start and rethrows. */
        public ConnectDeployment start() throws IOException, InterruptedException {
            if (pluginPath == null || !Files.isDirectory(Path.of(pluginPath))) {
                throw new IllegalStateException("plugin.path " + pluginPath + " is not a folder (set cdp.plugin.path)");
            }
            if (brokerDist == null) {
                brokerDist = workerDist;
            }
            ConnectDeployment deployment = new ConnectDeployment(this);
            try {
                deployment.start(workers);
                return deployment;
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                System.err.println(deployment.logTails(60));
                deployment.close();
                throw e;
            }
        }
    }
}
