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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * A standalone server has no change streams. validate() found that only through a collection in scope, so a
     * connector for a database whose collections come later was accepted and failed at its first collection.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aStandaloneServerIsReportedAlsoBeforeAnyCollectionExists(boolean withACollection) {
        try (InMemoryMongo mongo = InMemoryMongo.standalone();
                MongoClient client = mongo.client()) {
            if (withACollection) {
                client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
            }
            Map<String, List<String>> errors = errors(props(mongo.uri()));
            assertThat(errors).containsOnlyKeys("mongo.uri");
            assertThat(errors.get("mongo.uri").get(0)).contains("does not offer change streams");

            Map<String, String> wholeServer = new HashMap<>(Map.of("mongo.uri", mongo.uri()));
            wholeServer.put("collections.include", "shop\\..*");
            assertThat(errors(wholeServer).get("mongo.uri"))
                    .singleElement()
                    .asString()
                    .contains("does not offer");
        }
    }

    /** The same empty scope on a server with change streams is accepted: the check above is not a false alarm. */
    @Test
    void anEmptyScopeOnAServerWithChangeStreamsIsAccepted() {
        try (InMemoryMongo mongo = new InMemoryMongo()) {
            assertThat(errors(props(mongo.uri()))).isEmpty();
        }
    }

    /**
     * A user granted find and changeStream on single collections, without listCollections on the database, may
     * only list the collections it is authorized for: {nameOnly: true, authorizedCollections: true}. Without them
     * MongoDB refuses the listing (13), and validate and the task failed for a least-privilege user. Views are left
     * out by the server ({type: "collection"}): with nameOnly the client is not given enough to tell.
     * (ReplicaSetScenarios runs such a user on a real server.)
     */
    @Test
    void collectionsAreListedAsALeastPrivilegeUserMayListThem() {
        try (InMemoryMongo mongo = new InMemoryMongo();
                MongoClient client = mongo.client()) {
            client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
            assertThat(errors(props(mongo.uri()))).isEmpty();
            assertThat(mongo.listCollectionsCommands()).isNotEmpty().allSatisfy(command -> {
                assertThat(command.get("nameOnly")).isEqualTo(true);
                assertThat(command.get("authorizedCollections")).isEqualTo(true);
                assertThat(command.get("filter")).hasToString("{\"type\" : \"collection\"}");
            });
        }
    }
}
