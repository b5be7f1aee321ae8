/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * validate() against a standalone MongoDB 7 (no --replSet: no change streams) in Docker; skipped without Docker.
 * The server refuses every change stream with 40573; validate must say so on mongo.uri, with or without a
 * collection in scope.
 */
@Testcontainers(disabledWithoutDocker = true)
class MongoStandaloneContainerIT extends ReplicaSetSupport {

    @Container
    static final GenericContainer<?> MONGO = new GenericContainer<>("mongo:7")
            .withExposedPorts(27017)
            .waitingFor(Wait.forLogMessage(".*Waiting for connections.*", 1));

    @BeforeAll
    static void start() {
        startWith("mongodb://" + MONGO.getHost() + ":" + MONGO.getMappedPort(27017));
    }

    @Test
    void aStandaloneServerIsReportedOnMongoUriBeforeAndAfterItsFirstCollection() {
        String db = database();
        Map<String, String> config = config(db, "sa");
        assertThat(validationErrors(config, "mongo.uri")).contains("does not offer change streams");

        client.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));
        assertThat(validationErrors(config, "mongo.uri")).contains("does not offer change streams");
        assertThat(validationErrors(config, "database")).isEmpty();
    }
}
