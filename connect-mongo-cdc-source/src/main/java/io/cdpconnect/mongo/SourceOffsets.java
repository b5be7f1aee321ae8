/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Source partitions and offsets. The partition is the collection ({@code {"ns": "db.coll"}}), not the task, so
 * stored positions survive any change of tasks.max or of the assignment of collections to tasks.
 *
 * <p>Offsets, all JSON-friendly (canonical extended JSON keeps every BSON type of a resume token or an _id):
 * <ul>
 *   <li>streaming: {@code resume_token}</li>
 *   <li>copying: {@code snapshot_last_id} (the last copied _id, as {"_id": ...}) plus the start point of the stream
 *       that follows the copy ({@code resume_token} or {@code start_at_t}/{@code start_at_i})</li>
 *   <li>the last record of a completed copy: that start point alone ({@link #copied}), read back as a streaming
 *       position</li>
 * </ul>
 */
final class SourceOffsets {
    static final String NAMESPACE = "ns";
    static final String RESUME_TOKEN = "resume_token";
    static final String START_AT_T = "start_at_t";
    static final String START_AT_I = "start_at_i";
    static final String SNAPSHOT_LAST_ID = "snapshot_last_id";

    private static final JsonWriterSettings CANONICAL =
            JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private SourceOffsets() {}

    static Map<String, String> partition(String namespace) {
        return Map.of(NAMESPACE, namespace);
    }

    static Map<String, Object> streaming(BsonDocument resumeToken) {
        return Map.of(RESUME_TOKEN, tokenJson(resumeToken));
    }

    /** Canonical extended JSON of a token; the usual {_data: hex} shape without a JSON writer (once per event). */
    static String tokenJson(BsonDocument token) {
        if (token.size() == 1) {
            BsonValue data = token.get("_data");
            if (data != null && data.isString() && isPlain(data.asString().getValue())) {
                return "{\"_data\": \"" + data.asString().getValue() + "\"}";
            }
        }
        return token.toJson(CANONICAL);
    }

    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    static Map<String, Object> snapshot(StartPoint streamStart, BsonValue lastId) {
        Map<String, Object> offset = new HashMap<>(4);
        putStart(offset, streamStart);
        offset.put(SNAPSHOT_LAST_ID, new BsonDocument("_id", lastId).toJson(CANONICAL));
        return offset;
    }

    /**
     * The offset of the last record of a completed copy: only the start point of the stream that follows, the shape
     * of a streaming offset, so a restart after it streams from there and never copies again.
     */
    static Map<String, Object> copied(StartPoint streamStart) {
        if (streamStart.isLatest()) {
            throw new IllegalStateException("a copy's start point is a resume token or an operation time");
        }
        Map<String, Object> offset = new HashMap<>(4);
        putStart(offset, streamStart);
        return offset;
    }

    private static void putStart(Map<String, Object> offset, StartPoint start) {
        if (start.resumeToken() != null) {
            offset.put(RESUME_TOKEN, tokenJson(start.resumeToken()));
        } else if (start.operationTime() != null) {
            offset.put(START_AT_T, Integer.toUnsignedLong(start.operationTime().getTime()));
            offset.put(START_AT_I, Integer.toUnsignedLong(start.operationTime().getInc()));
        }
    }

    /**
     * Checks a partition and offset given to PATCH /connectors/<name>/offsets; throws ConnectException saying what
     * is wrong. A null offset (reset) is always valid.
     */
    static void validate(Map<String, ?> partition, Map<String, ?> offset) {
        Object ns = partition == null ? null : partition.get(NAMESPACE);
        if (partition == null || partition.size() != 1 || !(ns instanceof String name) || name.indexOf('.') <= 0) {
            throw new ConnectException(
                    "source partition " + partition + " is not {\"" + NAMESPACE + "\": \"db.collection\"}");
        }
        if (offset == null) {
            return;
        }
        for (String key : offset.keySet()) {
            if (!List.of(RESUME_TOKEN, START_AT_T, START_AT_I, SNAPSHOT_LAST_ID).contains(key)) {
                throw new ConnectException(ns + ": unknown offset field '" + key + "'; expected " + RESUME_TOKEN
                        + " or " + START_AT_T + "/" + START_AT_I + ", optionally " + SNAPSHOT_LAST_ID);
            }
        }
        Object token = offset.get(RESUME_TOKEN);
        boolean hasTime = offset.containsKey(START_AT_T) || offset.containsKey(START_AT_I);
        if (token != null && hasTime) {
            throw new ConnectException(
                    ns + ": give either " + RESUME_TOKEN + " or " + START_AT_T + "/" + START_AT_I + ", not both");
        }
        if (token != null) {
            BsonDocument doc = parse(ns, RESUME_TOKEN, token);
            if (!doc.containsKey("_data")) {
                throw new ConnectException(ns + ": " + RESUME_TOKEN + " " + token + " has no _data");
            }
        } else if (hasTime) {
            for (String key : List.of(START_AT_T, START_AT_I)) {
                Object v = offset.get(key);
                if (!(v instanceof Number n) || n.longValue() < 0 || n.longValue() > 0xFFFFFFFFL) {
                    throw new ConnectException(ns + ": " + key + " must be a number from 0 to 4294967295, got " + v);
                }
            }
        } else {
            throw new ConnectException(ns + ": an offset needs " + RESUME_TOKEN + " or " + START_AT_T + "/" + START_AT_I
                    + " (or null to reset the collection)");
        }
        Object lastId = offset.get(SNAPSHOT_LAST_ID);
        if (lastId != null && !parse(ns, SNAPSHOT_LAST_ID, lastId).containsKey("_id")) {
            throw new ConnectException(ns + ": " + SNAPSHOT_LAST_ID + " must be {\"_id\": ...}");
        }
    }

    private static BsonDocument parse(Object ns, String key, Object json) {
        if (!(json instanceof String text)) {
            throw new ConnectException(ns + ": " + key + " must be a string of extended JSON, got " + json);
        }
        try {
            return BsonDocument.parse(text);
        } catch (RuntimeException e) {
            throw new ConnectException(ns + ": " + key + " is not extended JSON: " + text);
        }
    }

    /** A stored position read back. */
    record Stored(StartPoint streamStart, BsonValue snapshotLastId) {
        boolean snapshotInProgress() {
            return snapshotLastId != null;
        }
    }

    /** Reads a stored offset; null when there is none (the collection starts by startup.mode). */
    static Stored read(Map<String, Object> offset) {
        if (offset == null || offset.isEmpty()) {
            return null;
        }
        StartPoint start = StartPoint.LATEST;
        Object token = offset.get(RESUME_TOKEN);
        if (token != null) {
            start = StartPoint.after(BsonDocument.parse((String) token));
        } else if (offset.get(START_AT_T) != null) {
            start = StartPoint.at(new BsonTimestamp((int) ((Number) offset.get(START_AT_T)).longValue(), (int)
                    ((Number) offset.get(START_AT_I)).longValue()));
        }
        Object lastId = offset.get(SNAPSHOT_LAST_ID);
        return new Stored(
                start,
                lastId == null ? null : BsonDocument.parse((String) lastId).get("_id"));
    }
}
