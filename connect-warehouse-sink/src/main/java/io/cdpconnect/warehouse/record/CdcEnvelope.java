/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import io.cdpconnect.common.ChangeEventHeaders;
import io.cdpconnect.common.RecordJson;
import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.WarehouseSinkConfig.CdcFormat;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change events applied as the changes they are (cdc.format): an insert, snapshot read, update or replace becomes
 * the after-image (upserted by key), a delete becomes a delete by the record key. Understands the envelope of
 * this project's MongoDB source ({@code operation}, {@code full_document}, key {@code {_id}}) and Debezium's
 * ({@code op}, {@code after}, {@code before}, key = the table's primary key).
 */
public final class CdcEnvelope {

    private static final Logger log = LoggerFactory.getLogger(CdcEnvelope.class);

    /** What a change event means for the table. */
    public enum Change {
        UPSERT,
        DELETE,
        SKIP
    }

    /** The event as the sink applies it: the record to upsert (its value is the after-image) or delete by key. */
    public record Applied(Change change, SinkRecord record) {}

    private final CdcFormat format;
    private final WarehouseSinkConfig.CdcTruncate onTruncate;

    public CdcEnvelope(WarehouseSinkConfig config) {
        this.format = config.cdcFormat();
        this.onTruncate = config.cdcTruncate();
    }

    public boolean enabled() {
        return format != CdcFormat.NONE;
    }

    /**
     * @throws DataException when the event is not of the configured format or has no after-image to apply
     * @throws ConnectException for a truncate with cdc.truncate=fail
     */
    public Applied apply(SinkRecord record) {
        if (format == CdcFormat.CDP_MONGO) {
            record = withMongoKey(record);
        }
        Object value = record.value();
        if (value == null) {
            // a tombstone (both sources send one after each delete): the key is gone either way
            return new Applied(Change.DELETE, record);
        }
        Object root = value instanceof Struct || value instanceof Map
                ? value
                : RecordJson.toPlain(value, record.valueSchema(), true);
        String op = text(field(root, format == CdcFormat.DEBEZIUM ? "op" : "operation"));
        if (op == null) {
            throw new DataException("cdc.format=" + formatName() + " but the value has no "
                    + (format == CdcFormat.DEBEZIUM ? "op" : "operation") + " field: not a change event");
        }
        switch (format == CdcFormat.DEBEZIUM ? debezium(op) : mongo(op)) {
            case "upsert": {
                String image = format == CdcFormat.DEBEZIUM ? "after" : "full_document";
                Object after = field(root, image);
                if (after == null && format == CdcFormat.CDP_MONGO && "update".equals(op) && documentMissing(record)) {
                    // the document was deleted before the source looked it up; its delete follows in this stream
                    log.info(
                            "cdc: update {}-{}@{} carries no document (deleted before the source's lookup, the delete"
                                    + " follows); changes no row",
                            record.topic(),
                            record.kafkaPartition(),
                            record.kafkaOffset());
                    return new Applied(Change.SKIP, record);
                }
                if (after == null) {
                    throw new DataException(
                            op + " event without " + image
                                    + (format == CdcFormat.DEBEZIUM
                                            ? ""
                                            : " (set full.document=updateLookup on the MongoDB source so updates carry the document)"));
                }
                Schema schema =
                        root instanceof Struct s ? s.schema().field(image).schema() : null;
                if (format == CdcFormat.CDP_MONGO && !(after instanceof Struct)) {
                    // output.format=json or document.format=json: relaxed extended JSON, decoded to the values
                    // the Struct output carries, so both outputs fill the same columns alike
                    after = MongoExtendedJson.decode(
                            after instanceof Map ? after : RecordJson.toPlain(after, schema, true));
                    schema = null;
                }
                return new Applied(
                        Change.UPSERT,
                        record.newRecord(
                                record.topic(),
                                record.kafkaPartition(),
                                record.keySchema(),
                                record.key(),
                                schema,
                                after,
                                record.timestamp()));
            }
            case "delete":
                return new Applied(
                        Change.DELETE,
                        record.newRecord(
                                record.topic(),
                                record.kafkaPartition(),
                                record.keySchema(),
                                record.key(),
                                null,
                                null,
                                record.timestamp()));
            case "truncate":
                if (onTruncate == WarehouseSinkConfig.CdcTruncate.SKIP) {
                    log.warn(
                            "cdc: truncate event {}-{}@{} skipped (cdc.truncate=skip); the table keeps its rows",
                            record.topic(),
                            record.kafkaPartition(),
                            record.kafkaOffset());
                    return new Applied(Change.SKIP, record);
                }
                throw new ConnectException("cdc: truncate event at " + record.topic() + "-" + record.kafkaPartition()
                        + "@" + record.kafkaOffset() + ": the source table was emptied. Empty the warehouse table "
                        + "yourself if it should follow, then set cdc.truncate=skip (or move the connector's offsets "
                        + "past the event) and restart the task");
            default:
                // collection-level events (drop, rename, invalidate) change no row of the table
                log.info(
                        "cdc: {} event {}-{}@{} changes no row; not applied",
                        op,
                        record.topic(),
                        record.kafkaPartition(),
                        record.kafkaOffset());
                return new Applied(Change.SKIP, record);
        }
    }

    /**
     * Only an updateLookup that found nothing means the document was deleted (its delete follows). A missing
     * post-image (whenAvailable) says nothing about the document, which may well exist: that update stays an error.
     */
    private static boolean documentMissing(SinkRecord record) {
        Header mark = record.headers().lastWithName(ChangeEventHeaders.FULL_DOCUMENT_MISSING);
        return mark != null && ChangeEventHeaders.UPDATE_LOOKUP.equals(mark.value());
    }

    /**
     * The MongoDB source's key {@code {"_id": ...}}: as JSON text (output.format=json, StringConverter) it is
     * relaxed extended JSON ({@code {"_id": {"$oid": "..."}}}): decoded as the after-image is, so a delete or
     * tombstone matches the row its insert wrote.
     */
    private static SinkRecord withMongoKey(SinkRecord record) {
        Object key = record.key();
        if (key == null || key instanceof Struct) {
            return record;
        }
        Object plain = key;
        if (!(key instanceof Map)) {
            if (!(key instanceof String s && s.startsWith("{"))
                    && !(key instanceof byte[])
                    && !(key instanceof java.nio.ByteBuffer)) {
                return record;
            }
            plain = RecordJson.toPlain(key, record.keySchema(), true);
        }
        Object decoded = MongoExtendedJson.decode(plain);
        return record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                null,
                decoded,
                record.valueSchema(),
                record.value(),
                record.timestamp());
    }

    private static String mongo(String op) {
        switch (op) {
            case "insert":
            case "read":
            case "update":
            case "replace":
                return "upsert";
            case "delete":
                return "delete";
            default:
                return op;
        }
    }

    private static String debezium(String op) {
        switch (op) {
            case "c":
            case "r":
            case "u":
                return "upsert";
            case "d":
                return "delete";
            case "t":
                return "truncate";
            default:
                return "other:" + op;
        }
    }

    private String formatName() {
        return format.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static Object field(Object root, String name) {
        if (root instanceof Struct s) {
            Field f = s.schema().field(name);
            return f == null ? null : s.get(f);
        }
        return root instanceof Map<?, ?> m ? m.get(name) : null;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
