/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.rest.ConnectRest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;

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
                line.append(String.format(
                        "sent: events %d, segment updates %d, orders %d | ",
                        traffic.eventsSent.get(), traffic.segmentUpdatesSent.get(), traffic.ordersWritten.get()));
            }
            Map<String, Long> topicCounts = topicCounts();
            line.append("topics:");
            topicCounts.forEach(
                    (topic, count) -> line.append(' ').append(topic).append('=').append(count));
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
        for (String topic : admin.listTopics().names().get(10, TimeUnit.SECONDS)) {
            if (!topic.startsWith("cdp-local-") && !topic.startsWith("__")) {
                names.add(topic);
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        TopicOffsets.offsets(admin, names, OffsetSpec.latest())
                .forEach((tp, offset) -> counts.merge(tp.topic(), offset, Long::sum));
        return counts;
    }

    private long committed(String connector) throws Exception {
        return TopicOffsets.sum(TopicOffsets.committed(admin, connector));
    }

    /**
     * The closing table: per connector, records in (a sink: what it consumed and committed; a source: -), out (a
     * sink: in minus dead-lettered, i.e. written or filtered by an SMT; a source: records in the topics it wrote,
     * from Connect's {@code GET /connectors/{name}/topics}) and in its dead letter queue.
     */
    synchronized void printSummary() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"connector", "type", "in", "out", "DLQ"});
        for (PipelineApplier.ConnectorConfig c : configs) {
            String in = "-";
            String out = "-";
            String dlq = "-";
            boolean sink = c.config().containsKey("topics") || c.config().containsKey("topics.regex");
            try {
                String dlqTopic = c.config().get("errors.deadletterqueue.topic.name");
                long dead = dlqTopic == null || dlqTopic.isBlank() ? 0 : TopicOffsets.written(admin, dlqTopic.trim());
                if (dlqTopic != null && !dlqTopic.isBlank()) {
                    dlq = String.valueOf(dead);
                }
                if (sink) {
                    long consumed = committed(c.name());
                    in = String.valueOf(consumed);
                    out = String.valueOf(consumed - dead);
                } else {
                    long written = 0;
                    for (JsonNode topic : rest.get("/connectors/" + PipelineApplier.encode(c.name()) + "/topics")
                            .path(c.name())
                            .path("topics")) {
                        written += TopicOffsets.written(admin, topic.asText());
                    }
                    out = String.valueOf(written);
                }
            } catch (Exception e) {
                out = "? (" + e.getMessage() + ")";
            }
            rows.add(new String[] {c.name(), sink ? "sink" : "source", in, out, dlq});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        LocalRunner.log("summary (in: records consumed and committed; out: written or filtered by an SMT; DLQ: "
                + "dead-lettered)");
        for (String[] row : rows) {
            LocalRunner.log(
                    "  %-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2] + "s  %" + widths[3] + "s  %"
                            + widths[4] + "s",
                    (Object[]) row);
        }
    }

    private String states() {
        List<String> states = new ArrayList<>();
        for (PipelineApplier.ConnectorConfig c : configs) {
            try {
                JsonNode status = rest.get("/connectors/" + c.name() + "/status");
                StringBuilder s = new StringBuilder(c.name())
                        .append(':')
                        .append(status.path("connector").path("state").asText());
                int failed = 0;
                for (JsonNode task : status.path("tasks")) {
                    if ("FAILED".equals(task.path("state").asText())) {
                        failed++;
                    }
                }
                if (failed > 0) {
                    s.append(" (")
                            .append(failed)
                            .append(" task(s) FAILED: see GET /connectors/")
                            .append(c.name())
                            .append("/status)");
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
