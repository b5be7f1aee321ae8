/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCursor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One collection's stream against a simulated collection ({@link Orders}: documents and change log, no server),
 * with the server behaviours {@link Simulated} adds: a batch failing with BSONObjectTooLarge (10334) because one event in it is over 16 MB, as
 * MongoDB does; lost history (CappedPositionLost, 136, on the open cursor, ChangeStreamHistoryLost, 286, when
 * reopened); a server that stays unreachable. What the in-memory server does on
 * its own is driven through the task in {@code CollectionStreamIT}.
 */
class CollectionStreamTest {
    private static final MongoNamespace ORDERS = new MongoNamespace("shop.orders");

    /** The collection as the simulated server holds it: its documents and its change log. */
    private final Orders orders = new Orders();

    private final StreamMetricsFixture taskMetrics =
            new StreamMetricsFixture(getClass().getSimpleName());

    /** The stream's metrics, as a task opens them (JMX); closed after each test. */
    StreamMetrics metrics() {
        return taskMetrics.forCollection("shop.orders");
    }

    @AfterEach
    void stop() {
        taskMetrics.close();
    }

    private static MongoCdcSourceConfig config(String... kv) {
        Map<String, String> props = new HashMap<>();
        props.put("mongo.uri", "mongodb://unused");
        props.put("full.document", "off");
        props.put("delete.tombstones", "false");
        props.put("retry.backoff.ms", "1");
        props.put("retry.backoff.max.ms", "1");
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        return new MongoCdcSourceConfig(props);
    }

    private CollectionStream stream(MongoCdcSourceConfig config, Simulated source) {
        return new CollectionStream(ORDERS, source, config, new RecordHandler(config), null, null, metrics());
    }

    private static List<String> pollUntil(CollectionStream stream, int count) {
        List<SourceRecord> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        do {
            stream.poll(out, 1000, 50);
        } while (out.size() < count && System.currentTimeMillis() < deadline);
        List<String> ops = new ArrayList<>();
        for (SourceRecord r : out) {
            Struct v = (Struct) r.value();
            ops.add(v.getString("operation") + " " + ((Struct) r.key()).get("_id")
                    + (Boolean.TRUE.equals(v.getBoolean("oversized")) ? " oversized" : ""));
        }
        return ops;
    }

    @Test
    void anEventOver16MbIsWrittenKeyOnlyAndTheStreamContinues() {
        Simulated source = new Simulated(orders);
        source.tooLarge.add(3);
        CollectionStream stream = stream(config("batch.size", "10"), source);
        assertThat(pollUntil(stream, 0)).isEmpty(); // opens the stream at "latest"
        for (int i = 1; i <= 5; i++) {
            orders.insert(i);
        }
        // 1 and 2 are in the batch that fails with 10334 too: they are re-read whole, only 3 loses its documents.
        assertThat(pollUntil(stream, 5))
                .containsExactly("insert 1", "insert 2", "insert 3 oversized", "insert 4", "insert 5");
        assertThat(source.projectedReads).isEqualTo(1);
        orders.insert(6);
        assertThat(pollUntil(stream, 1)).containsExactly("insert 6");
        // Published per collection: cdp.mongo-cdc-source:connector=..,task=0,collection=shop.orders
        Map<String, Object> published = taskMetrics.published("shop.orders");
        assertThat(published)
                .containsEntry("events-insert", 6L)
                .containsEntry("events-over-16mb", 1L)
                .containsEntry("reconnects", 0L);
        assertThat((Long) published.get("ms-since-last-event")).isBetween(0L, 60_000L);
    }

    @Test
    void anEventOver16MbUnderOnOversizedLogIsSkippedLoudlyAndFailFailsWithTheCause() {
        Simulated source = new Simulated(orders);
        source.tooLarge.add(2);
        CollectionStream logging = stream(config("on.oversized", "log"), source);
        pollUntil(logging, 0);
        for (int i = 1; i <= 3; i++) {
            orders.insert(i);
        }
        assertThat(pollUntil(logging, 2)).containsExactly("insert 1", "insert 3");

        Simulated source2 = new Simulated(orders);
        source2.tooLarge.add(5);
        CollectionStream failing = stream(config("on.oversized", "fail"), source2);
        pollUntil(failing, 0);
        orders.insert(5);
        assertThatThrownBy(() -> pollUntil(failing, 1))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("shop.orders _id 5")
                .hasMessageContaining("16 MB")
                .hasMessageContaining("on.oversized=key.only");
    }

    @Test
    void historyLostRightAfterTheCopyFailsInsteadOfCopyingForever() {
        orders.insert(1);
        Simulated source = new Simulated(orders);
        source.historyLost = true; // the oplog window is shorter than the copy
        CollectionStream stream = stream(config("startup.mode", "snapshot", "on.history.lost", "snapshot"), source);
        assertThat(pollUntil(stream, 1)).containsExactly("read 1");
        assertThatThrownBy(() -> pollUntil(stream, 1))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("the copy takes longer than the oplog window")
                .hasMessageContaining("replSetResizeOplog");
    }

    /** A stream that copied _id 1 and then streamed the insert of _id 2, under {@code on.history.lost=policy}. */
    private CollectionStream streamingAfterACopy(Simulated source, String policy) {
        orders.insert(1);
        CollectionStream stream = stream(config("startup.mode", "snapshot", "on.history.lost", policy), source);
        assertThat(pollUntil(stream, 1)).containsExactly("read 1");
        orders.insert(2);
        assertThat(pollUntil(stream, 1)).containsExactly("insert 2");
        return stream;
    }

    @Test
    void historyLostAfterStreamingCopiesAgain() {
        Simulated source = new Simulated(orders);
        CollectionStream stream = streamingAfterACopy(source, "snapshot");
        source.historyLost = true;
        pollUntil(stream, 0); // 136 on the open cursor: history lost, a new copy begins
        source.historyLost = false;
        assertThat(pollUntil(stream, 2)).containsExactly("read 1", "read 2");
    }

    /** The oplog rolls past an open stream (136): on.history.lost=fail stops with the policy's message, once. */
    @Test
    void anOpenStreamThatFallsOffTheOplogFollowsOnHistoryLost() {
        Simulated source = new Simulated(orders);
        CollectionStream stream = streamingAfterACopy(source, "fail");
        source.historyLost = true;
        assertThatThrownBy(() -> pollUntil(stream, 1))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("on.history.lost")
                .hasStackTraceContaining("CappedPositionLost");
    }

    @Test
    void retriesAreBoundedThenTheTaskFailsWithTheCause() {
        Simulated source = new Simulated(orders);
        source.unreachable = true;
        CollectionStream stream = stream(config("max.retries", "3"), source);
        List<SourceRecord> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stream.poll(out, 10, 10); // attempts 1..3: backing off
        }
        assertThatThrownBy(() -> {
                    long deadline = System.currentTimeMillis() + 5000;
                    while (System.currentTimeMillis() < deadline) {
                        stream.poll(out, 10, 10);
                    }
                })
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("after 3 reconnect attempts (max.retries)")
                .hasMessageContaining("Exception opening socket");
        assertThat(taskMetrics.published("shop.orders")).containsEntry("reconnects", 4L);
        assertThat(out).isEmpty();
    }

    /**
     * The collection as a server holds it, without a server: documents by _id and the change log (insert events,
     * resume token {_data: <position>}, clusterTime (1000, position)). A change stream reads the log from its start
     * point on; the copy reads the documents after an _id. The events are read as MongoDB sends them, raw BSON.
     */
    static final class Orders {
        private final java.util.TreeMap<Integer, BsonDocument> documents = new java.util.TreeMap<>();
        private final List<RawBsonDocument> log = new java.util.concurrent.CopyOnWriteArrayList<>();

        synchronized void insert(int id) {
            BsonDocument doc = new BsonDocument("_id", new org.bson.BsonInt32(id));
            documents.put(id, doc);
            BsonDocument event = new BsonDocument()
                    .append("_id", token(log.size() + 1))
                    .append("operationType", new org.bson.BsonString("insert"))
                    .append("clusterTime", new org.bson.BsonTimestamp(1000, log.size() + 1))
                    .append(
                            "ns",
                            new BsonDocument("db", new org.bson.BsonString(ORDERS.getDatabaseName()))
                                    .append("coll", new org.bson.BsonString(ORDERS.getCollectionName())))
                    .append("documentKey", new BsonDocument("_id", new org.bson.BsonInt32(id)))
                    .append("fullDocument", doc.clone());
            log.add(new RawBsonDocument(event, new org.bson.codecs.BsonDocumentCodec()));
        }

        /** The token of a position: the stream resumes after {@code position} events. */
        static BsonDocument token(int position) {
            return new BsonDocument("_data", new org.bson.BsonString(String.format("%08d", position)));
        }

        MongoChangeStreamCursor<RawBsonDocument> watch(StartPoint from) {
            int position;
            if (from.resumeToken() != null) {
                position =
                        Integer.parseInt(from.resumeToken().getString("_data").getValue());
            } else if (from.operationTime() != null) {
                position = from.operationTime().getInc() - 1; // the first event at or after that time
            } else {
                position = log.size();
            }
            return new LogCursor(position);
        }

        synchronized MongoCursor<RawBsonDocument> copy(BsonValue afterId) {
            List<RawBsonDocument> out = new ArrayList<>();
            Map<Integer, BsonDocument> after = afterId == null
                    ? documents
                    : documents.tailMap(afterId.asInt32().getValue(), false);
            for (BsonDocument d : after.values()) {
                out.add(new RawBsonDocument(d, new org.bson.codecs.BsonDocumentCodec()));
            }
            return new ListCursor(out);
        }

        StartPoint captureStart() {
            return StartPoint.at(new org.bson.BsonTimestamp(1000, log.size() + 1));
        }

        synchronized long estimatedCount() {
            return documents.size();
        }

        /** A change stream over the log from a position on; sees events appended later. */
        final class LogCursor extends SimulatedCursor {
            private int position;

            LogCursor(int position) {
                this.position = position;
            }

            @Override
            public RawBsonDocument tryNext() {
                return position < log.size() ? log.get(position++) : null;
            }

            @Override
            public int available() {
                return Math.max(0, log.size() - position);
            }

            @Override
            public BsonDocument getResumeToken() {
                return token(position);
            }
        }

        /** The copy's cursor over a list of documents. */
        static final class ListCursor extends SimulatedCursor {
            private final java.util.Iterator<RawBsonDocument> it;
            private final int size;
            private int read;

            ListCursor(List<RawBsonDocument> documents) {
                this.it = documents.iterator();
                this.size = documents.size();
            }

            @Override
            public RawBsonDocument tryNext() {
                return hasNext() ? next() : null;
            }

            @Override
            public int available() {
                return size - read;
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public RawBsonDocument next() {
                read++;
                return it.next();
            }

            @Override
            public BsonDocument getResumeToken() {
                return null; // a copy, not a change stream
            }
        }
    }

    /**
     * The simulated collection plus what only a real server does: a batch holding an event over 16 MB fails whole with
     * 10334 unless the documents are projected away; history lost; unreachable.
     */
    static final class Simulated implements CollectionSource {
        private final Orders real;
        final Set<Integer> tooLarge = new HashSet<>();
        volatile boolean historyLost;
        volatile boolean unreachable;
        int projectedReads;

        Simulated(Orders real) {
            this.real = real;
        }

        @Override
        public MongoChangeStreamCursor<RawBsonDocument> watch(
                List<BsonDocument> pipeline, StartPoint from, int batchSize, long awaitMs) {
            if (unreachable) {
                throw new MongoSocketOpenException("Exception opening socket", new ServerAddress("db1", 27017));
            }
            if (historyLost && !from.isLatest()) {
                throw error(286, "ChangeStreamHistoryLost", "Resume of change stream was not possible");
            }
            boolean projected = pipeline.contains(DROP_DOCUMENTS);
            MongoChangeStreamCursor<RawBsonDocument> cursor = real.watch(from);
            return new Batching(cursor, batchSize, projected);
        }

        @Override
        public MongoCursor<RawBsonDocument> copy(BsonValue afterId, int batchSize) {
            return real.copy(afterId);
        }

        @Override
        public StartPoint captureStart() {
            return real.captureStart();
        }

        @Override
        public long estimatedCount() {
            return real.estimatedCount();
        }

        static MongoCommandException error(int code, String name, String message) {
            return new MongoCommandException(
                    BsonDocument.parse("{\"ok\": 0, \"code\": " + code + ", \"codeName\": \"" + name
                            + "\", \"errmsg\": \"" + message + "\"}"),
                    new ServerAddress("db1", 27017));
        }

        /** Hands events over in server batches; a batch with an event over 16 MB fails whole, as on MongoDB. */
        final class Batching extends SimulatedCursor {
            private final MongoChangeStreamCursor<RawBsonDocument> cursor;
            private final int batchSize;
            private final boolean projected;
            private final Deque<RawBsonDocument> batch = new ArrayDeque<>();

            Batching(MongoChangeStreamCursor<RawBsonDocument> cursor, int batchSize, boolean projected) {
                this.cursor = cursor;
                this.batchSize = batchSize;
                this.projected = projected;
            }

            @Override
            public RawBsonDocument tryNext() {
                if (historyLost) {
                    // An open cursor whose position the oplog rolled past: MongoDB fails its getMore with
                    // CappedPositionLost; only a stream opened at a lost position gets ChangeStreamHistoryLost.
                    throw error(
                            136,
                            "CappedPositionLost",
                            "Executor error during getMore :: caused by :: CollectionScan died due to position in "
                                    + "capped collection being deleted.");
                }
                if (batch.isEmpty()) {
                    RawBsonDocument first = cursor.tryNext();
                    if (first == null) {
                        return null;
                    }
                    batch.add(first);
                    // batchSize 0: the server's default, as many as a 16 MB reply holds (here: all that are ready)
                    while ((batchSize <= 0 || batch.size() < batchSize) && cursor.available() > 0) {
                        batch.add(cursor.tryNext());
                    }
                    for (RawBsonDocument e : batch) {
                        BsonValue key = e.get("documentKey");
                        BsonValue id = key == null ? null : key.asDocument().get("_id");
                        if (id != null
                                && id.isInt32()
                                && tooLarge.contains(id.asInt32().getValue())
                                && !projected) {
                            batch.clear();
                            cursor.close();
                            throw error(
                                    10334,
                                    "BSONObjectTooLarge",
                                    "BSONObj size: 17825792 (0x1100000) is invalid. "
                                            + "Size must be between 0 and 16793600(16MB)");
                        }
                    }
                    if (projected) {
                        projectedReads++;
                        List<RawBsonDocument> stripped = new ArrayList<>();
                        for (RawBsonDocument e : batch) {
                            // What the server sends after DROP_DOCUMENTS: the event without its documents.
                            BsonDocument copy = new BsonDocument();
                            copy.putAll(e);
                            copy.remove("fullDocument");
                            copy.remove("fullDocumentBeforeChange");
                            copy.remove("updateDescription");
                            stripped.add(new RawBsonDocument(copy, new org.bson.codecs.BsonDocumentCodec()));
                        }
                        batch.clear();
                        batch.addAll(stripped);
                    }
                }
                return batch.poll();
            }

            @Override
            public int available() {
                return batch.size();
            }

            @Override
            public BsonDocument getResumeToken() {
                return cursor.getResumeToken();
            }

            @Override
            public void close() {
                cursor.close();
            }
        }
    }
}
