package io.cdpconnect.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.testing.ConnectRest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Live progress of the running pipeline, read from the cluster itself: records in each topic the pipeline
 * touches (inputs, routed outputs, dead letters), what each sink has committed as written, and the state of
 * every connector and task.
 */
final class Progress implements AutoCloseable {

    private final LocalKafkaConnect cluster;
    private final List<PipelineApplier.ConnectorConfig> configs;
    private final DemoSources sources;
    private final Admin admin;
    private final ConnectRest rest;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cdp-local-progress");
        t.setDaemon(true);
        return t;
    });
    private TrafficGenerator traffic;

    Progress(LocalKafkaConnect cluster, List<PipelineApplier.ConnectorConfig> configs, DemoSources sources) {
        this.cluster = cluster;
        this.configs = configs;
        this.sources = sources;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
        this.rest = new ConnectRest(cluster.restUrl());
    }

    void start(TrafficGenerator traffic) {
        this.traffic = traffic;
        if (sources != null) {
            LocalRunner.log("warehouse: %s", sources.warehouseDescription());
        }
        timer.scheduleAtFixedRate(this::printNow, 3, 3, TimeUnit.SECONDS);
    }

    synchronized void printNow() {
        try {
            StringBuilder line = new StringBuilder();
            if (traffic != null) {
                line.append(String.format("sent: events %d, segment updates %d, orders %d | ",
                        traffic.eventsSent.get(), traffic.segmentUpdatesSent.get(), traffic.ordersWritten.get()));
            }
            Map<String, Long> topicCounts = topicCounts();
            line.append("topics:");
            topicCounts.forEach((topic, count) -> line.append(' ').append(topic).append('=').append(count));
            line.append(" | written by sinks:");
            for (PipelineApplier.ConnectorConfig c : configs) {
                if (c.config().containsKey("topics")) {
                    line.append(' ').append(c.name()).append('=').append(committed(c.name()));
                }
            }
            line.append(" | ").append(states());
            LocalRunner.log("%s", line);
        } catch (Exception e) {
            LocalRunner.log("progress unavailable: %s", e.getMessage());
        }
    }

    private Map<String, Long> topicCounts() throws Exception {
        Set<String> names = new LinkedHashSet<>(PipelineTopics.inputTopics(configs));
        names.addAll(PipelineTopics.deadLetterTopics(configs));
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        for (String topic : existing) {
            if (!topic.startsWith("cdp-local-") && !topic.startsWith("__")) {
                names.add(topic);
            }
        }
        names.retainAll(existing);
        Map<String, Long> counts = new java.util.TreeMap<>();
        if (names.isEmpty()) {
            return counts;
        }
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.values().forEach(d -> d.partitions().forEach(p ->
                latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        ends.forEach((tp, info) -> counts.merge(tp.topic(), info.offset(), Long::sum));
        return counts;
    }

    private long committed(String connector) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long sum = 0;
        for (OffsetAndMetadata offset : offsets.values()) {
            if (offset != null) {
                sum += offset.offset();
            }
        }
        return sum;
    }

    private String states() {
        List<String> states = new ArrayList<>();
        for (PipelineApplier.ConnectorConfig c : configs) {
            try {
                JsonNode status = rest.get("/connectors/" + c.name() + "/status");
                StringBuilder s = new StringBuilder(c.name()).append(':')
                        .append(status.path("connector").path("state").asText());
                int failed = 0;
                for (JsonNode task : status.path("tasks")) {
                    if ("FAILED".equals(task.path("state").asText())) {
                        failed++;
                    }
                }
                if (failed > 0) {
                    s.append(" (").append(failed).append(" task(s) FAILED: see GET /connectors/")
                            .append(c.name()).append("/status)");
                }
                states.add(s.toString());
            } catch (RuntimeException e) {
                states.add(c.name() + ":unknown");
            }
        }
        return String.join(", ", states);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close();
    }
}
