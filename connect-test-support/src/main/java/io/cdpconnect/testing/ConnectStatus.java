/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code GET /connectors/{name}/status} reply, the same for the in-process cluster
 * ({@link ConnectTestCluster}) and the multi-process deployment ({@code process.ConnectDeployment}).
 */
public final class ConnectStatus {

    private ConnectStatus() {}

    /** The connector and exactly {@code tasks} tasks are RUNNING. */
    public static boolean running(JsonNode status, int tasks) {
        if (!"RUNNING".equals(status.path("connector").path("state").asText())
                || status.path("tasks").size() != tasks) {
            return false;
        }
        for (JsonNode task : status.path("tasks")) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** {@code task <id>: <trace>} of every FAILED task. */
    public static List<String> failedTasks(JsonNode status) {
        List<String> failed = new ArrayList<>();
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                failed.add("task " + task.path("id").asText() + ": "
                        + task.path("trace").asText());
            }
        }
        return failed;
    }
}
