/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.changestream.OperationType;
import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.Counter;
import io.cdpconnect.mongo.MongoCdcSourceConfig.InvalidPolicy;
import io.cdpconnect.mongo.MongoCdcSourceConfig.LifecycleEvents;
import io.cdpconnect.mongo.MongoCdcSourceConfig.OversizedPolicy;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the output policies around conversion: lifecycle events (emit or log), oversized events
 * (fail, log, key only) and conversion failures (fail or log), always naming the namespace and _id.
 * A null answer means "nothing to write" and is always logged.
 */
final class RecordHandler implements CollectionStream.ChangeEventHandler {
    private static final Logger log = LoggerFactory.getLogger(RecordHandler.class);

    private final ChangeEventConverter converter;
    private final LifecycleEvents lifecycle;
    private final InvalidPolicy onInvalid;
    private final OversizedPolicy onOversized;
    private final long maxEventBytes;
    /** Events written without their documents or skipped for their size (task-wide); null: not counted. */
    private Counter oversized;

    private Counter skipped;

    RecordHandler(MongoCdcSourceConfig config) {
        this(
                new ChangeEventConverter(config),
                config.lifecycleEvents(),
                config.onInvalid(),
                config.onOversized(),
                config.maxEventSizeBytes());
    }

    /** Counts oversized and skipped events into the task's metrics. */
    RecordHandler countInto(CdpMetrics metrics) {
        oversized = metrics.counter(
                "events-oversized", "events over max.event.size.bytes or 16 MB handled by on.oversized");
        skipped = metrics.counter("events-skipped", "events not written: on.invalid=log, on.oversized=log");
        return this;
    }

    private void count(Counter counter) {
        if (counter != null) {
            counter.increment();
        }
    }

    RecordHandler(
            ChangeEventConverter converter,
            LifecycleEvents lifecycle,
            InvalidPolicy onInvalid,
            OversizedPolicy onOversized,
            long maxEventBytes) {
        this.converter = converter;
        this.lifecycle = lifecycle;
        this.onInvalid = onInvalid;
        this.onOversized = onOversized;
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public SourceRecord change(
            MongoNamespace namespace, ChangeEvent event, Map<String, ?> partition, Map<String, ?> offset) {
        return convert(namespace, event, partition, offset);
    }

    /** An event over the server's 16 MB limit, read without its documents: on.oversized decides, as for any size. */
    @Override
    public SourceRecord tooLarge(
            MongoNamespace namespace, ChangeEvent event, Map<String, ?> partition, Map<String, ?> offset) {
        String what = namespace + " _id " + id(event.documentKey()) + ": '" + event.operationTypeString()
                + "' event is over MongoDB's 16 MB limit with its documents (BSONObjectTooLarge)";
        count(oversized);
        switch (onOversized) {
            case FAIL ->
                throw new ConnectException(
                        what + " (on.oversized=fail). Set on.oversized=key.only to write it "
                                + "without its documents, or on.oversized=log to skip it (logged); either way the stream continues.");
            case LOG -> {
                log.error("{}; on.oversized=log: NOT written", what);
                count(skipped);
                return null;
            }
            default -> {
                log.warn("{}; on.oversized=key.only: written without its documents (oversized=true)", what);
                try {
                    return converter.change(namespace, event, partition, offset, true);
                } catch (RuntimeException e) {
                    return failed(namespace, event.operationTypeString(), event.documentKey(), e);
                }
            }
        }
    }

    SourceRecord convert(MongoNamespace namespace, ChangeEvent event, Map<String, ?> partition, Map<String, ?> offset) {
        OperationType op = event.operationType();
        boolean isDocumentChange = op == OperationType.INSERT
                || op == OperationType.UPDATE
                || op == OperationType.REPLACE
                || op == OperationType.DELETE;
        if (!isDocumentChange && lifecycle == LifecycleEvents.LOG) {
            log.warn(
                    "{}: '{}' event (lifecycle.events=log, not written){}",
                    namespace,
                    event.operationTypeString(),
                    event.destinationNamespace() == null ? "" : ", renamed to " + event.destinationNamespace());
            return null;
        }
        boolean keyOnly = false;
        long size = ChangeEventConverter.documentBytes(event);
        if (size > maxEventBytes) {
            count(oversized);
            String what = namespace + " _id " + id(event.documentKey()) + ": '" + event.operationTypeString()
                    + "' event carries " + size + " bytes of documents, over max.event.size.bytes=" + maxEventBytes;
            switch (onOversized) {
                case FAIL ->
                    throw new ConnectException(what + " (on.oversized=fail). Raise max.event.size.bytes together "
                            + "with the producer's max.request.size (producer.override.max.request.size) and the topic's "
                            + "max.message.bytes, or set on.oversized=key.only to write it without its documents.");
                case LOG -> {
                    log.error("{}; on.oversized=log: NOT written", what);
                    count(skipped);
                    return null;
                }
                default -> {
                    log.warn("{}; on.oversized=key.only: written without its documents (oversized=true)", what);
                    keyOnly = true;
                }
            }
        }
        try {
            return converter.change(namespace, event, partition, offset, keyOnly);
        } catch (RuntimeException e) {
            return failed(namespace, event.operationTypeString(), event.documentKey(), e);
        }
    }

    @Override
    public SourceRecord snapshot(
            MongoNamespace namespace,
            RawBsonDocument document,
            Map<String, ?> partition,
            Map<String, ?> offset,
            long timestamp) {
        long size = document.getByteBuffer().remaining();
        if (size > maxEventBytes) {
            count(oversized);
            String what = namespace + " _id " + id(document) + ": copied document is " + size
                    + " bytes, over max.event.size.bytes=" + maxEventBytes;
            switch (onOversized) {
                case FAIL ->
                    throw new ConnectException(what + " (on.oversized=fail). Raise max.event.size.bytes with the "
                            + "producer's max.request.size, or set on.oversized=key.only.");
                case LOG -> {
                    log.error("{}; on.oversized=log: NOT written", what);
                    count(skipped);
                    return null;
                }
                default -> {
                    log.warn("{}; on.oversized=key.only: written with its _id only", what);
                    document = new RawBsonDocument(
                            new BsonDocument("_id", document.get("_id")), new org.bson.codecs.BsonDocumentCodec());
                }
            }
        }
        try {
            return converter.snapshot(namespace, document, partition, offset, timestamp);
        } catch (RuntimeException e) {
            return failed(namespace, ChangeEventConverter.OP_READ, document, e);
        }
    }

    @Override
    public SourceRecord heartbeat(String namespace, Map<String, ?> partition, Map<String, ?> offset) {
        return converter.heartbeat(namespace, partition, offset, System.currentTimeMillis());
    }

    private SourceRecord failed(MongoNamespace namespace, String op, BsonDocument keySource, RuntimeException e) {
        String what =
                namespace + " _id " + id(keySource) + ": cannot convert the '" + op + "' event: " + e.getMessage();
        if (onInvalid == InvalidPolicy.LOG) {
            log.error("{} (on.invalid=log: NOT written)", what, e);
            count(skipped);
            return null;
        }
        throw new ConnectException(
                what + " (on.invalid=fail; set on.invalid=log to skip such events, or "
                        + "document.format=json to keep every BSON value as extended JSON)",
                e);
    }

    private static String id(BsonDocument doc) {
        if (doc == null) {
            return "(none)";
        }
        BsonValue id = doc.get("_id");
        return id == null ? "(none)" : BsonConverter.extendedJson(id);
    }
}
