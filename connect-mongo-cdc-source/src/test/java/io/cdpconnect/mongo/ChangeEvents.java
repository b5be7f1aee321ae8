package io.cdpconnect.mongo;

import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.UpdateDescription;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonTimestamp;

/** Real driver ChangeStreamDocuments, shaped as a MongoDB 7 server sends them, for every operation type. */
final class ChangeEvents {
    static final BsonTimestamp CLUSTER_TIME = new BsonTimestamp(1_795_428_000, 3);
    static final BsonDateTime WALL_TIME = new BsonDateTime(1_795_428_000_123L);

    private ChangeEvents() {
    }

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

    static ChangeStreamDocument<BsonDocument> event(String op, BsonDocument ns, BsonDocument to, BsonDocument full,
                                                    BsonDocument before, BsonDocument key, UpdateDescription update) {
        return event(op, token("82" + Integer.toHexString(op.hashCode())), ns, to, full, before, key, update, null, null);
    }

    static ChangeStreamDocument<BsonDocument> event(String op, BsonDocument token, BsonDocument ns, BsonDocument to,
                                                    BsonDocument full, BsonDocument before, BsonDocument key,
                                                    UpdateDescription update, BsonInt64 txn, BsonDocument lsid) {
        return new ChangeStreamDocument<>(op, token, ns, null, to, full, before, key, CLUSTER_TIME, update, txn,
                lsid, WALL_TIME, null, null);
    }
}
