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
        assertThat(ErrorClassifier.isTransient(command(13, "Unauthorized", "not authorized")))
                .isFalse();
        assertThat(ErrorClassifier.isTransient(command(286, "ChangeStreamHistoryLost", "lost")))
                .isFalse();
        assertThat(ErrorClassifier.isTransient(new IllegalStateException("bug")))
                .isFalse();
    }
}
