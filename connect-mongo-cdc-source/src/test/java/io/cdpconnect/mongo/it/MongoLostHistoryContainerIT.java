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

/**
 * {@link LostHistoryScenarios} on a MongoDB 7 single-node replica set in Docker with a 1 MB oplog, rolled over
 * before the tests; skipped without Docker. A container of its own: on the shared one of
 * {@link MongoReplicaSetContainerIT} so small an oplog would cut the history and pre-images other scenarios need.
 */
@Testcontainers(disabledWithoutDocker = true)
@DisabledIfEnvironmentVariable(
        named = "MONGO_URI",
        matches = ".+",
        disabledReason = "MongoLostHistoryEnvIT runs against MONGO_URI")
class MongoLostHistoryContainerIT extends LostHistoryScenarios {

    @Container
    static final MongoDBContainer MONGO =
            new MongoDBContainer("mongo:7").withCommand("--replSet", "docker-rs", "--oplogSize", "1");

    @BeforeAll
    static void start() {
        // directConnection: the member announces its in-container host name, unreachable from the test JVM.
        startWith(MONGO.getReplicaSetUrl() + "?directConnection=true");
        rollOver(client);
        notRolledOver = null;
    }
}
