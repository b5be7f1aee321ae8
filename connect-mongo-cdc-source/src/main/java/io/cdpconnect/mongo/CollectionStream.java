/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.OperationType;
import io.cdpconnect.common.ChangeEventHeaders;
import io.cdpconnect.mongo.MongoCdcSourceConfig.HistoryLostPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The position and cursors of one collection within a task: copying (snapshot), then streaming changes.
 *
 * <p>Its position ({@link #position}) is always the point right after the last record handed to Connect, so a
 * reconnect after a network error or primary election resumes without gap or duplicate. Not thread-safe: used by
 * the task's poll thread only.
 *
 * <p>An event over MongoDB's 16 MB limit fails the batch that carries it (BSONObjectTooLarge, 10334). The stream
 * then re-reads from its position one event per batch until the failing event is the next one, reads that event
 * once with its documents projected away ({@link CollectionSource#DROP_DOCUMENTS}), hands it to
 * {@code on.oversized}, and continues normally: never a retry loop, never a silent skip.
 */
final class CollectionStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CollectionStream.class);

    enum State {
        SNAPSHOT,
        STREAMING,
        STOPPED
    }

    /**
     * A server batch at least this large (or full) means a backlog: keep fetching within the poll. 100 is below
     * MongoDB's default first batch (101) and what servers that cap batches return.
     */
    private static final int BACKLOG_BATCH = 100;

    /** How the change stream is read around an event over 16 MB. */
    private enum Oversize {
        NONE,
        ISOLATING,
        PROJECTING
    }

    private final MongoNamespace namespace;
    private final Map<String, String> partition;
    private final CollectionSource source;
    private final MongoCdcSourceConfig config;
    private final ChangeEventHandler handler;
    private final List<BsonDocument> projectedPipeline;
    private final StreamMetrics metrics;

    private State state;
    /** Where the change stream (re)starts: after the last delivered change, or the snapshot's start point. */
    private StartPoint position;
    /** Last _id copied while in SNAPSHOT; null before the first one. */
    private BsonValue snapshotLastId;
    /** The start point of the last copy while nothing has been streamed since: lost again there = copy too slow. */
    private StartPoint copiedUpTo;

    private long copiedDocuments;
    private boolean invalidated;
    /** A drop or rename of this collection was delivered. */
    private boolean dropped;

    private MongoCursor<RawBsonDocument> snapshotCursor;
    private MongoChangeStreamCursor<RawBsonDocument> changeCursor;

    private Oversize oversize = Oversize.NONE;
    private int isolateLeft;

    private long lastEmitNanos = System.nanoTime();
    private BsonDocument lastHeartbeatToken;
    private int failures;
    private long retryAtNanos;

    /**
     * @param stored     the stored position, or null
     * @param discovered for a collection found after the task started and without a stored position: the cluster
     *                   time before it was discovered, where its stream starts instead of {@code startup.mode}
     */
    CollectionStream(
            MongoNamespace namespace,
            CollectionSource source,
            MongoCdcSourceConfig config,
            ChangeEventHandler handler,
            SourceOffsets.Stored stored,
            StartPoint discovered,
            StreamMetrics metrics) {
        this.namespace = namespace;
        this.metrics = metrics;
        this.partition = SourceOffsets.partition(namespace.getFullName());
        this.source = source;
        this.config = config;
        this.handler = handler;
        List<BsonDocument> projected = new ArrayList<>(config.pipeline());
        projected.add(CollectionSource.DROP_DOCUMENTS);
        this.projectedPipeline = List.copyOf(projected);
        if (stored == null && discovered != null) {
            startStreaming(discovered);
            log.info("{}: new collection, streaming {} (from before it was discovered)", namespace, position);
        } else if (stored == null) {
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
            log.info(
                    "{}: resuming the copy after _id {}; the stream will then start {}",
                    namespace,
                    stored.snapshotLastId(),
                    position);
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

    /** True once the stream delivered a drop or rename of its collection. */
    boolean dropped() {
        return dropped;
    }

    /** True once the stream read an invalidate (the collection was dropped or renamed). */
    boolean invalidated() {
        return invalidated;
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
            } else if (ErrorClassifier.isEventTooLarge(e) && state == State.STREAMING) {
                closeCursors();
                onEventTooLarge(e);
            } else if (ErrorClassifier.isTransient(e)) {
                closeCursors();
                onTransient(e);
            } else {
                throw e;
            }
        }
        return true;
    }

    private void onTransient(RuntimeException e) {
        failures++;
        metrics.reconnect();
        String resume = state == State.SNAPSHOT ? "the copy after _id " + snapshotLastId : "the stream " + position;
        if (failures > config.maxRetries()) {
            throw new ConnectException(
                    namespace + ": MongoDB still unreachable or failing after " + config.maxRetries()
                            + " reconnect attempts (max.retries); the task stops here and resumes " + resume + " once "
                            + "restarted. Check the server, the network and mongo.uri; raise max.retries or "
                            + "retry.backoff.max.ms to ride out longer outages. Last error: " + e,
                    e);
        }
        long backoff = Math.min(config.retryBackoffMaxMs(), config.retryBackoffMs() << Math.min(20, failures - 1));
        retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        log.warn(
                "{}: transient MongoDB error (attempt {} of {}), reconnecting in {} ms and resuming {}: {}",
                namespace,
                failures,
                config.maxRetries(),
                backoff,
                resume,
                e.toString());
    }

    // ------------------------------------------------------------------ snapshot

    /** The start point is taken at the first poll, where a transient error is retried rather than failing start(). */
    private void beginSnapshot(String why) {
        state = State.SNAPSHOT;
        snapshotLastId = null;
        position = null;
        copiedDocuments = 0;
        log.info("{}: copying existing documents ({})", namespace, why);
    }

    private void copy(List<SourceRecord> out, int max) {
        if (position == null) {
            position = source.captureStart();
            log.info("{}: the change stream will start {} after the copy", namespace, position);
        }
        if (snapshotLastId == null && copiedDocuments == 0 && snapshotCursor == null) {
            metrics.copyStarted(source.estimatedCount());
        }
        boolean shaped = !config.pipeline().isEmpty();
        if (snapshotCursor == null) {
            snapshotCursor = source.copy(snapshotLastId, config.snapshotBatchSize());
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
            BsonValue id;
            RawBsonDocument document;
            if (shaped) {
                // {documentKey: {_id}, fullDocument} after the user's stages (see CollectionSource.copyPipeline)
                BsonValue key = doc.get(CollectionSource.COPY_KEY);
                if (key == null || !key.isDocument() || !key.asDocument().containsKey("_id")) {
                    throw new ConnectException(namespace + ": the pipeline removes documentKey, which the copy needs "
                            + "to track its position; remove that stage or set startup.mode to latest or timestamp");
                }
                id = key.asDocument().get("_id");
                BsonValue full = doc.get(CollectionSource.COPY_DOCUMENT);
                BsonDocument fullDoc =
                        full != null && full.isDocument() ? full.asDocument() : new BsonDocument("_id", id);
                document = fullDoc instanceof RawBsonDocument raw
                        ? raw
                        : new RawBsonDocument(fullDoc, new BsonDocumentCodec());
            } else {
                id = doc.get("_id");
                document = doc;
            }
            // Peek before handing the document over: the last one's record carries the completed copy's offset
            // (the stream's start point, no _id), so a restart after it streams and never copies again.
            boolean last = !snapshotCursor.hasNext();
            Map<String, Object> offset = last ? SourceOffsets.copied(position) : SourceOffsets.snapshot(position, id);
            SourceRecord record = handler.snapshot(namespace, document, partition, offset, now);
            snapshotLastId = id;
            copiedDocuments++;
            metrics.copied();
            if (record != null) {
                out.add(record);
                added++;
            } else if (last && added > 0) {
                // The last document is skipped (on.invalid/on.oversized=log) but this poll's records before it are
                // delivered: the last of them carries the completion instead.
                SourceRecord previous = out.get(out.size() - 1);
                out.set(out.size() - 1, withOffset(previous, offset));
            } else if (last && config.heartbeatIntervalMs() > 0) {
                // Nothing of this poll to carry it: a heartbeat does (without heartbeats a restart before the first
                // streamed record re-reads the copy after the last delivered _id, see the README).
                out.add(handler.heartbeat(namespace.getFullName(), partition, offset));
            }
            lastEmitNanos = System.nanoTime();
            if (last) {
                exhausted = true;
                break;
            }
        }
        if (exhausted) {
            // The cursor is exhausted: the copy is complete, stream from the point taken before it.
            snapshotCursor.close();
            snapshotCursor = null;
            log.info(
                    "{}: copy complete ({} documents, last _id {}), streaming changes {}",
                    namespace,
                    copiedDocuments,
                    snapshotLastId,
                    position);
            copiedUpTo = position;
            startStreaming(position);
        }
    }

    /** {@code record} with another source offset (same partition, topic, key, value, timestamp and headers). */
    private static SourceRecord withOffset(SourceRecord record, Map<String, ?> offset) {
        return new SourceRecord(
                record.sourcePartition(),
                offset,
                record.topic(),
                record.kafkaPartition(),
                record.keySchema(),
                record.key(),
                record.valueSchema(),
                record.value(),
                record.timestamp(),
                record.headers());
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
        int fromThisBatch = 0;
        int serverBatch = oversize == Oversize.NONE ? config.cursorBatchSize() : 1;
        int backlogBatch = serverBatch > 0 ? Math.min(serverBatch, BACKLOG_BATCH) : BACKLOG_BATCH;
        while (added < max) {
            if (changeCursor.available() == 0) {
                // The server's batch is used up. After a large batch more is likely waiting: fetch it in this poll
                // (a backlog drains in polls of batch.size). After a small one we are caught up: hand over what we
                // have rather than wait in a getMore for more (latency over batch size).
                if (added > 0 && fromThisBatch < backlogBatch) {
                    break;
                }
                fromThisBatch = 0;
            }
            RawBsonDocument rawEvent = changeCursor.tryNext();
            fromThisBatch++;
            if (rawEvent == null) {
                break;
            }
            ChangeEvent event = ChangeEvent.of(changeCursor, rawEvent); // parsed once (a database feed did already)
            BsonDocument token = event.resumeToken();
            if (token == null) {
                throw new ConnectException(namespace + ": a change event without its resume token (_id): the pipeline "
                        + "must not remove or change _id, the position of every event");
            }
            SourceRecord record = oversize == Oversize.PROJECTING
                    ? handler.tooLarge(namespace, event, partition, SourceOffsets.streaming(token))
                    : handler.change(namespace, event, partition, SourceOffsets.streaming(token));
            position = StartPoint.after(token);
            copiedUpTo = null;
            lastEmitNanos = System.nanoTime();
            Long at = event.timestampMillis();
            metrics.event(event.operationTypeString(), at == null ? 0 : at);
            if (oversize == Oversize.PROJECTING) {
                metrics.tooLarge();
            }
            if (record != null && documentMissing(event)) {
                // The lookup found no document (deleted after this update; the delete follows) or no post-image:
                // the update is written without it, marked and counted, never dead-lettered or skipped.
                record.headers()
                        .addString(
                                ChangeEventHeaders.FULL_DOCUMENT_MISSING,
                                config.fullDocument().getValue());
                metrics.updateWithoutDocument();
            }
            if (record != null) {
                out.add(record);
                added++;
                if (config.deleteTombstones() && event.is(OperationType.DELETE) && record.key() != null) {
                    out.add(ChangeEventConverter.tombstone(record));
                }
            }
            if (event.is(OperationType.DROP) || event.is(OperationType.RENAME)) {
                dropped = true;
            }
            if (event.is(OperationType.INVALIDATE)) {
                onInvalidate();
                return;
            }
            if (oversize != Oversize.NONE && (oversize == Oversize.PROJECTING || --isolateLeft <= 0)) {
                // Past the event over 16 MB (or past the batch that failed): read normally again.
                oversize = Oversize.NONE;
                closeCursors();
                return;
            }
        }
        if (added == 0) {
            maybeHeartbeat(out);
        }
    }

    /** An update read with a full-document lookup (or post-image) that came without its document. */
    private boolean documentMissing(ChangeEvent event) {
        return event.fullDocument() == null
                && config.fullDocument() != FullDocument.DEFAULT
                && event.is(OperationType.UPDATE)
                && oversize != Oversize.PROJECTING;
    }

    private MongoChangeStreamCursor<RawBsonDocument> open(long awaitMs) {
        if (position.isLatest()) {
            // Pin "latest" to a point before the first open: a reopen after an error must not skip what came since.
            position = source.captureStart();
            log.info("{}: streaming changes {}", namespace, position);
        }
        return switch (oversize) {
            case NONE -> source.watch(config.pipeline(), position, config.cursorBatchSize(), awaitMs);
            case ISOLATING -> source.watch(config.pipeline(), position, 1, awaitMs);
            case PROJECTING -> source.watch(projectedPipeline, position, 1, awaitMs);
        };
    }

    /**
     * 10334: an event in the next batch is over 16 MB. First re-read one event per batch (the events before it are
     * delivered whole); when the failing event is the next one, read it once without its documents.
     */
    private void onEventTooLarge(RuntimeException e) {
        switch (oversize) {
            case NONE -> {
                oversize = Oversize.ISOLATING;
                // At most one server batch failed: with the server's default batch size, up to batch.size events.
                isolateLeft = config.cursorBatchSize() > 0 ? config.cursorBatchSize() : config.batchSize();
                log.warn(
                        "{}: a change event after {} is over MongoDB's 16 MB limit (BSONObjectTooLarge); re-reading "
                                + "one event at a time to find it",
                        namespace,
                        position);
            }
            case ISOLATING -> {
                oversize = Oversize.PROJECTING;
                log.warn(
                        "{}: the change event after {} is over 16 MB; reading it without its documents for "
                                + "on.oversized={}",
                        namespace,
                        position,
                        config.getString(MongoCdcSourceConfig.ON_OVERSIZED));
            }
            default ->
                throw new ConnectException(
                        namespace + ": the change event after " + position + " is over "
                                + "16 MB even without its documents (BSONObjectTooLarge). Its resume token cannot be passed; reset "
                                + "this collection's offset (PATCH /connectors/<name>/offsets) to a later point.",
                        e);
        }
    }

    private void maybeHeartbeat(List<SourceRecord> out) {
        long interval = config.heartbeatIntervalMs();
        if (interval <= 0 || System.nanoTime() - lastEmitNanos < TimeUnit.MILLISECONDS.toNanos(interval)) {
            return;
        }
        lastEmitNanos = System.nanoTime();
        // The post-batch resume token moves with the oplog even when this collection is quiet.
        BsonDocument token = changeCursor == null ? null : changeCursor.getResumeToken();
        if (token == null
                || token.equals(lastHeartbeatToken)
                || (position.resumeToken() != null && token.equals(position.resumeToken()))) {
            return;
        }
        lastHeartbeatToken = token;
        position = StartPoint.after(token);
        out.add(handler.heartbeat(namespace.getFullName(), partition, SourceOffsets.streaming(token)));
    }

    private void onInvalidate() {
        closeCursors();
        invalidated = true;
        switch (config.onInvalidate()) {
            case FAIL ->
                throw new ConnectException("The change stream of " + namespace + " was invalidated (the "
                        + "collection was dropped or renamed) and on.invalidate=fail. Set on.invalidate=restart to keep "
                        + "streaming a re-created collection, or stop to end this collection's stream.");
            case STOP -> {
                state = State.STOPPED;
                log.warn(
                        "{}: change stream invalidated (collection dropped or renamed); on.invalidate=stop, this "
                                + "collection is no longer streamed by this task until it is re-created or the task restarts",
                        namespace);
            }
            default ->
                log.warn(
                        "{}: change stream invalidated (collection dropped or renamed); on.invalidate=restart, "
                                + "streaming again {}",
                        namespace,
                        position);
        }
    }

    private void onHistoryLost(RuntimeException cause) {
        HistoryLostPolicy policy = config.onHistoryLost();
        String what = namespace + ": the change stream cannot resume " + position + ": that point is no longer in "
                + "the oplog (ChangeStreamHistoryLost). Changes made to " + namespace + " since then cannot be read.";
        if (policy == HistoryLostPolicy.SNAPSHOT && copiedUpTo != null && copiedUpTo.equals(position)) {
            // The start point taken before the copy left the oplog while copying: copying again would loop.
            throw new ConnectException(
                    what + " It was the start point of the copy just completed (" + copiedDocuments
                            + " documents): the copy takes longer than the oplog window, so on.history.lost=snapshot would copy "
                            + "forever. Enlarge the oplog (replSetResizeOplog, or a minimum retention period) so it covers the "
                            + "copy, or speed the copy up (snapshot.batch.size, fewer collections per task), then restart the "
                            + "task. Cause: " + cause.getMessage(),
                    cause);
        }
        switch (policy) {
            case LATEST -> {
                log.warn(
                        "{} on.history.lost=latest: continuing from the latest change; the changes in between "
                                + "are NOT delivered.",
                        what);
                startStreaming(StartPoint.LATEST);
            }
            case SNAPSHOT -> {
                log.warn("{} on.history.lost=snapshot: copying the collection again, then streaming.", what);
                beginSnapshot("on.history.lost=snapshot");
            }
            default ->
                throw new ConnectException(
                        what + " To recover: set on.history.lost=snapshot (copy the "
                                + "collection again, then stream) or on.history.lost=latest (continue from now, losing the changes "
                                + "in between), or reset the connector's offsets (stop it, DELETE /connectors/<name>/offsets) and "
                                + "restart it. To prevent it: enlarge the oplog (replSetResizeOplog) and set heartbeat.interval.ms "
                                + "so quiet collections keep a fresh resume token. Cause: " + cause.getMessage(),
                        cause);
        }
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
        SourceRecord change(
                MongoNamespace namespace, ChangeEvent event, Map<String, ?> partition, Map<String, ?> offset);

        /** An event the server could not return because it is over 16 MB, read with its documents removed. */
        SourceRecord tooLarge(
                MongoNamespace namespace, ChangeEvent event, Map<String, ?> partition, Map<String, ?> offset);

        SourceRecord snapshot(
                MongoNamespace namespace,
                RawBsonDocument document,
                Map<String, ?> partition,
                Map<String, ?> offset,
                long timestamp);

        SourceRecord heartbeat(String namespace, Map<String, ?> partition, Map<String, ?> offset);
    }
}
