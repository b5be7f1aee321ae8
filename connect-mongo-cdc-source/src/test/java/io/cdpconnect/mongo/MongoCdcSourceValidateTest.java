/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import io.cdpconnect.testing.ConfigErrors;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * validate(): cross-option rules and what only the server can tell, each on the option that fixes it. Checks
 * against a running (in-memory) server: {@code it.inprocess.MongoCdcSourceValidateIT}.
 */
class MongoCdcSourceValidateTest {

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return ConfigErrors.byOption(new MongoCdcSourceConnector().validate(props));
    }

    private static Map<String, String> props(String uri) {
        Map<String, String> p = new HashMap<>();
        p.put("mongo.uri", uri);
        p.put("database", "shop");
        return p;
    }

    @Test
    void startupTimestampIsRequiredWithStartupModeTimestamp() {
        Map<String, String> p = props("mongodb://127.0.0.1:1");
        p.put("startup.mode", "timestamp");
        Map<String, List<String>> errors = errors(p);
        assertThat(errors).containsOnlyKeys("startup.timestamp");
        assertThat(errors.get("startup.timestamp").get(0)).contains("required when startup.mode=timestamp");
    }

    @Test
    void databaseScopeRejectsAPipelineThatHidesTheNamespaceOnThePipelineOption() {
        for (String pipeline : List.of(
                "[{\"$project\": {\"ns\": 0}}]",
                "[{\"$unset\": \"ns\"}]",
                "[{\"$replaceWith\": {\"_id\": \"$_id\", \"fullDocument\": \"$fullDocument\"}}]",
                "[{\"$project\": {\"fullDocument\": 1, \"documentKey\": 1}}]",
                "[{\"$set\": {\"ns.coll\": \"x\"}}]")) {
            Map<String, String> p = props("mongodb://127.0.0.1:1");
            p.put("stream.scope", "database");
            p.put("pipeline", pipeline);
            Map<String, List<String>> errors = errors(p);
            assertThat(errors).as(pipeline).containsOnlyKeys("pipeline");
            assertThat(errors.get("pipeline").get(0))
                    .contains("stream.scope=database")
                    .contains("'ns'");
        }
        // Stages that keep ns are fine (the server check then fails on the unreachable uri, not on the pipeline).
        for (String pipeline : List.of(
                "[{\"$match\": {\"operationType\": \"insert\"}}]",
                "[{\"$project\": {\"fullDocument.ssn\": 0}}]",
                "[{\"$unset\": \"fullDocument.ssn\"}]",
                "[{\"$project\": {\"fullDocument\": 1, \"ns\": 1, \"documentKey\": 1}}]")) {
            assertThat(MongoCdcSourceConfig.stageChanging(MongoCdcSourceConfig.parsePipeline(pipeline), "ns"))
                    .as(pipeline)
                    .isNull();
        }
    }

    /**
     * An event's _id is its resume token. MongoDB fails a stream whose pipeline removes or changes it (280, "the
     * resume token was modified by the pipeline") at its first event: the task then fails on every restart. Such a
     * pipeline is refused by validate, in either scope, on the pipeline option.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "[{\"$project\": {\"_id\": 0, \"fullDocument\": 1}}]",
                "[{\"$project\": {\"_id\": \"$documentKey\"}}]",
                "[{\"$project\": {\"_id._data\": 0}}]",
                "[{\"$unset\": \"_id\"}]",
                "[{\"$unset\": [\"fullDocument.ssn\", \"_id\"]}]",
                "[{\"$set\": {\"_id\": \"$documentKey._id\"}}]",
                "[{\"$addFields\": {\"_id._data\": \"x\"}}]",
                "[{\"$match\": {\"operationType\": \"insert\"}}, {\"$replaceRoot\": {\"newRoot\": \"$fullDocument\"}}]",
                "[{\"$replaceWith\": {\"doc\": \"$fullDocument\"}}]"
            })
    void aPipelineThatChangesTheResumeTokenIsRefusedOnThePipelineOption(String pipeline) {
        Map<String, String> p = props("mongodb://127.0.0.1:1");
        p.put("pipeline", pipeline);
        Map<String, List<String>> errors = errors(p);
        assertThat(errors).as(pipeline).containsOnlyKeys("pipeline");
        assertThat(errors.get("pipeline").get(0)).contains("_id").contains("resume token");
    }

    /** Stages that keep each event's _id as it is are accepted (no false alarm on usual PII and routing stages). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "[{\"$match\": {\"operationType\": \"insert\"}}]",
                "[{\"$project\": {\"fullDocument\": 1, \"ns\": 1}}]",
                "[{\"$project\": {\"_id\": 1, \"fullDocument\": 1}}]",
                "[{\"$project\": {\"fullDocument.ssn\": 0}}]",
                "[{\"$unset\": [\"fullDocument.ssn\", \"fullDocument._id\"]}]",
                "[{\"$set\": {\"fullDocument.region\": \"eu\", \"_id\": \"$_id\"}}]",
                "[{\"$replaceWith\": {\"$mergeObjects\": [\"$$ROOT\", {\"tag\": 1}]}}]",
                "[{\"$replaceWith\": {\"_id\": \"$_id\", \"fullDocument\": \"$fullDocument\"}}]"
            })
    void aPipelineThatKeepsTheResumeTokenIsAccepted(String pipeline) {
        assertThat(MongoCdcSourceConfig.stageChanging(MongoCdcSourceConfig.parsePipeline(pipeline), "_id"))
                .as(pipeline)
                .isNull();
    }

    @Test
    void anUnreachableServerIsReportedOnTheUriWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        long start = System.currentTimeMillis();
        Map<String, List<String>> errors = errors(props("mongodb://127.0.0.1:" + port));
        assertThat(System.currentTimeMillis() - start).isLessThan(ServerCheck.TIMEOUT_MS + 5_000);
        assertThat(errors).containsOnlyKeys("mongo.uri");
        assertThat(errors.get("mongo.uri").get(0)).contains("not reachable").doesNotContain("127.0.0.1:" + port + "/");
    }

    /**
     * The in-memory server has no standalone mode that answers as MongoDB does, so this checks the mapping of the
     * replies a real standalone server (40573) and a real unauthorized user (13) send.
     */
    @Test
    void aStandaloneServerAndAMissingPrivilegeAreReportedOnTheRightOption() {
        MongoCommandException standalone = new MongoCommandException(
                BsonDocument.parse("{\"ok\": 0, \"code\": 40573, "
                        + "\"codeName\": \"Location40573\", \"errmsg\": \"The $changeStream stage is only supported on "
                        + "replica sets\"}"),
                new ServerAddress("db1", 27017));
        RuntimeException e = ServerCheck.watchFailed(standalone, "database", "shop.orders");
        assertThat(e)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mongo.uri")
                .hasMessageContaining("does not offer change streams");

        MongoCommandException unauthorized = new MongoCommandException(
                BsonDocument.parse("{\"ok\": 0, \"code\": 13, "
                        + "\"codeName\": \"Unauthorized\", \"errmsg\": \"not authorized on shop to execute command "
                        + "{ aggregate: \\\"orders\\\" }\"}"),
                new ServerAddress("db1", 27017));
        RuntimeException denied = ServerCheck.watchFailed(unauthorized, "database", "shop.orders");
        assertThat(denied)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("configuration database")
                .hasMessageContaining("changeStream on shop.orders");
    }
}
