/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** PATCH /connectors/{name}/offsets (KIP-875), which the shared REST helper does not offer. */
final class OffsetsRest {
    private OffsetsRest() {}

    /** GET /connectors/{name}/offsets: the committed offsets, as JSON text. */
    static String get(String restUrl, String connector) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(restUrl + "/connectors/" + connector + "/offsets"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            throw new AssertionError("GET offsets of " + connector, e);
        }
    }

    /** The response; the caller asserts its status. */
    static HttpResponse<String> patch(String restUrl, String connector, String body) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(restUrl + "/connectors/" + connector + "/offsets"))
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                                    .header("Content-Type", "application/json")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("PATCH offsets of " + connector, e);
        }
    }
}
