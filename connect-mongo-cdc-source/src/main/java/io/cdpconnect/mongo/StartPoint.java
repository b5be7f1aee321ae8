/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.client.ChangeStreamIterable;
import java.util.Objects;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

/**
 * Where a change stream starts: after a resume token, at an operation time, or (neither) at the latest change.
 */
final class StartPoint {
    static final StartPoint LATEST = new StartPoint(null, null);

    private final BsonDocument resumeToken;
    private final BsonTimestamp operationTime;

    private StartPoint(BsonDocument resumeToken, BsonTimestamp operationTime) {
        this.resumeToken = resumeToken;
        this.operationTime = operationTime;
    }

    static StartPoint after(BsonDocument resumeToken) {
        return new StartPoint(Objects.requireNonNull(resumeToken), null);
    }

    static StartPoint at(BsonTimestamp operationTime) {
        return new StartPoint(null, Objects.requireNonNull(operationTime));
    }

    BsonDocument resumeToken() {
        return resumeToken;
    }

    BsonTimestamp operationTime() {
        return operationTime;
    }

    boolean isLatest() {
        return resumeToken == null && operationTime == null;
    }

    /** startAfter rather than resumeAfter: it also resumes after an invalidate event. */
    <T> ChangeStreamIterable<T> applyTo(ChangeStreamIterable<T> stream) {
        if (resumeToken != null) {
            return stream.startAfter(resumeToken);
        }
        if (operationTime != null) {
            return stream.startAtOperationTime(operationTime);
        }
        return stream;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StartPoint other
                && Objects.equals(resumeToken, other.resumeToken)
                && Objects.equals(operationTime, other.operationTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resumeToken, operationTime);
    }

    @Override
    public String toString() {
        return resumeToken != null
                ? "after resume token " + resumeToken.toJson()
                : operationTime != null ? "at operation time " + operationTime : "at the latest change";
    }
}
