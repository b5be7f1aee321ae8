/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.rest.ConnectRest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code cdp-apply status CONNECT_URL PIPELINE}: the state of every connector of a pipeline (those labelled
 * {@code cdp.pipeline=PIPELINE}, plus the folder's when PIPELINE is a folder) and of each task, the stack trace
 * of a FAILED one, and — with {@code --bootstrap-servers} — each sink's consumer lag and the number of records in
 * each dead letter queue. Exit code 1 when a connector is missing or anything FAILED.
 */
final class PipelineStatus {

    private static final int FRAMES_PER_CAUSE = 2;

    private final ConnectRest rest;
    private final String bootstrapServers;
    private final PrintStream out;

    PipelineStatus(String connectUrl, String bootstrapServers, PrintStream out) {
        this.rest = new ConnectRest(connectUrl);
        this.bootstrapServers = bootstrapServers;
        this.out = out;
    }

    int print(String pipelineArg) {
        Path dir = Path.of(pipelineArg);
        String pipeline = Files.isDirectory(dir)
                ? dir.toAbsolutePath().normalize().getFileName().toString()
                : pipelineArg;
        Set<String> names = new LinkedHashSet<>();
        if (Files.isDirectory(dir)) {
            try {
                PipelineApplier.load(dir, List.of(), null, false).connectors().forEach(c -> names.add(c.name()));
            } catch (Exception e) {
                out.printf("(could not read %s: %s)%n", dir, e.getMessage());
            }
        }
        names.addAll(new PipelineApplier(rest.baseUrl(), out).labelled(pipeline));
        if (names.isEmpty()) {
            out.printf("no connectors of pipeline %s in %s%n", pipeline, rest.baseUrl());
            return 1;
        }
        out.printf("pipeline %s on %s%n", pipeline, rest.baseUrl());
        boolean healthy = true;
        try (Admin admin = bootstrapServers == null
                ? null
                : Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (String name : names) {
                healthy &= connector(name, admin);
            }
        }
        if (bootstrapServers == null) {
            out.println("(lag and DLQ counts need --bootstrap-servers HOST:PORT of the Kafka cluster)");
        }
        return healthy ? 0 : 1;
    }

    private boolean connector(String name, Admin admin) {
        JsonNode status;
        JsonNode config;
        try {
            status = rest.get("/connectors/" + PipelineApplier.encode(name) + "/status");
            config = rest.get("/connectors/" + PipelineApplier.encode(name) + "/config");
        } catch (ConnectRest.RestException e) {
            out.printf("%-28s MISSING (%s)%n", name, e.status() == 404 ? "not in the cluster" : e.getMessage());
            return false;
        }
        boolean healthy = true;
        String state = status.path("connector").path("state").asText();
        out.printf(
                "%-28s %-8s %s on %s%n",
                name,
                state,
                status.path("type").asText(),
                status.path("connector").path("worker_id").asText());
        if ("FAILED".equals(state)) {
            healthy = false;
            trace(status.path("connector").path("trace").asText(""));
        }
        for (JsonNode task : status.path("tasks")) {
            String taskState = task.path("state").asText();
            out.printf(
                    "  task %-3d %-8s on %s%n",
                    task.path("id").asInt(), taskState, task.path("worker_id").asText());
            if ("FAILED".equals(taskState)) {
                healthy = false;
                trace(task.path("trace").asText(""));
            }
        }
        if (admin != null) {
            try {
                if (config.hasNonNull("topics")) {
                    out.printf(
                            "  lag      %d record(s) not yet committed by the sink%n",
                            TopicOffsets.lag(
                                    admin,
                                    name,
                                    PipelineDefinitions.aliases(
                                            config.get("topics").asText())));
                }
                String dlq = config.path("errors.deadletterqueue.topic.name").asText("");
                if (!dlq.isBlank()) {
                    out.printf("  dlq      %d record(s) in %s%n", TopicOffsets.records(admin, dlq.trim()), dlq.trim());
                }
            } catch (Exception e) {
                out.printf("  (lag/DLQ unavailable: %s)%n", e.getMessage());
            }
        }
        return healthy;
    }

    /** The exception line and every "Caused by:" of a trace (what names the cause), with a few frames each. */
    private void trace(String trace) {
        String[] lines = trace.split("\n");
        int shown = 0;
        int framesAfterCause = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean cause = i == 0 || line.startsWith("Caused by:");
            if (cause) {
                framesAfterCause = 0;
            }
            if (cause || framesAfterCause++ < FRAMES_PER_CAUSE) {
                out.printf("      %s%n", line.stripTrailing());
                shown++;
            }
        }
        if (lines.length > shown) {
            out.printf(
                    "      (%d of %d trace lines shown; the whole trace: GET /connectors/{name}/status)%n",
                    shown, lines.length);
        }
    }
}
