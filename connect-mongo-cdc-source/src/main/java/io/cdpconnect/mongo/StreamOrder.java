/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import java.util.Locale;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

/**
 * The order of positions in the change stream, so one database cursor can serve collections that are at different
 * points: a resume token's {@code _data} is a hex KeyString that sorts like the events (cluster time first, then
 * the event's place within it), and an operation time T comes before every event at T ({@code startAtOperationTime}
 * includes T).
 */
final class StreamOrder {
    private StreamOrder() {}

    /** Negative when {@code a} is earlier than {@code b}. Neither may be {@link StartPoint#LATEST}. */
    static int compare(StartPoint a, StartPoint b) {
        BsonTimestamp ta = time(a);
        BsonTimestamp tb = time(b);
        if (ta != null && tb != null && ta.compareTo(tb) != 0) {
            return ta.compareTo(tb);
        }
        boolean aToken = a.resumeToken() != null;
        boolean bToken = b.resumeToken() != null;
        if (aToken != bToken) {
            return aToken ? 1 : -1; // same time: the operation time includes it, the token is after an event at it
        }
        if (!aToken) {
            return 0;
        }
        return data(a.resumeToken()).compareTo(data(b.resumeToken()));
    }

    /** True when the event (its token and cluster time) is at or before {@code position}: already delivered. */
    static boolean passed(BsonDocument eventToken, StartPoint position) {
        if (position.resumeToken() != null) {
            return compare(StartPoint.after(eventToken), position) <= 0;
        }
        if (position.operationTime() != null) {
            BsonTimestamp t = tokenTime(eventToken);
            return t != null && t.compareTo(position.operationTime()) < 0;
        }
        return false;
    }

    static StartPoint earliest(StartPoint a, StartPoint b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return compare(a, b) <= 0 ? a : b;
    }

    private static BsonTimestamp time(StartPoint p) {
        return p.operationTime() != null ? p.operationTime() : tokenTime(p.resumeToken());
    }

    /** The cluster time of a resume token ({@code _data} "82" + seconds + increment, 4 bytes each), or null. */
    static BsonTimestamp tokenTime(BsonDocument token) {
        String hex = token == null ? null : data(token);
        if (hex == null || hex.length() < 18 || !hex.startsWith("82")) {
            return null;
        }
        try {
            return new BsonTimestamp(
                    (int) Long.parseLong(hex.substring(2, 10), 16), (int) Long.parseLong(hex.substring(10, 18), 16));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String data(BsonDocument token) {
        BsonValue d = token.get("_data");
        return d != null && d.isString() ? d.asString().getValue().toUpperCase(Locale.ROOT) : token.toJson();
    }
}
