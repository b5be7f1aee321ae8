/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.connection.ClusterType;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns before a collection's position leaves the oplog: compares the cluster time of each stream's position with
 * the oldest oplog entry. A quiet collection without heartbeats keeps an old position; once the oplog rolls past
 * it, its history is lost (on.history.lost). Reading local.oplog.rs needs the read privilege on "local"; without
 * it the check is skipped (logged once).
 */
final class OplogWindow {
    private static final Logger log = LoggerFactory.getLogger(OplogWindow.class);
    private boolean unreadableLogged;

    /** Seconds of the oldest oplog entry, or null when the oplog cannot be read. */
    Long oldestSeconds(MongoClient client) {
        try {
            BsonDocument first = client.getDatabase("local")
                    .getCollection("oplog.rs", BsonDocument.class)
                    .find()
                    .sort(new BsonDocument("$natural", new BsonInt32(1)))
                    .limit(1)
                    .first();
            BsonValue ts = first == null ? null : first.get("ts");
            return ts != null && ts.isTimestamp()
                    ? Integer.toUnsignedLong(ts.asTimestamp().getTime())
                    : null;
        } catch (RuntimeException e) {
            if (!unreadableLogged) {
                unreadableLogged = true;
                log.info("{}: {}", unreadable(client.getClusterDescription().getType()), e.toString());
            }
            return null;
        }
    }

    /** Why no warning will come, and what would enable it, for the deployment's type. */
    static String unreadable(ClusterType type) {
        if (type == ClusterType.SHARDED) {
            return "cannot read local.oplog.rs through mongos (a sharded cluster: each shard has its own oplog, "
                    + "not readable through mongos), so no warning before a position leaves the oplog window; "
                    + "watch each shard's oplog window instead";
        }
        return "cannot read local.oplog.rs, so no warning before a position leaves the oplog window "
                + "(grant read on 'local' to enable it)";
    }

    /** The cluster time (seconds) of a start point: a resume token's, an operation time's; null for "latest". */
    static Long seconds(StartPoint point) {
        if (point == null) {
            return null;
        }
        BsonTimestamp time = point.operationTime();
        if (time != null) {
            return Integer.toUnsignedLong(time.getTime());
        }
        return point.resumeToken() == null ? null : tokenSeconds(point.resumeToken());
    }

    /**
     * A resume token's _data is a hex KeyString starting with the event's cluster time: type byte 0x82, then the
     * timestamp's seconds and increment, 4 bytes each, big-endian.
     */
    static Long tokenSeconds(BsonDocument token) {
        BsonValue data = token.get("_data");
        if (data == null || !data.isString()) {
            return null;
        }
        String hex = data.asString().getValue();
        if (hex.length() < 18 || !hex.regionMatches(true, 0, "82", 0, 2)) {
            return null;
        }
        try {
            return Long.parseLong(hex.substring(2, 10), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** How far behind the cluster's time a stream must be to be warned about: a caught-up stream is not at risk. */
    static final long BEHIND_SECONDS = 60;

    /**
     * Seconds left before the position leaves the oplog, when that is less than the margin and the stream is behind
     * ({@value #BEHIND_SECONDS} s or more before {@code nowSeconds}, the cluster time); else null. A young oplog that
     * is not full yet has its oldest entry close to every position; only a stream that stays behind is at risk.
     */
    static Long atRisk(Long positionSeconds, Long oldestSeconds, long nowSeconds, long marginSeconds) {
        if (positionSeconds == null || oldestSeconds == null || marginSeconds <= 0) {
            return null;
        }
        long left = positionSeconds - oldestSeconds;
        return left < marginSeconds && nowSeconds - positionSeconds >= BEHIND_SECONDS ? left : null;
    }
}
