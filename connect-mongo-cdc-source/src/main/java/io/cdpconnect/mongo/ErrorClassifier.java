/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/** Which driver failures mean "history lost" and which are transient (retry with backoff). */
final class ErrorClassifier {
    /** ChangeStreamHistoryLost: the resume point is no longer in the oplog. */
    static final int CHANGE_STREAM_HISTORY_LOST = 286;
    /** ChangeStreamFatalError: raised by older servers when a resume token cannot be found. */
    static final int CHANGE_STREAM_FATAL_ERROR = 280;
    /**
     * CappedPositionLost: the oplog rolled past an open change stream's position (its getMore fails with this; only
     * a stream opened at a lost position gets 286). The stream's own position, never ahead of the cursor's, is gone.
     */
    static final int CAPPED_POSITION_LOST = 136;

    /** BSONObjectTooLarge: the event (documents included) exceeds the 16 MB BSON limit, the server fails the batch. */
    static final int BSON_OBJECT_TOO_LARGE = 10334;

    private ErrorClassifier() {}

    /** The server could not return a change event because it is over 16 MB. Never transient: retrying fails again. */
    static boolean isEventTooLarge(Throwable e) {
        return e instanceof MongoServerException server && server.getCode() == BSON_OBJECT_TOO_LARGE;
    }

    static boolean isHistoryLost(Throwable e) {
        if (e instanceof MongoServerException server) {
            int code = server.getCode();
            if (code == CHANGE_STREAM_HISTORY_LOST || code == CAPPED_POSITION_LOST) {
                return true;
            }
            // Only "the resume token was not found": 280 also reports a pipeline that modified _id, a configuration
            // error whose message names the resume token too, and which must fail loudly, not restart the stream.
            String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return code == CHANGE_STREAM_FATAL_ERROR && message.contains("resume token was not found");
        }
        return false;
    }

    static boolean isTransient(Throwable e) {
        if (e instanceof MongoInterruptedException) {
            return false;
        }
        if (e instanceof MongoSocketException
                || e instanceof MongoConnectionPoolClearedException // once, after a failover cleared the pool
                || e instanceof MongoTimeoutException
                || e instanceof MongoNotPrimaryException
                || e instanceof MongoNodeIsRecoveringException) {
            return true;
        }
        if (e instanceof MongoException mongo) {
            if (mongo.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
                    || mongo.hasErrorLabel("ResumableChangeStreamError")
                    || mongo.hasErrorLabel("RetryableWriteError")) {
                return true;
            }
            if (e instanceof MongoCommandException command) {
                // HostUnreachable, HostNotFound, NetworkTimeout, ShutdownInProgress, PrimarySteppedDown,
                // ExceededTimeLimit, SocketException, NotWritablePrimary, InterruptedAtShutdown,
                // InterruptedDueToReplStateChange, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary, StaleShardVersion,
                // StaleEpoch, RetryChangeStream, FailedToSatisfyReadPreference, StaleConfig; CursorNotFound and
                // QueryPlanKilled: the copy's cursor was killed (idle timeout, killCursors, its collection dropped),
                // and the copy continues after its last _id (a change stream the driver resumes itself)
                switch (command.getErrorCode()) {
                    case 6,
                            7,
                            89,
                            91,
                            189,
                            262,
                            9001,
                            10107,
                            11600,
                            11602,
                            13435,
                            13436,
                            63,
                            150,
                            234,
                            133,
                            13388,
                            43,
                            175:
                        return true;
                    default:
                        return false;
                }
            }
        }
        return false;
    }
}
