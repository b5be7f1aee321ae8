/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link ReplicaSetScenarios} against any MongoDB 6+ replica set or sharded cluster named by MONGO_URI, without Docker:
 * {@code MONGO_URI='mongodb://host:27017/?replicaSet=rs0' ./mvnw -B -o -pl connect-mongo-cdc-source verify}.
 * Each test uses its own fresh database.
 */
@EnabledIfEnvironmentVariable(named = "MONGO_URI", matches = ".+")
class MongoReplicaSetEnvIT extends ReplicaSetScenarios {

    @BeforeAll
    static void start() {
        startWith(System.getenv("MONGO_URI"));
    }
}
