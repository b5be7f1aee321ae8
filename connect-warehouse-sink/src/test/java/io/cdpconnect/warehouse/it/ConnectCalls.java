/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.ConnectTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** REST calls the harness has no method for (PATCH offsets, task restart, ...), asserted to succeed. */
final class ConnectCalls {

    private ConnectCalls() {}

    static void send(ConnectTestCluster connect, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(connect.restUrl() + path))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isBetween(200, 299);
    }

    /** PUT /connectors/{name}/stop, then waits for STOPPED (its tasks are shut down). */
    static void stop(ConnectTestCluster connect, String name) {
        connect.rest().put("/connectors/" + name + "/stop", "");
        connect.awaitStatus(
                name,
                "connector stopped",
                s -> "STOPPED".equals(s.path("connector").path("state").asText()));
    }
}
