/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.ServerAddress;
import com.mongodb.ServerCursor;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.connect.errors.ConnectException;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code stream.scope=database}: one database-level change stream serving every collection of one database that a
 * task streams, with a {@code $match} on {@code ns.coll}. Each collection keeps its own {@link CollectionStream},
 * source partition and position; it reads through a {@link Member} (its {@link CollectionSource}), whose cursor is
 * a view of the shared one.
 *
 * <p>The shared cursor starts at the earliest position any collection still needs and each event goes to its
 * collection's queue unless that collection is already past it ({@link StreamOrder#passed}): nothing is lost, and
 * an event is handed to its collection at most once per position the collection (re)starts from, exactly as with
 * one cursor per collection. A collection that joins (found after start) or restarts (after an error) from an
 * earlier point reopens the shared cursor there; the others drop what they already have.
 *
 * <p>What only a single collection's stream can handle — an event over 16 MB (BSONObjectTooLarge) or a position
 * no longer in the oplog (ChangeStreamHistoryLost), which the shared cursor cannot attribute to one collection —
 * makes the feed fall back to one cursor per collection (each from its own position, through its own
 * {@code on.oversized} and {@code on.history.lost}) until the task restarts, logged at WARN.
 */
final class DatabaseFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseFeed.class);

    /** Events held for collections other than the one reading, at most; then the reader gets "nothing yet". */
    static final int MAX_QUEUED = 10_000;
    /** ... and at most this many bytes of them (events can be up to 16 MB each). */
    static final long MAX_QUEUED_BYTES = 64L << 20;

    /** Opens the database-level change stream. */
    interface Opener {
        MongoChangeStreamCursor<RawBsonDocument> open(
                List<BsonDocument> pipeline, StartPoint from, int batchSize, long awaitMs);
    }

    private final String database;
    private final Opener opener;
    private final List<BsonDocument> userPipeline;
    private final int batchSize;
    private final Map<String, Member> members = new LinkedHashMap<>();

    private MongoChangeStreamCursor<RawBsonDocument> cursor;
    /** Every event up to here has been routed to its collection; null before the first one. */
    private StartPoint routedUpTo;
    /** The earliest point a collection joined or restarted from since the cursor was opened. */
    private StartPoint restartFrom;

    private int queued;
    private long queuedBytes;
    /** The await of the open cursor, and until when it is known to have nothing (one empty getMore per await). */
    private long cursorAwaitMs;

    private long quietUntilNanos;
    /** After a BSONObjectTooLarge or ChangeStreamHistoryLost: every collection reads its own cursor. */
    private boolean perCollection;

    DatabaseFeed(String database, Opener opener, List<BsonDocument> userPipeline, int batchSize) {
        this.database = database;
        this.opener = opener;
        this.userPipeline = List.copyOf(userPipeline);
        this.batchSize = batchSize;
    }

    /** The feed of a real server: {@code db.watch()} with the connector's full-document options. */
    static DatabaseFeed of(MongoClient client, String database, MongoCdcSourceConfig config) {
        return new DatabaseFeed(
                database,
                (pipeline, from, batch, awaitMs) -> CollectionSource.rawCursor(
                        client.getDatabase(database).watch(pipeline, RawBsonDocument.class),
                        config,
                        from,
                        batch,
                        awaitMs),
                config.pipeline(),
                config.cursorBatchSize());
    }

    /**
     * The source of one collection of this database: its change stream reads this feed; the copy, start point and
     * count (and, after a fallback, the change stream too) are the collection's own ({@code own}).
     */
    Member member(String collection, CollectionSource own) {
        return new Member(collection, own);
    }

    boolean perCollection() {
        return perCollection;
    }

    /** The pipeline of the shared cursor: the task's collections of this database, then the user's stages. */
    List<BsonDocument> pipeline() {
        BsonArray names = new BsonArray();
        for (String coll : members.keySet()) {
            names.add(new BsonString(coll));
        }
        List<BsonDocument> stages = new ArrayList<>(userPipeline.size() + 1);
        stages.add(new BsonDocument("$match", new BsonDocument("ns.coll", new BsonDocument("$in", names))));
        stages.addAll(userPipeline);
        return stages;
    }

    private void closeCursor() {
        if (cursor != null) {
            try {
                cursor.close();
            } catch (RuntimeException ignored) {
                // the connection may already be gone
            }
            cursor = null;
        }
    }

    @Override
    public void close() {
        closeCursor();
        members.clear();
    }

    /** A collection (re)starts reading from {@code from}: what it had queued is dropped and read again. */
    private void join(Member m, StartPoint from) {
        dropQueue(m);
        m.mark = from;
        members.put(m.collection, m);
        restartFrom = StreamOrder.earliest(restartFrom, from);
        closeCursor(); // reopened at the next read, with this collection in the $match and from its point
        quietUntilNanos = 0;
    }

    private void leave(Member m) {
        if (members.get(m.collection) == m) {
            dropQueue(m);
            members.remove(m.collection);
        }
    }

    private void dropQueue(Member m) {
        for (ChangeEvent e : m.queue) {
            queuedBytes -= e.raw().getByteBuffer().remaining();
        }
        queued -= m.queue.size();
        m.queue.clear();
    }

    /** The next event routed to {@code m}, or null. */
    private ChangeEvent take(Member m) {
        ChangeEvent next = m.queue.poll();
        if (next != null) {
            queued--;
            queuedBytes -= next.raw().getByteBuffer().remaining();
        }
        return next;
    }

    /** Reads the shared cursor until {@code reader} has an event, the cursor has nothing more, or the queues are full. */
    private void fill(Member reader, long awaitMs) {
        if (cursor == null) {
            StartPoint from = StreamOrder.earliest(routedUpTo, restartFrom);
            if (from == null) {
                for (Member m : members.values()) {
                    from = StreamOrder.earliest(from, m.mark);
                }
            }
            cursor = opener.open(pipeline(), from, batchSize, awaitMs);
            cursorAwaitMs = awaitMs;
            restartFrom = null;
            log.debug("{}: database change stream for {} opened {}", database, members.keySet(), from);
        } else if (System.nanoTime() < quietUntilNanos) {
            // The shared cursor came back empty within its await time: the other collections of the database do
            // not each ask again (that would be one getMore per collection per poll, what this scope avoids).
            return;
        }
        while (reader.queue.isEmpty() && queued < MAX_QUEUED && queuedBytes < MAX_QUEUED_BYTES) {
            RawBsonDocument raw;
            try {
                raw = cursor.tryNext();
            } catch (RuntimeException e) {
                closeCursor();
                if (ErrorClassifier.isEventTooLarge(e) || ErrorClassifier.isHistoryLost(e)) {
                    perCollection = true;
                    log.warn(
                            "{}: the database change stream failed with {}, which only a collection's own stream can "
                                    + "handle (on.oversized, on.history.lost): each collection reads its own change stream from "
                                    + "its own position until the task restarts",
                            database,
                            e.toString());
                    return;
                }
                throw e;
            }
            if (raw == null) {
                quietUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cursorAwaitMs);
                BsonDocument token = cursor.getResumeToken();
                if (token != null) {
                    routedUpTo = StartPoint.after(token); // nothing up to the post-batch token is left unrouted
                }
                return;
            }
            route(ChangeEvent.of(raw)); // parsed once: the collection's stream gets this event (View.parsed)
            if (cursor == null) {
                return; // an invalidate ended the shared stream; it is reopened after it at the next read
            }
        }
    }

    private void route(ChangeEvent event) {
        BsonDocument token = event.resumeToken();
        String coll = event.collectionName();
        if (coll == null) {
            // dropDatabase, invalidate: every collection of the database sees it, as its own stream would.
            for (Member m : members.values()) {
                offer(m, token, event);
            }
            if ("invalidate".equals(event.operationTypeString())) {
                closeCursor();
            }
        } else {
            Member m = members.get(coll);
            if (m != null) {
                offer(m, token, event);
            }
        }
        if (token != null) {
            routedUpTo = StartPoint.after(token);
        }
    }

    private void offer(Member m, BsonDocument token, ChangeEvent event) {
        if (token == null) {
            throw new ConnectException(database + ": a change event without its resume token (_id): the pipeline "
                    + "must not remove or change _id, the position of every event");
        }
        if (StreamOrder.passed(token, m.mark)) {
            return; // this collection is already past it
        }
        m.mark = StartPoint.after(token);
        m.queue.add(event);
        queued++;
        queuedBytes += event.raw().getByteBuffer().remaining();
    }

    /** One collection's view of the feed. */
    final class Member implements CollectionSource {
        private final String collection;
        private final CollectionSource own;
        private final Deque<ChangeEvent> queue = new ArrayDeque<>();
        /** The last point routed to this collection (queued or read), or where it (re)started. */
        private StartPoint mark;

        private Member(String collection, CollectionSource own) {
            this.collection = collection;
            this.own = own;
        }

        @Override
        public MongoChangeStreamCursor<RawBsonDocument> watch(
                List<BsonDocument> pipeline, StartPoint from, int batchSize, long awaitMs) {
            if (perCollection || !pipeline.equals(userPipeline) || batchSize != DatabaseFeed.this.batchSize) {
                // After a fallback, or reading around an event over 16 MB (one at a time, then without documents).
                leave(this);
                return own.watch(pipeline, from, batchSize, awaitMs);
            }
            join(this, from);
            return new View(this, awaitMs);
        }

        @Override
        public MongoCursor<RawBsonDocument> copy(BsonValue afterId, int batchSize) {
            return own.copy(afterId, batchSize);
        }

        @Override
        public StartPoint captureStart() {
            return own.captureStart();
        }

        @Override
        public long estimatedCount() {
            return own.estimatedCount();
        }
    }

    /**
     * The cursor a collection's stream reads: its queue, refilled from the shared cursor. The events are parsed by
     * the feed (to route them); the stream takes that parse through {@link ChangeEvent.Parsed}.
     */
    private final class View implements MongoChangeStreamCursor<RawBsonDocument>, ChangeEvent.Parsed {
        private final Member member;
        private final long awaitMs;
        private MongoChangeStreamCursor<RawBsonDocument> fallback;
        private boolean closed;
        /** After an invalidate nothing more comes, as from the server's cursor. */
        private boolean ended;
        /** The event last returned by {@link #tryNext} from the queue. */
        private ChangeEvent last;

        View(Member member, long awaitMs) {
            this.member = member;
            this.awaitMs = awaitMs;
        }

        @Override
        public RawBsonDocument tryNext() {
            if (closed) {
                throw new IllegalStateException("cursor closed");
            }
            if (fallback != null) {
                last = null;
                return fallback.tryNext();
            }
            if (ended) {
                return null;
            }
            if (member.queue.isEmpty() && !perCollection) {
                fill(member, awaitMs);
            }
            ChangeEvent next = take(member);
            last = next;
            if (next != null) {
                ended = "invalidate".equals(next.operationTypeString());
                return next.raw();
            }
            if (perCollection) {
                // Everything routed here is delivered: go on alone from there, through the collection's own handling.
                leave(member);
                fallback = member.own.watch(userPipeline, member.mark, batchSize, awaitMs);
                return fallback.tryNext();
            }
            return null;
        }

        @Override
        public ChangeEvent parsed(RawBsonDocument raw) {
            return last != null && last.raw() == raw ? last : null;
        }

        @Override
        public int available() {
            return fallback != null ? fallback.available() : member.queue.size();
        }

        /**
         * For heartbeats: the shared cursor's token once this collection has read all that was routed to it, and
         * only when that is ahead of this collection's position (never a step back); else null.
         */
        @Override
        public BsonDocument getResumeToken() {
            if (fallback != null) {
                return fallback.getResumeToken();
            }
            if (!member.queue.isEmpty()
                    || routedUpTo == null
                    || routedUpTo.resumeToken() == null
                    || StreamOrder.compare(routedUpTo, member.mark) <= 0) {
                return null;
            }
            return routedUpTo.resumeToken();
        }

        @Override
        public void close() {
            closed = true;
            if (fallback != null) {
                fallback.close();
            } else {
                leave(member);
            }
        }

        @Override
        public boolean hasNext() {
            throw new UnsupportedOperationException("tryNext only");
        }

        @Override
        public RawBsonDocument next() {
            throw new NoSuchElementException("tryNext only");
        }

        @Override
        public ServerCursor getServerCursor() {
            return null;
        }

        @Override
        public ServerAddress getServerAddress() {
            return cursor == null ? null : cursor.getServerAddress();
        }

        @Override
        public void forEachRemaining(Consumer<? super RawBsonDocument> action) {
            throw new UnsupportedOperationException("tryNext only");
        }
    }

    /** The namespace of a member, for logs. */
    MongoNamespace namespace(String collection) {
        return new MongoNamespace(database, collection);
    }
}
