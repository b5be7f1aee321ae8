/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/**
 * stream.scope=database: one database cursor serving several collections at different positions. The server is a
 * log of events with MongoDB's semantics for startAfter (strictly after the token), startAtOperationTime (at or
 * after the time) and the $match on ns.coll; each test checks that every collection gets each of its events after
 * its own position exactly once.
 */
class DatabaseFeedTest {
    private final Server server = new Server();

    @Test
    void eachCollectionGetsExactlyItsEventsAfterItsOwnPosition() {
        for (int i = 1; i <= 9; i++) {
            server.insert(List.of("a", "b", "c").get(i % 3), i);
        }
        DatabaseFeed feed = server.feed();
        Map<String, MongoChangeStreamCursor<RawBsonDocument>> views = new LinkedHashMap<>();
        views.put("a", watch(feed, "a", StartPoint.after(server.token(2))));
        views.put("b", watch(feed, "b", StartPoint.at(server.time(1))));
        views.put("c", watch(feed, "c", StartPoint.after(server.token(7))));

        Map<String, List<Integer>> got = drain(views);

        // a has 3, 6, 9; b 1, 4, 7; c 2, 5, 8
        assertThat(got.get("a")).containsExactly(3, 6, 9);
        assertThat(got.get("b")).containsExactly(1, 4, 7);
        assertThat(got.get("c")).containsExactly(8);
        // One database cursor, opened at the oldest position: b's operation time.
        assertThat(server.opens).hasSize(1);
        assertThat(server.opens.get(0).from()).isEqualTo(StartPoint.at(server.time(1)));
    }

    @Test
    void theSharedCursorStartsAtTheOldestPositionAndMatchesOnlyTheTasksCollections() {
        for (int i = 1; i <= 6; i++) {
            server.insert(i % 2 == 0 ? "a" : "b", i);
        }
        DatabaseFeed feed = server.feed();
        MongoChangeStreamCursor<RawBsonDocument> a = watch(feed, "a", StartPoint.after(server.token(4)));
        MongoChangeStreamCursor<RawBsonDocument> b = watch(feed, "b", StartPoint.after(server.token(1)));
        assertThat(ids(a)).containsExactly(6);
        assertThat(ids(b)).containsExactly(3, 5);
        Open last = server.opens.get(server.opens.size() - 1);
        assertThat(last.from).isEqualTo(StartPoint.after(server.token(1)));
        assertThat(last.collections).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aCollectionThatJoinsLaterFromAnEarlierPointLosesNothingAndTheOthersGetNoDuplicate() {
        server.insert("a", 1);
        server.insert("d", 2);
        server.insert("a", 3);
        DatabaseFeed feed = server.feed();
        MongoChangeStreamCursor<RawBsonDocument> a = watch(feed, "a", StartPoint.at(server.time(1)));
        assertThat(ids(a)).containsExactly(1, 3);
        server.insert("d", 4);
        server.insert("a", 5);
        // d is found by a later listing: it starts from before it was discovered, behind what a has read.
        MongoChangeStreamCursor<RawBsonDocument> d = watch(feed, "d", StartPoint.at(server.time(1)));
        assertThat(ids(d)).containsExactly(2, 4);
        assertThat(ids(a)).containsExactly(5);
        server.insert("d", 6);
        server.insert("a", 7);
        assertThat(ids(a)).containsExactly(7);
        assertThat(ids(d)).containsExactly(6);
    }

    @Test
    void aCollectionRestartedAfterAnErrorReadsAgainFromItsOwnPositionOnly() {
        for (int i = 1; i <= 8; i++) {
            server.insert(i % 2 == 0 ? "a" : "b", i);
        }
        DatabaseFeed feed = server.feed();
        MongoChangeStreamCursor<RawBsonDocument> a = watch(feed, "a", StartPoint.at(server.time(1)));
        MongoChangeStreamCursor<RawBsonDocument> b = watch(feed, "b", StartPoint.at(server.time(1)));
        assertThat(ids(a.tryNext())).isEqualTo(2);
        assertThat(ids(b.tryNext())).isEqualTo(1);
        // a's stream fails (network error) after it delivered 2: it closes its cursor and resumes after 2.
        a.close();
        a = watch(feed, "a", StartPoint.after(server.token(2)));
        assertThat(ids(a)).containsExactly(4, 6, 8);
        assertThat(ids(b)).containsExactly(3, 5, 7);
    }

    @Test
    void aDatabaseDropReachesEveryCollection() {
        server.insert("a", 1);
        server.insert("b", 2);
        server.event(new BsonDocument("operationType", new BsonString("dropDatabase"))
                .append("ns", new BsonDocument("db", new BsonString("shop"))));
        server.event(new BsonDocument("operationType", new BsonString("invalidate")));
        DatabaseFeed feed = server.feed();
        MongoChangeStreamCursor<RawBsonDocument> a = watch(feed, "a", StartPoint.at(server.time(1)));
        MongoChangeStreamCursor<RawBsonDocument> b = watch(feed, "b", StartPoint.at(server.time(1)));
        assertThat(ops(a)).containsExactly("insert", "dropDatabase", "invalidate");
        assertThat(ops(b)).containsExactly("insert", "dropDatabase", "invalidate");
    }

    @Test
    void aCollectionAlreadyPastAnInvalidateReadsOnAfterIt() {
        server.insert("b", 1);
        server.event(new BsonDocument("operationType", new BsonString("dropDatabase"))
                .append("ns", new BsonDocument("db", new BsonString("shop"))));
        server.event(new BsonDocument("operationType", new BsonString("invalidate")));
        server.insert("a", 4);
        server.insert("b", 5);
        DatabaseFeed feed = server.feed();
        // a restarted after the invalidate (on.invalidate=restart); b is still before the drop
        MongoChangeStreamCursor<RawBsonDocument> a = watch(feed, "a", StartPoint.after(server.token(3)));
        MongoChangeStreamCursor<RawBsonDocument> b = watch(feed, "b", StartPoint.at(server.time(1)));
        assertThat(a.tryNext()).isNull(); // the shared stream read up to the invalidate, which a has passed
        assertThat(ops(b)).containsExactly("insert", "dropDatabase", "invalidate");
        b.close();
        b = watch(feed, "b", StartPoint.after(server.token(3)));
        assertThat(ids(a)).containsExactly(4);
        assertThat(ids(b)).containsExactly(5);
    }

    @Test
    void anEventOver16MbMakesEachCollectionReadItsOwnStreamFromItsOwnPosition() {
        for (int i = 1; i <= 8; i++) {
            server.insert(i % 2 == 0 ? "a" : "b", i);
        }
        server.tooLargeAt = 5; // the database cursor fails at b's event 5, which only b's own stream can handle
        DatabaseFeed feed = server.feed();
        MongoChangeStreamCursor<RawBsonDocument> a = watch(feed, "a", StartPoint.at(server.time(1)));
        MongoChangeStreamCursor<RawBsonDocument> b = watch(feed, "b", StartPoint.at(server.time(1)));
        assertThat(ids(a.tryNext())).isEqualTo(2);
        assertThat(ids(b.tryNext())).isEqualTo(1);
        assertThat(ids(a)).containsExactly(4, 6, 8);
        assertThat(feed.perCollection()).isTrue();
        // b's own stream fails at 5 as on MongoDB (its CollectionStream then applies on.oversized); the rest is b's.
        server.tooLargeAt = 0;
        assertThat(ids(b)).containsExactly(3, 5, 7);
        assertThat(server.ownOpens).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aHeartbeatTokenIsNeverBehindTheCollectionsPosition() {
        server.insert("a", 1);
        server.insert("b", 2);
        server.insert("b", 3);
        DatabaseFeed feed = server.feed();
        MongoChangeStreamCursor<RawBsonDocument> a = watch(feed, "a", StartPoint.after(server.token(1)));
        MongoChangeStreamCursor<RawBsonDocument> b = watch(feed, "b", StartPoint.at(server.time(1)));
        assertThat(ids(b)).containsExactly(2, 3);
        assertThat(ids(a)).isEmpty();
        assertThat(a.getResumeToken()).isEqualTo(server.token(3)); // quiet a: moved with the database stream
        MongoChangeStreamCursor<RawBsonDocument> c = watch(feed, "c", StartPoint.after(server.token(3)));
        assertThat(c.getResumeToken()).isNull(); // nothing read past c's position yet: no step back
    }

    @Test
    void idleCollectionsShareOneGetMorePerAwait() {
        server.insert("c0", 1);
        DatabaseFeed feed = server.feed();
        List<MongoChangeStreamCursor<RawBsonDocument>> views = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            views.add(watch(feed, "c" + i, StartPoint.after(server.token(1)), 60_000));
        }
        for (int round = 0; round < 3; round++) {
            for (MongoChangeStreamCursor<RawBsonDocument> v : views) {
                assertThat(v.tryNext()).isNull();
            }
        }
        assertThat(server.emptyReads).isEqualTo(1); // not 15: one per await time for the whole database
    }

    @Test
    void streamOrderSortsTokensAndOperationTimes() {
        server.insert("a", 1);
        server.insert("a", 2);
        StartPoint t1 = StartPoint.at(server.time(1));
        StartPoint after1 = StartPoint.after(server.token(1));
        StartPoint after2 = StartPoint.after(server.token(2));
        assertThat(StreamOrder.compare(t1, after1)).isNegative();
        assertThat(StreamOrder.compare(after1, after2)).isNegative();
        assertThat(StreamOrder.compare(after2, t1)).isPositive();
        assertThat(StreamOrder.passed(server.token(1), after1)).isTrue();
        assertThat(StreamOrder.passed(server.token(2), after1)).isFalse();
        assertThat(StreamOrder.passed(server.token(1), t1)).isFalse(); // at T includes T
        assertThat(StreamOrder.passed(server.token(1), StartPoint.at(server.time(2))))
                .isTrue();
        assertThat(StreamOrder.tokenTime(server.token(2))).isEqualTo(server.time(2));
    }

    // ------------------------------------------------------------------ helpers

    private MongoChangeStreamCursor<RawBsonDocument> watch(DatabaseFeed feed, String coll, StartPoint from) {
        return watch(feed, coll, from, 0); // no await: the log is read at once
    }

    private MongoChangeStreamCursor<RawBsonDocument> watch(
            DatabaseFeed feed, String coll, StartPoint from, long awaitMs) {
        return server.member(feed, coll).watch(List.of(), from, 0, awaitMs);
    }

    private static Map<String, List<Integer>> drain(Map<String, MongoChangeStreamCursor<RawBsonDocument>> views) {
        Map<String, List<Integer>> got = new LinkedHashMap<>();
        views.keySet().forEach(k -> got.put(k, new ArrayList<>()));
        boolean any = true;
        while (any) {
            any = false;
            for (Map.Entry<String, MongoChangeStreamCursor<RawBsonDocument>> e : views.entrySet()) {
                RawBsonDocument next = e.getValue().tryNext();
                if (next != null) {
                    got.get(e.getKey()).add(ids(next));
                    any = true;
                }
            }
        }
        return got;
    }

    private static List<Integer> ids(MongoChangeStreamCursor<RawBsonDocument> cursor) {
        List<Integer> out = new ArrayList<>();
        for (RawBsonDocument e = cursor.tryNext(); e != null; e = cursor.tryNext()) {
            out.add(ids(e));
        }
        return out;
    }

    private static List<String> ops(MongoChangeStreamCursor<RawBsonDocument> cursor) {
        List<String> out = new ArrayList<>();
        for (RawBsonDocument e = cursor.tryNext(); e != null; e = cursor.tryNext()) {
            out.add(e.getString("operationType").getValue());
        }
        return out;
    }

    private static Integer ids(RawBsonDocument event) {
        return event == null
                ? null
                : event.getDocument("documentKey").getInt32("_id").getValue();
    }

    record Open(StartPoint from, Set<String> collections) {}

    /** A database's change events with MongoDB's start semantics; tokens are "82" + time + increment, as MongoDB's. */
    static final class Server {
        final List<RawBsonDocument> log = new ArrayList<>();
        final List<Open> opens = new ArrayList<>();
        final List<String> ownOpens = new ArrayList<>();
        int tooLargeAt;
        int emptyReads;

        BsonTimestamp time(int n) {
            return new BsonTimestamp(1_795_428_000 + n / 3, n);
        }

        BsonDocument token(int n) {
            return new BsonDocument(
                    "_data",
                    new BsonString(
                            String.format("82%08X%08X2B042C0100296E5A1004", time(n).getTime(), time(n).getInc())));
        }

        void insert(String coll, int id) {
            event(new BsonDocument("operationType", new BsonString("insert"))
                    .append("ns", new BsonDocument("db", new BsonString("shop")).append("coll", new BsonString(coll)))
                    .append("documentKey", new BsonDocument("_id", new BsonInt32(id)))
                    .append("fullDocument", new BsonDocument("_id", new BsonInt32(id))));
        }

        void event(BsonDocument body) {
            int n = log.size() + 1;
            BsonDocument e = new BsonDocument("_id", token(n)).append("clusterTime", time(n));
            e.putAll(body);
            log.add(new RawBsonDocument(e, new org.bson.codecs.BsonDocumentCodec()));
        }

        DatabaseFeed feed() {
            return new DatabaseFeed(
                    "shop",
                    (pipeline, from, batch, await) -> {
                        Set<String> in =
                                pipeline.get(0).getDocument("$match").getDocument("ns.coll").getArray("$in").stream()
                                        .map(v -> v.asString().getValue())
                                        .collect(Collectors.toSet());
                        opens.add(new Open(from, in));
                        return new Cursor(from, in);
                    },
                    List.of(),
                    0);
        }

        CollectionSource member(DatabaseFeed feed, String coll) {
            return feed.member(coll, own(coll));
        }

        /** The collection's own change stream over this log (counted in {@link #ownOpens}). */
        CollectionSource own(String coll) {
            return new CollectionSource() {
                @Override
                public MongoChangeStreamCursor<RawBsonDocument> watch(
                        List<BsonDocument> pipeline, StartPoint from, int batchSize, long awaitMs) {
                    ownOpens.add(coll);
                    return new Cursor(from, Set.of(coll));
                }

                @Override
                public MongoCursor<RawBsonDocument> copy(BsonValue afterId, int batchSize) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public StartPoint captureStart() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public long estimatedCount() {
                    return -1;
                }
            };
        }

        /** Events after the start (startAfter: strictly after the token; startAtOperationTime: at or after). */
        final class Cursor extends SimulatedCursor {
            private final Set<String> collections;
            private int next;
            private BsonDocument resumeToken;

            Cursor(StartPoint from, Set<String> collections) {
                this.collections = collections;
                if (from.resumeToken() != null) {
                    next = indexOf(from.resumeToken()) + 1;
                    resumeToken = from.resumeToken();
                } else {
                    while (next < log.size()
                            && log.get(next).getTimestamp("clusterTime").compareTo(from.operationTime()) < 0) {
                        next++;
                    }
                }
            }

            private int indexOf(BsonDocument token) {
                for (int i = 0; i < log.size(); i++) {
                    if (log.get(i).getDocument("_id").equals(token)) {
                        return i;
                    }
                }
                throw new AssertionError("resume token not found: " + token);
            }

            @Override
            public RawBsonDocument tryNext() {
                while (next < log.size()) {
                    RawBsonDocument e = log.get(next);
                    BsonDocument ns = e.containsKey("ns") ? e.getDocument("ns") : null;
                    boolean matches = ns == null
                            || !ns.containsKey("coll")
                            || collections.contains(ns.getString("coll").getValue());
                    if (matches && tooLargeAt == next + 1) {
                        // Only a stream that would return the event fails on it, as on MongoDB.
                        throw CollectionStreamTest.Simulated.error(
                                10334, "BSONObjectTooLarge", "BSONObj size is invalid");
                    }
                    next++;
                    resumeToken = e.getDocument("_id");
                    if (matches) {
                        return e;
                    }
                }
                emptyReads++;
                return null;
            }

            @Override
            public int available() {
                return 0;
            }

            @Override
            public BsonDocument getResumeToken() {
                return resumeToken;
            }
        }
    }
}
