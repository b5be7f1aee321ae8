/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

/**
 * The MongoDB side of one collection: its change stream, the copy of its documents and the start point of a copy.
 * {@link CollectionStream} holds the position and the policies; this only talks to the server (and is the seam
 * where tests put a server behaviour the in-memory server cannot produce, such as a 16 MB event).
 */
interface CollectionSource {

    /**
     * A change stream from {@code from} with {@code pipeline}, fetching {@code batchSize} events per round trip
     * (0: the server's default, replies of up to 16 MB).
     */
    MongoChangeStreamCursor<RawBsonDocument> watch(
            List<BsonDocument> pipeline, StartPoint from, int batchSize, long awaitMs);

    /**
     * The documents after {@code afterId} (all when null) in {@code _id} order, as they would appear in an insert
     * event's {@code fullDocument} after the connector's pipeline (see {@link #copyPipeline}).
     */
    MongoCursor<RawBsonDocument> copy(BsonValue afterId, int batchSize);

    /** Where a change stream must start so that a copy beginning now misses nothing. */
    StartPoint captureStart();

    /** The collection's document count from its metadata (cheap, approximate), for copy progress; -1 if unknown. */
    long estimatedCount();

    /** The stage that drops every document of a change event, leaving its key: used to read an event over 16 MB. */
    BsonDocument DROP_DOCUMENTS = BsonDocument.parse(
            "{\"$project\": {\"fullDocument\": 0, \"fullDocumentBeforeChange\": 0, \"updateDescription\": 0}}");

    /** The field of a copy result holding the document (see {@link #copyPipeline}). */
    String COPY_DOCUMENT = "fullDocument";
    /** The field of a copy result holding {@code {_id: ...}}. */
    String COPY_KEY = "documentKey";

    /**
     * The documents after {@code afterId} in the order the copy reads them (the _id index's: numbers, strings,
     * documents, binary, ObjectIds, booleans, dates, timestamps, ...). Not {@code {_id: {$gt: afterId}}}: a query
     * operator compares only values of one BSON type, so after a string _id it matches no ObjectId or date, and a copy
     * resumed there would skip those documents. An aggregation comparison orders values of all types as the index does
     * (and uses the index from MongoDB 5.0); {@code $literal} keeps a string _id that starts with "$" a value.
     */
    static BsonDocument after(BsonValue afterId) {
        return new BsonDocument(
                "$expr",
                new BsonDocument(
                        "$gt", new BsonArray(List.of(new BsonString("$_id"), new BsonDocument("$literal", afterId)))));
    }

    /**
     * The aggregation that copies a collection through the change-stream pipeline: each document is shaped as the
     * insert event it would be ({@code operationType}, {@code ns}, {@code documentKey}, {@code fullDocument}), then
     * the user's stages run on it exactly as on an insert, so a {@code $match} on {@code fullDocument.*} filters the
     * copy and {@code $project}/{@code $unset}/{@code $set} of {@code fullDocument.*} fields shape it as they shape
     * the stream. The range and sort on {@code _id} come first, where they use the {@code _id} index.
     */
    static List<BsonDocument> copyPipeline(MongoNamespace namespace, List<BsonDocument> userStages, BsonValue afterId) {
        List<BsonDocument> stages = new ArrayList<>(userStages.size() + 3);
        if (afterId != null) {
            stages.add(new BsonDocument("$match", after(afterId)));
        }
        stages.add(new BsonDocument("$sort", new BsonDocument("_id", new BsonInt32(1))));
        BsonDocument event = new BsonDocument()
                .append("operationType", new BsonDocument("$literal", new BsonString("insert")))
                .append(
                        "ns",
                        new BsonDocument(
                                        "db", new BsonDocument("$literal", new BsonString(namespace.getDatabaseName())))
                                .append(
                                        "coll",
                                        new BsonDocument("$literal", new BsonString(namespace.getCollectionName()))))
                .append(COPY_KEY, new BsonDocument("_id", new BsonString("$_id")))
                .append(COPY_DOCUMENT, new BsonString("$$ROOT"));
        stages.add(new BsonDocument("$replaceRoot", new BsonDocument("newRoot", event)));
        stages.addAll(userStages);
        return stages;
    }

    /** The real server. */
    final class Mongo implements CollectionSource {
        private final MongoClient client;
        private final MongoNamespace namespace;
        private final MongoCdcSourceConfig config;

        Mongo(MongoClient client, MongoNamespace namespace, MongoCdcSourceConfig config) {
            this.client = client;
            this.namespace = namespace;
            this.config = config;
        }

        private MongoCollection<RawBsonDocument> collection() {
            return client.getDatabase(namespace.getDatabaseName())
                    .getCollection(namespace.getCollectionName(), RawBsonDocument.class);
        }

        @Override
        public MongoChangeStreamCursor<RawBsonDocument> watch(
                List<BsonDocument> pipeline, StartPoint from, int batchSize, long awaitMs) {
            return rawCursor(collection().watch(pipeline, RawBsonDocument.class), config, from, batchSize, awaitMs);
        }

        @Override
        public MongoCursor<RawBsonDocument> copy(BsonValue afterId, int batchSize) {
            MongoCollection<RawBsonDocument> coll = copySource(collection());
            if (config.pipeline().isEmpty()) {
                Bson filter = afterId == null ? new BsonDocument() : after(afterId);
                return coll.find(filter)
                        .sort(Sorts.ascending("_id"))
                        .batchSize(batchSize)
                        .cursor();
            }
            return coll.aggregate(copyPipeline(namespace, config.pipeline(), afterId))
                    .batchSize(batchSize)
                    .cursor();
        }

        @Override
        public StartPoint captureStart() {
            return StreamStartCapture.capture(client, namespace);
        }

        @Override
        public long estimatedCount() {
            try {
                return collection().estimatedDocumentCount();
            } catch (RuntimeException e) {
                return -1; // progress only: never fail a copy for it
            }
        }
    }

    /**
     * Opens a change stream (of a collection or a database) with the connector's options and returns its raw
     * events, as the server sent them: decoded once by {@link ChangeEvent}, not field by field by the driver.
     */
    static MongoChangeStreamCursor<RawBsonDocument> rawCursor(
            ChangeStreamIterable<RawBsonDocument> watch,
            MongoCdcSourceConfig config,
            StartPoint from,
            int batchSize,
            long awaitMs) {
        watch = watch.maxAwaitTime(Math.max(1, awaitMs), TimeUnit.MILLISECONDS);
        if (batchSize > 0) {
            watch = watch.batchSize(batchSize);
        }
        if (config.fullDocument() != FullDocument.DEFAULT) {
            watch = watch.fullDocument(config.fullDocument());
        }
        if (config.fullDocumentBeforeChange() != FullDocumentBeforeChange.DEFAULT) {
            watch = watch.fullDocumentBeforeChange(config.fullDocumentBeforeChange());
        }
        return (MongoChangeStreamCursor<RawBsonDocument>)
                from.applyTo(watch).withDocumentClass(RawBsonDocument.class).cursor();
    }

    /**
     * Reads of the copy go to the primary with majority read concern: a secondary may be behind the start point
     * (a gap), and a write read with "local" may later be rolled back (a document that never existed).
     */
    static <T> MongoCollection<T> copySource(MongoCollection<T> collection) {
        return collection.withReadPreference(ReadPreference.primary()).withReadConcern(ReadConcern.MAJORITY);
    }
}
