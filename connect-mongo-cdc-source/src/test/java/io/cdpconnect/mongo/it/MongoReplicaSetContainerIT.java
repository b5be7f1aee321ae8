/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link ReplicaSetScenarios} on a MongoDB 7 single-node replica set in Docker; skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
@DisabledIfEnvironmentVariable(
        named = "MONGO_URI",
        matches = ".+",
        disabledReason = "MongoReplicaSetEnvIT runs against MONGO_URI")
class MongoReplicaSetContainerIT extends ReplicaSetScenarios {

    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7");

    @BeforeAll
    static void start() {
        // directConnection: the member announces its in-container host name, unreachable from the test JVM.
        startWith(MONGO.getReplicaSetUrl() + "?directConnection=true");
    }
}
