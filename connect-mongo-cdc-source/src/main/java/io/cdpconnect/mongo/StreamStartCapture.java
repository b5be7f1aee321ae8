/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the point a change stream must start from so that a copy that begins now misses nothing: every change
 * committed after this point is streamed after the copy, including those made while copying.
 *
 * <p>In order of preference: the post-batch resume token of a change stream just opened (MongoDB 4.0.7+), the
 * operationTime of a command reply (replica sets), right after the newest entry of local.oplog.rs (servers that give
 * neither, such as the in-memory test server), and as a last resort one second before the server's clock. An earlier start only replays changes the copy
 * already contains, which leaves every document in its final state; a later one would lose changes.
 */
final class StreamStartCapture {
    private static final Logger log = LoggerFactory.getLogger(StreamStartCapture.class);

    private StreamStartCapture() {}

    static StartPoint capture(MongoClient client, MongoNamespace namespace) {
        try (MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor = client.getDatabase(
                        namespace.getDatabaseName())
                .getCollection(namespace.getCollectionName(), BsonDocument.class)
                .withReadPreference(ReadPreference.primary()) // where the copy reads
                .watch(BsonDocument.class)
                .cursor()) {
            BsonDocument token = cursor.getResumeToken();
            if (token != null) {
                return StartPoint.after(token);
            }
        }
        return StartPoint.at(clusterTime(client, namespace.getFullName()));
    }

    /**
     * The server's current cluster time, or a time not after it: every change committed later has a later
     * timestamp. Used before listing collections, so a collection found by the next listing starts from here.
     */
    static BsonTimestamp clusterTime(MongoClient client, String what) {
        BsonDocument reply = hello(client);
        BsonValue operationTime = reply.get("operationTime");
        if (operationTime != null && operationTime.isTimestamp()) {
            return operationTime.asTimestamp();
        }
        BsonTimestamp lastOplogEntry = lastOplogEntry(client);
        if (lastOplogEntry != null) {
            // Right after the newest oplog entry: every later change is streamed.
            return new BsonTimestamp(lastOplogEntry.getTime(), lastOplogEntry.getInc() + 1);
        }
        long nowSeconds;
        BsonValue localTime = reply.get("localTime");
        if (localTime != null && localTime.isDateTime()) {
            nowSeconds = localTime.asDateTime().getValue() / 1000;
        } else {
            nowSeconds = System.currentTimeMillis() / 1000;
        }
        log.info(
                "{}: the server gives neither a post-batch resume token nor an operation time; starting the stream "
                        + "one second before its clock (changes of that second may be delivered twice)",
                what);
        return new BsonTimestamp((int) (nowSeconds - 1), 0);
    }

    /** The timestamp of the newest oplog entry, or null when the oplog cannot be read. */
    private static BsonTimestamp lastOplogEntry(MongoClient client) {
        try {
            BsonDocument last = client.getDatabase("local")
                    .getCollection("oplog.rs", BsonDocument.class)
                    .find()
                    .sort(new BsonDocument("$natural", new BsonInt32(-1)))
                    .limit(1)
                    .first();
            BsonValue ts = last == null ? null : last.get("ts");
            return ts != null && ts.isTimestamp() ? ts.asTimestamp() : null;
        } catch (RuntimeException e) {
            log.debug("cannot read local.oplog.rs: {}", e.toString());
            return null;
        }
    }

    /** The hello reply (isMaster on servers that predate hello), or an empty document if neither answers. */
    private static BsonDocument hello(MongoClient client) {
        for (String command : new String[] {"hello", "isMaster"}) {
            try {
                return client.getDatabase("admin")
                        .runCommand(new BsonDocument(command, new BsonInt32(1)), BsonDocument.class);
            } catch (MongoCommandException e) {
                log.debug("{} not supported: {}", command, e.getErrorMessage());
            }
        }
        return new BsonDocument();
    }
}
