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
import com.mongodb.ServerCursor;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import io.cdpconnect.mongo.it.InMemoryMongo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One collection's stream against the in-memory server, with the server behaviours it cannot produce added by
 * {@link Simulated}: a batch failing with BSONObjectTooLarge (10334) because one event in it is over 16 MB, as
 * MongoDB does; ChangeStreamHistoryLost (286); a server that stays unreachable.
 */
class CollectionStreamTest {
    private static final MongoNamespace ORDERS = new MongoNamespace("shop.orders");

    private InMemoryMongo mongo;
    private MongoClient client;
    private MongoCollection<Document> orders;

    @BeforeEach
    void start() {
        mongo = new InMemoryMongo();
        client = mongo.client();
        orders = client.getDatabase("shop").getCollection("orders");
    }

    private final StreamMetricsFixture taskMetrics =
            new StreamMetricsFixture(getClass().getSimpleName());

    /** The stream's metrics, as a task opens them (JMX); closed after each test. */
    StreamMetrics metrics() {
        return taskMetrics.forCollection("shop.orders");
    }

    @AfterEach
    void stop() {
        taskMetrics.close();
        client.close();
        mongo.close();
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
        Simulated source = new Simulated(client, config());
        source.tooLarge.add(3);
        CollectionStream stream = stream(config("batch.size", "10"), source);
        assertThat(pollUntil(stream, 0)).isEmpty(); // opens the stream at "latest"
        for (int i = 1; i <= 5; i++) {
            orders.insertOne(new Document("_id", i));
        }
        // 1 and 2 are in the batch that fails with 10334 too: they are re-read whole, only 3 loses its documents.
        assertThat(pollUntil(stream, 5))
                .containsExactly("insert 1", "insert 2", "insert 3 oversized", "insert 4", "insert 5");
        assertThat(source.projectedReads).isEqualTo(1);
        orders.insertOne(new Document("_id", 6));
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
        Simulated source = new Simulated(client, config());
        source.tooLarge.add(2);
        CollectionStream logging = stream(config("on.oversized", "log"), source);
        pollUntil(logging, 0);
        for (int i = 1; i <= 3; i++) {
            orders.insertOne(new Document("_id", i));
        }
        assertThat(pollUntil(logging, 2)).containsExactly("insert 1", "insert 3");

        Simulated source2 = new Simulated(client, config());
        source2.tooLarge.add(5);
        CollectionStream failing = stream(config("on.oversized", "fail"), source2);
        pollUntil(failing, 0);
        orders.insertOne(new Document("_id", 5));
        assertThatThrownBy(() -> pollUntil(failing, 1))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("shop.orders _id 5")
                .hasMessageContaining("16 MB")
                .hasMessageContaining("on.oversized=key.only");
    }

    @Test
    void historyLostRightAfterTheCopyFailsInsteadOfCopyingForever() {
        orders.insertOne(new Document("_id", 1));
        Simulated source = new Simulated(client, config());
        source.historyLost = true; // the oplog window is shorter than the copy
        CollectionStream stream = stream(config("startup.mode", "snapshot", "on.history.lost", "snapshot"), source);
        assertThat(pollUntil(stream, 1)).containsExactly("read 1");
        assertThatThrownBy(() -> pollUntil(stream, 1))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("the copy takes longer than the oplog window")
                .hasMessageContaining("replSetResizeOplog");
    }

    @Test
    void historyLostAfterStreamingCopiesAgain() {
        orders.insertOne(new Document("_id", 1));
        Simulated source = new Simulated(client, config());
        CollectionStream stream = stream(config("startup.mode", "snapshot", "on.history.lost", "snapshot"), source);
        assertThat(pollUntil(stream, 1)).containsExactly("read 1");
        orders.insertOne(new Document("_id", 2));
        assertThat(pollUntil(stream, 1)).containsExactly("insert 2");
        source.historyLost = true;
        pollUntil(stream, 0); // 286 once on the open cursor: a new copy begins
        source.historyLost = false;
        assertThat(pollUntil(stream, 2)).containsExactly("read 1", "read 2");
    }

    @Test
    void retriesAreBoundedThenTheTaskFailsWithTheCause() {
        Simulated source = new Simulated(client, config());
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

    @Test
    void deletesAreFollowedByATombstone() {
        Simulated source = new Simulated(client, config());
        CollectionStream stream = new CollectionStream(
                ORDERS,
                source,
                config("delete.tombstones", "true"),
                new RecordHandler(config()),
                null,
                null,
                metrics());
        List<SourceRecord> out = new ArrayList<>();
        stream.poll(out, 10, 10);
        orders.insertOne(new Document("_id", 1));
        orders.deleteOne(new Document("_id", 1));
        long deadline = System.currentTimeMillis() + 20_000;
        while (out.size() < 3 && System.currentTimeMillis() < deadline) {
            stream.poll(out, 10, 50);
        }
        assertThat(out).hasSize(3);
        assertThat(((Struct) out.get(1).value()).getString("operation")).isEqualTo("delete");
        SourceRecord tombstone = out.get(2);
        assertThat(tombstone.value()).isNull();
        assertThat(tombstone.valueSchema()).isNull();
        assertThat(tombstone.key()).isEqualTo(out.get(1).key());
        assertThat(tombstone.topic()).isEqualTo(out.get(1).topic());
        assertThat(tombstone.sourceOffset()).isEqualTo(out.get(1).sourceOffset());
    }

    /**
     * The in-memory server plus what only a real one does: a batch holding an event over 16 MB fails whole with
     * 10334 unless the documents are projected away; history lost; unreachable.
     */
    static final class Simulated implements CollectionSource {
        private final CollectionSource real;
        final Set<Integer> tooLarge = new HashSet<>();
        volatile boolean historyLost;
        volatile boolean unreachable;
        int projectedReads;

        Simulated(MongoClient client, MongoCdcSourceConfig config) {
            this.real = new CollectionSource.Mongo(client, ORDERS, config);
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
            List<BsonDocument> serverPipeline = new ArrayList<>(pipeline);
            serverPipeline.remove(DROP_DOCUMENTS);
            MongoChangeStreamCursor<RawBsonDocument> cursor = real.watch(serverPipeline, from, batchSize, awaitMs);
            return new Batching(cursor, batchSize, projected);
        }

        @Override
        public MongoCursor<RawBsonDocument> copy(BsonValue afterId, int batchSize) {
            return real.copy(afterId, batchSize);
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
        final class Batching implements MongoChangeStreamCursor<RawBsonDocument> {
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
                    throw error(286, "ChangeStreamHistoryLost", "Resume of change stream was not possible");
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

            @Override
            public boolean hasNext() {
                throw new UnsupportedOperationException();
            }

            @Override
            public RawBsonDocument next() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServerCursor getServerCursor() {
                return cursor.getServerCursor();
            }

            @Override
            public ServerAddress getServerAddress() {
                return cursor.getServerAddress();
            }

            @Override
            public void forEachRemaining(Consumer<? super RawBsonDocument> action) {
                throw new UnsupportedOperationException();
            }
        }
    }
}
