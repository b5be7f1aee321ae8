/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {
    private static MongoCommandException command(int code, String name, String message) {
        return new MongoCommandException(
                BsonDocument.parse("{\"ok\": 0, \"code\": " + code + ", \"codeName\": \"" + name + "\", \"errmsg\": \""
                        + message + "\"}"),
                new ServerAddress("db1", 27017));
    }

    @Test
    void historyLost() {
        assertThat(
                        ErrorClassifier.isHistoryLost(
                                command(
                                        286,
                                        "ChangeStreamHistoryLost",
                                        "Resume of change stream was not possible, as the resume point may no longer be in the oplog.")))
                .isTrue();
        assertThat(ErrorClassifier.isHistoryLost(command(
                        280, "ChangeStreamFatalError", "cannot resume stream; the resume token was not found.")))
                .isTrue();
        // The oplog rolled past an open change stream: its getMore fails with CappedPositionLost, not 286.
        assertThat(ErrorClassifier.isHistoryLost(command(
                        136,
                        "CappedPositionLost",
                        "Executor error during getMore :: caused by :: CollectionScan died due to position in capped "
                                + "collection being deleted.")))
                .isTrue();
        // A pipeline that changes _id is a configuration error, although its message names the resume token.
        assertThat(ErrorClassifier.isHistoryLost(command(
                        280,
                        "ChangeStreamFatalError",
                        "Encountered an event whose _id field, which contains the resume token, was modified by the "
                                + "pipeline. Modifying the _id field of an event makes it impossible to resume the "
                                + "stream from that point. Only transformations that retain the unmodified _id field "
                                + "are allowed.")))
                .isFalse();
        assertThat(ErrorClassifier.isHistoryLost(command(13, "Unauthorized", "not authorized")))
                .isFalse();
        assertThat(ErrorClassifier.isHistoryLost(new MongoTimeoutException("timeout")))
                .isFalse();
    }

    @Test
    void transientErrors() {
        assertThat(ErrorClassifier.isTransient(new MongoSocketReadException("reset", new ServerAddress())))
                .isTrue();
        assertThat(ErrorClassifier.isTransient(new MongoTimeoutException("no primary")))
                .isTrue();
        assertThat(ErrorClassifier.isTransient(command(189, "PrimarySteppedDown", "stepped down")))
                .isTrue();
        assertThat(ErrorClassifier.isTransient(command(91, "ShutdownInProgress", "shutting down")))
                .isTrue();
        // The copy's cursor killed (idle timeout, killCursors) or its plan killed (e.g. the collection dropped
        // meanwhile): the copy continues after its last _id.
        assertThat(ErrorClassifier.isTransient(command(43, "CursorNotFound", "cursor id 123 not found")))
                .isTrue();
        assertThat(ErrorClassifier.isTransient(command(175, "QueryPlanKilled", "collection dropped")))
                .isTrue();
        // After a failover the driver clears the pool; operations on it fail once with this (no error label).
        assertThat(ErrorClassifier.isTransient(new com.mongodb.MongoConnectionPoolClearedException(
                        new com.mongodb.connection.ServerId(
                                new com.mongodb.connection.ClusterId(), new ServerAddress("db1", 27017)),
                        new MongoSocketReadException("reset", new ServerAddress("db1", 27017)))))
                .isTrue();
        assertThat(ErrorClassifier.isTransient(command(
                        280, "ChangeStreamFatalError", "Encountered an event whose _id field ... was modified")))
                .isFalse();
        assertThat(ErrorClassifier.isTransient(command(13, "Unauthorized", "not authorized")))
                .isFalse();
        assertThat(ErrorClassifier.isTransient(command(286, "ChangeStreamHistoryLost", "lost")))
                .isFalse();
        assertThat(ErrorClassifier.isTransient(new IllegalStateException("bug")))
                .isFalse();
    }
}
