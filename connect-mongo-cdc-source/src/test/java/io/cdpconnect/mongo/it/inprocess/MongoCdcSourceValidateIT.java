/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import io.cdpconnect.mongo.MongoCdcSourceConnector;
import io.cdpconnect.mongo.it.InMemoryMongo;
import io.cdpconnect.testing.ConfigErrors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** validate() against a running server (the in-memory one): what only the server's collections tell. */
class MongoCdcSourceValidateIT {

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return ConfigErrors.byOption(new MongoCdcSourceConnector().validate(props));
    }

    private static Map<String, String> props(String uri) {
        return new HashMap<>(Map.of("mongo.uri", uri, "database", "shop"));
    }

    @Test
    void twoCollectionsOnOneTopicAreReportedOnTheTopicMap() {
        try (InMemoryMongo mongo = new InMemoryMongo();
                MongoClient client = mongo.client()) {
            String uri = mongo.uri();
            client.getDatabase("shop").getCollection("a b").insertOne(new Document("_id", 1));
            client.getDatabase("shop").getCollection("a:b").insertOne(new Document("_id", 1));
            Map<String, List<String>> errors = errors(props(uri));
            assertThat(errors).containsOnlyKeys("topic.namespace.map");
            assertThat(errors.get("topic.namespace.map").get(0))
                    .contains("shop.a b")
                    .contains("shop.a:b");

            Map<String, String> fixed = props(uri);
            fixed.put("topic.namespace.map", "{\"shop.a:b\": \"shop.a-colon-b\"}");
            assertThat(errors(fixed)).isEmpty();
        }
    }
}
