package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import com.mongodb.client.model.changestream.OperationType;
import io.cdpconnect.mongo.MongoCdcSourceConfig.HistoryLostPolicy;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The position and cursors of one collection within a task: copying (snapshot), then streaming changes.
 *
 * <p>Its position ({@link #position}) is always the point right after the last record handed to Connect, so a
 * reconnect after a network error or primary election resumes without gap or duplicate. Not thread-safe: used by
 * the task's poll thread only.
 */
final class CollectionStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CollectionStream.class);

    enum State { SNAPSHOT, STREAMING, STOPPED }

    private final MongoNamespace namespace;
    private final Map<String, String> partition;
    private final MongoClient client;
    private final MongoCdcSourceConfig config;
    private final ChangeEventHandler handler;

    private State state;
    /** Where the change stream (re)starts: after the last delivered change, or the snapshot's start point. */
    private StartPoint position;
    /** Last _id copied while in SNAPSHOT; null before the first one. */
    private BsonValue snapshotLastId;

    private MongoCursor<RawBsonDocument> snapshotCursor;
    private MongoChangeStreamCursor<ChangeStreamDocument<RawBsonDocument>> changeCursor;

    private long lastEmitNanos = System.nanoTime();
    private BsonDocument lastHeartbeatToken;
    private int failures;
    private long retryAtNanos;

    CollectionStream(MongoNamespace namespace, MongoClient client, MongoCdcSourceConfig config,
                     ChangeEventHandler handler, SourceOffsets.Stored stored) {
        this.namespace = namespace;
        this.partition = SourceOffsets.partition(namespace.getFullName());
        this.client = client;
        this.config = config;
        this.handler = handler;
        if (stored == null) {
            switch (config.startupMode()) {
                case SNAPSHOT -> beginSnapshot("startup.mode=snapshot");
                case TIMESTAMP -> {
                    long seconds = config.startupTimestamp().getEpochSecond();
                    startStreaming(StartPoint.at(new BsonTimestamp((int) seconds, 0)));
                }
                default -> startStreaming(StartPoint.LATEST);
            }
        } else if (stored.snapshotInProgress()) {
            state = State.SNAPSHOT;
            position = stored.streamStart();
            snapshotLastId = stored.snapshotLastId();
            log.info("{}: resuming the copy after _id {}; the stream will then start {}", namespace,
                    stored.snapshotLastId(), position);
        } else {
            startStreaming(stored.streamStart());
            log.info("{}: resuming the change stream {}", namespace, position);
        }
    }

    MongoNamespace namespace() {
        return namespace;
    }

    Map<String, String> partition() {
        return partition;
    }

    State state() {
        return state;
    }

    StartPoint position() {
        return position;
    }

    /**
     * Adds at most {@code max} records to {@code out}; waits at most {@code awaitMs} when there is nothing new.
     * Returns false when it did not read (stopped, or backing off after an error).
     */
    boolean poll(List<SourceRecord> out, int max, long awaitMs) {
        if (state == State.STOPPED || System.nanoTime() < retryAtNanos) {
            return false;
        }
        try {
            if (state == State.SNAPSHOT) {
                copy(out, max);
            } else {
                stream(out, max, awaitMs);
            }
            failures = 0;
        } catch (RuntimeException e) {
            if (ErrorClassifier.isHistoryLost(e) && state == State.STREAMING) {
                closeCursors();
                onHistoryLost(e);
            } else if (ErrorClassifier.isTransient(e)) {
                closeCursors();
                long backoff = Math.min(config.retryBackoffMaxMs(),
                        config.retryBackoffMs() << Math.min(20, failures));
                failures++;
                retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
                log.warn("{}: transient MongoDB error (attempt {}), reconnecting in {} ms and resuming {}: {}",
                        namespace, failures, backoff, state == State.SNAPSHOT ? "the copy after _id " + snapshotLastId
                                : "the stream " + position, e.toString());
            } else {
                throw e;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ snapshot

    /** The start point is taken at the first poll, where a transient error is retried rather than failing start(). */
    private void beginSnapshot(String why) {
        state = State.SNAPSHOT;
        snapshotLastId = null;
        position = null;
        log.info("{}: copying existing documents ({})", namespace, why);
    }

    private void copy(List<SourceRecord> out, int max) {
        if (position == null) {
            position = StreamStartCapture.capture(client, namespace);
            log.info("{}: the change stream will start {} after the copy", namespace, position);
        }
        if (snapshotCursor == null) {
            MongoCollection<RawBsonDocument> coll = collection();
            Bson filter = snapshotLastId == null ? new BsonDocument() : Filters.gt("_id", snapshotLastId);
            snapshotCursor = coll.find(filter).sort(Sorts.ascending("_id"))
                    .batchSize(config.snapshotBatchSize()).cursor();
        }
        long now = System.currentTimeMillis();
        int added = 0;
        boolean exhausted = false;
        while (added < max) {
            if (!snapshotCursor.hasNext()) {
                exhausted = true;
                break;
            }
            RawBsonDocument doc = snapshotCursor.next();
            BsonValue id = doc.get("_id");
            SourceRecord record = handler.snapshot(namespace, doc, partition, SourceOffsets.snapshot(position, id), now);
            snapshotLastId = id;
            if (record != null) {
                out.add(record);
                added++;
            }
            lastEmitNanos = System.nanoTime();
        }
        if (exhausted) {
            // The find cursor is exhausted: the copy is complete, stream from the point taken before it.
            snapshotCursor.close();
            snapshotCursor = null;
            log.info("{}: copy complete (last _id {}), streaming changes {}", namespace, snapshotLastId, position);
            startStreaming(position);
        }
    }

    // ------------------------------------------------------------------ streaming

    private void startStreaming(StartPoint from) {
        state = State.STREAMING;
        position = from;
        snapshotLastId = null;
    }

    private void stream(List<SourceRecord> out, int max, long awaitMs) {
        if (changeCursor == null) {
            changeCursor = open(awaitMs);
        }
        int added = 0;
        while (added < max) {
            if (added > 0 && changeCursor.available() == 0) {
                // Hand over what we have rather than wait in a getMore for more: latency over batch size.
                break;
            }
            ChangeStreamDocument<RawBsonDocument> event = changeCursor.tryNext();
            if (event == null) {
                break;
            }
            BsonDocument token = event.getResumeToken();
            SourceRecord record = handler.change(namespace, event, partition, SourceOffsets.streaming(token));
            position = StartPoint.after(token);
            lastEmitNanos = System.nanoTime();
            if (record != null) {
                out.add(record);
                added++;
            }
            OperationType op = event.getOperationType();
            if (op == OperationType.INVALIDATE) {
                onInvalidate();
                return;
            }
        }
        if (added == 0) {
            maybeHeartbeat(out);
        }
    }

    private MongoChangeStreamCursor<ChangeStreamDocument<RawBsonDocument>> open(long awaitMs) {
        ChangeStreamIterable<RawBsonDocument> watch = collection().watch(config.pipeline(), RawBsonDocument.class)
                .batchSize(config.batchSize())
                .maxAwaitTime(Math.max(1, awaitMs), TimeUnit.MILLISECONDS);
        if (config.fullDocument() != FullDocument.DEFAULT) {
            watch = watch.fullDocument(config.fullDocument());
        }
        if (config.fullDocumentBeforeChange() != FullDocumentBeforeChange.DEFAULT) {
            watch = watch.fullDocumentBeforeChange(config.fullDocumentBeforeChange());
        }
        return position.applyTo(watch).cursor();
    }

    private void maybeHeartbeat(List<SourceRecord> out) {
        long interval = config.heartbeatIntervalMs();
        if (interval <= 0 || System.nanoTime() - lastEmitNanos < TimeUnit.MILLISECONDS.toNanos(interval)) {
            return;
        }
        lastEmitNanos = System.nanoTime();
        // The post-batch resume token moves with the oplog even when this collection is quiet.
        BsonDocument token = changeCursor == null ? null : changeCursor.getResumeToken();
        if (token == null || token.equals(lastHeartbeatToken)
                || (position.resumeToken() != null && token.equals(position.resumeToken()))) {
            return;
        }
        lastHeartbeatToken = token;
        position = StartPoint.after(token);
        out.add(handler.heartbeat(namespace.getFullName(), partition, SourceOffsets.streaming(token)));
    }

    private void onInvalidate() {
        closeCursors();
        switch (config.onInvalidate()) {
            case FAIL -> throw new ConnectException("The change stream of " + namespace + " was invalidated (the "
                    + "collection was dropped or renamed) and on.invalidate=fail. Set on.invalidate=restart to keep "
                    + "streaming a re-created collection, or stop to end this collection's stream.");
            case STOP -> {
                state = State.STOPPED;
                log.warn("{}: change stream invalidated (collection dropped or renamed); on.invalidate=stop, this "
                        + "collection is no longer streamed by this task until it is restarted", namespace);
            }
            default -> log.warn("{}: change stream invalidated (collection dropped or renamed); on.invalidate=restart, "
                    + "streaming again {}", namespace, position);
        }
    }

    private void onHistoryLost(RuntimeException cause) {
        HistoryLostPolicy policy = config.onHistoryLost();
        String what = namespace + ": the change stream cannot resume " + position + ": that point is no longer in "
                + "the oplog (ChangeStreamHistoryLost). Changes made to " + namespace + " since then cannot be read.";
        switch (policy) {
            case LATEST -> {
                log.warn("{} on.history.lost=latest: continuing from the latest change; the changes in between "
                        + "are NOT delivered.", what);
                startStreaming(StartPoint.LATEST);
            }
            case SNAPSHOT -> {
                log.warn("{} on.history.lost=snapshot: copying the collection again, then streaming.", what);
                beginSnapshot("on.history.lost=snapshot");
            }
            default -> throw new ConnectException(what + " To recover: set on.history.lost=snapshot (copy the "
                    + "collection again, then stream) or on.history.lost=latest (continue from now, losing the changes "
                    + "in between), or reset the connector's offsets (stop it, DELETE /connectors/<name>/offsets) and "
                    + "restart it. To prevent it: enlarge the oplog (replSetResizeOplog) and set heartbeat.interval.ms "
                    + "so quiet collections keep a fresh resume token. Cause: " + cause.getMessage(), cause);
        }
    }

    private MongoCollection<RawBsonDocument> collection() {
        return client.getDatabase(namespace.getDatabaseName())
                .getCollection(namespace.getCollectionName(), RawBsonDocument.class);
    }

    private void closeCursors() {
        if (snapshotCursor != null) {
            try {
                snapshotCursor.close();
            } catch (RuntimeException ignored) {
                // the connection may already be gone
            }
            snapshotCursor = null;
        }
        if (changeCursor != null) {
            try {
                changeCursor.close();
            } catch (RuntimeException ignored) {
                // the connection may already be gone
            }
            changeCursor = null;
        }
    }

    @Override
    public void close() {
        closeCursors();
    }

    /** What a stream hands its records to: conversion plus the error and size policies. */
    interface ChangeEventHandler {
        SourceRecord change(MongoNamespace namespace, ChangeStreamDocument<RawBsonDocument> event,
                            Map<String, ?> partition, Map<String, ?> offset);

        SourceRecord snapshot(MongoNamespace namespace, RawBsonDocument document, Map<String, ?> partition,
                              Map<String, ?> offset, long timestamp);

        SourceRecord heartbeat(String namespace, Map<String, ?> partition, Map<String, ?> offset);
    }
}
