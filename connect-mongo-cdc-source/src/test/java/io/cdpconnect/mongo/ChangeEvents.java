/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.client.model.changestream.TruncatedArray;
import com.mongodb.client.model.changestream.UpdateDescription;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/** Raw change events, shaped (field names, order, types) as a MongoDB 7 server sends them, for every operation type. */
final class ChangeEvents {
    static final BsonTimestamp CLUSTER_TIME = new BsonTimestamp(1_795_428_000, 3);
    static final BsonDateTime WALL_TIME = new BsonDateTime(1_795_428_000_123L);

    private ChangeEvents() {}

    static BsonDocument token(String hex) {
        return new BsonDocument("_data", new BsonString(hex));
    }

    static BsonDocument ns(String db, String coll) {
        BsonDocument ns = new BsonDocument("db", new BsonString(db));
        if (coll != null) {
            ns.append("coll", new BsonString(coll));
        }
        return ns;
    }

    static ChangeEvent event(
            String op,
            BsonDocument ns,
            BsonDocument to,
            BsonDocument full,
            BsonDocument before,
            BsonDocument key,
            UpdateDescription update) {
        return event(
                op, token("82" + Integer.toHexString(op.hashCode())), ns, to, full, before, key, update, null, null);
    }

    static ChangeEvent event(
            String op,
            BsonDocument token,
            BsonDocument ns,
            BsonDocument to,
            BsonDocument full,
            BsonDocument before,
            BsonDocument key,
            UpdateDescription update,
            BsonInt64 txn,
            BsonDocument lsid) {
        return ChangeEvent.of(raw(op, token, ns, to, full, before, key, update, txn, lsid));
    }

    /** The event's BSON as the server sends it (absent fields left out). */
    static RawBsonDocument raw(
            String op,
            BsonDocument token,
            BsonDocument ns,
            BsonDocument to,
            BsonDocument full,
            BsonDocument before,
            BsonDocument key,
            UpdateDescription update,
            BsonInt64 txn,
            BsonDocument lsid) {
        BsonDocument e = new BsonDocument("_id", token)
                .append("operationType", new BsonString(op))
                .append("clusterTime", CLUSTER_TIME)
                .append("wallTime", WALL_TIME);
        if (txn != null) {
            e.append("txnNumber", txn);
        }
        if (lsid != null) {
            e.append("lsid", lsid);
        }
        if (full != null) {
            e.append("fullDocument", full);
        }
        if (ns != null) {
            e.append("ns", ns);
        }
        if (to != null) {
            e.append("to", to);
        }
        if (key != null) {
            e.append("documentKey", key);
        }
        if (update != null) {
            BsonDocument u = new BsonDocument();
            if (update.getUpdatedFields() != null) {
                u.append("updatedFields", update.getUpdatedFields());
            }
            if (update.getRemovedFields() != null) {
                BsonArray removed = new BsonArray();
                update.getRemovedFields().forEach(f -> removed.add(new BsonString(f)));
                u.append("removedFields", removed);
            }
            if (update.getTruncatedArrays() != null) {
                BsonArray truncated = new BsonArray();
                for (TruncatedArray t : update.getTruncatedArrays()) {
                    truncated.add(new BsonDocument("field", new BsonString(t.getField()))
                            .append("newSize", new BsonInt32(t.getNewSize())));
                }
                u.append("truncatedArrays", truncated);
            }
            e.append("updateDescription", u);
        }
        if (before != null) {
            e.append("fullDocumentBeforeChange", before);
        }
        return new RawBsonDocument(e, new BsonDocumentCodec());
    }
}
