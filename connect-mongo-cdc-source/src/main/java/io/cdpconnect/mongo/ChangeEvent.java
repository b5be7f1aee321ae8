/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.changestream.OperationType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonBinaryReader;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonTimestamp;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * One change event as the server sent it (the raw BSON of the change stream), read in one pass over its
 * top-level fields: scalars are decoded, the documents ({@code _id}, {@code documentKey}, {@code fullDocument},
 * {@code fullDocumentBeforeChange}, {@code updateDescription}, {@code to}, {@code lsid}) are kept as
 * {@link RawBsonDocument} views over the same bytes (no copy, decoded only when read). This replaces the driver's
 * {@code ChangeStreamDocument}, which decodes every field of every event into objects.
 */
final class ChangeEvent {
    private final RawBsonDocument raw;
    private RawBsonDocument resumeToken;
    private String operationType;
    /** ns.db and ns.coll, read in the one pass (null when absent). */
    private String nsDb;

    private String nsColl;
    private RawBsonDocument to;
    private RawBsonDocument documentKey;
    private RawBsonDocument fullDocument;
    private RawBsonDocument fullDocumentBeforeChange;
    private RawBsonDocument updateDescription;
    private BsonTimestamp clusterTime;
    private Long wallTime;
    private Long txnNumber;
    private RawBsonDocument lsid;

    private ChangeEvent(RawBsonDocument raw) {
        this.raw = raw;
    }

    /** Reads the top level of a raw change event. */
    static ChangeEvent of(RawBsonDocument raw) {
        ChangeEvent e = new ChangeEvent(raw);
        ByteBuffer buffer = raw.getByteBuffer().asNIO();
        byte[] bytes = buffer.array();
        int base = buffer.arrayOffset();
        try (BsonBinaryReader reader = new BsonBinaryReader(buffer)) {
            reader.readStartDocument();
            while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                String name = reader.readName();
                BsonType type = reader.getCurrentBsonType();
                if (type == BsonType.NULL) {
                    reader.skipValue();
                    continue;
                }
                switch (name) {
                    case "_id" -> e.resumeToken = sub(reader, bytes, base, type);
                    case "operationType" -> e.operationType = reader.readString();
                    case "ns" -> e.readNamespace(reader, type);
                    case "to" -> e.to = sub(reader, bytes, base, type);
                    case "documentKey" -> e.documentKey = sub(reader, bytes, base, type);
                    case "fullDocument" -> e.fullDocument = sub(reader, bytes, base, type);
                    case "fullDocumentBeforeChange" -> e.fullDocumentBeforeChange = sub(reader, bytes, base, type);
                    case "updateDescription" -> e.updateDescription = sub(reader, bytes, base, type);
                    case "clusterTime" -> {
                        if (type == BsonType.TIMESTAMP) {
                            e.clusterTime = reader.readTimestamp();
                        } else {
                            reader.skipValue();
                        }
                    }
                    case "wallTime" -> {
                        if (type == BsonType.DATE_TIME) {
                            e.wallTime = reader.readDateTime();
                        } else {
                            reader.skipValue();
                        }
                    }
                    case "txnNumber" ->
                        e.txnNumber = switch (type) {
                            case INT64 -> reader.readInt64();
                            case INT32 -> (long) reader.readInt32();
                            default -> {
                                reader.skipValue();
                                yield null;
                            }
                        };
                    case "lsid" -> e.lsid = sub(reader, bytes, base, type);
                    default -> reader.skipValue();
                }
            }
        }
        return e;
    }

    /** A cursor that parsed its events already (to route them): hands over the parsed event of what it returned. */
    interface Parsed {
        /** The parsed event whose {@link #raw()} is {@code raw}, or null when this cursor did not parse it. */
        ChangeEvent parsed(RawBsonDocument raw);
    }

    /** The event of {@code raw} as read from {@code cursor}: the cursor's own parse when it has one, else parsed. */
    static ChangeEvent of(Object cursor, RawBsonDocument raw) {
        if (cursor instanceof Parsed p) {
            ChangeEvent e = p.parsed(raw);
            if (e != null) {
                return e;
            }
        }
        return of(raw);
    }

    /** Reads {@code ns} ({db, coll}) in place: strings kept, anything else skipped. */
    private void readNamespace(BsonBinaryReader reader, BsonType type) {
        if (type != BsonType.DOCUMENT) {
            reader.skipValue();
            return;
        }
        reader.readStartDocument();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            String field = reader.readName();
            if (reader.getCurrentBsonType() == BsonType.STRING && field.equals("db")) {
                nsDb = reader.readString();
            } else if (reader.getCurrentBsonType() == BsonType.STRING && field.equals("coll")) {
                nsColl = reader.readString();
            } else {
                reader.skipValue();
            }
        }
        reader.readEndDocument();
    }

    /** A sub-document as a view over the event's bytes; null (and skipped) for any other type. */
    private static RawBsonDocument sub(BsonBinaryReader reader, byte[] bytes, int base, BsonType type) {
        if (type != BsonType.DOCUMENT) {
            reader.skipValue();
            return null;
        }
        int start = reader.getBsonInput().getPosition();
        reader.skipValue();
        int end = reader.getBsonInput().getPosition();
        return new RawBsonDocument(bytes, base + start, end - start);
    }

    /** The whole event as the server sent it. */
    RawBsonDocument raw() {
        return raw;
    }

    BsonDocument resumeToken() {
        return resumeToken;
    }

    String operationTypeString() {
        return operationType;
    }

    /** The operation type; {@link OperationType#OTHER} for one this driver does not know. */
    OperationType operationType() {
        if (operationType == null) {
            return OperationType.OTHER;
        }
        try {
            return OperationType.fromString(operationType);
        } catch (IllegalArgumentException e) {
            return OperationType.OTHER;
        }
    }

    boolean is(OperationType op) {
        return op.getValue().equals(operationType);
    }

    /** The namespace the event names, or null when it names no collection (database-wide events), as the driver's. */
    MongoNamespace namespace() {
        return nsDb == null || nsColl == null ? null : new MongoNamespace(nsDb, nsColl);
    }

    /** {@link #namespace()}, answered by {@code usual} (no new instance) when the event names that collection. */
    MongoNamespace namespaceOr(MongoNamespace usual) {
        if (nsDb == null || nsColl == null) {
            return null;
        }
        return nsDb.equals(usual.getDatabaseName()) && nsColl.equals(usual.getCollectionName())
                ? usual
                : new MongoNamespace(nsDb, nsColl);
    }

    /** The database of {@code ns}, or null. */
    String databaseName() {
        return nsDb;
    }

    /** The collection of {@code ns}, or null (database-wide events). */
    String collectionName() {
        return nsColl;
    }

    /** The target of a rename, or null. */
    MongoNamespace destinationNamespace() {
        return namespaceOf(to);
    }

    BsonDocument documentKey() {
        return documentKey;
    }

    RawBsonDocument fullDocument() {
        return fullDocument;
    }

    RawBsonDocument fullDocumentBeforeChange() {
        return fullDocumentBeforeChange;
    }

    boolean hasUpdateDescription() {
        return updateDescription != null;
    }

    /** updateDescription.updatedFields, or null. */
    BsonDocument updatedFields() {
        BsonValue v = updateDescription == null ? null : updateDescription.get("updatedFields");
        return v != null && v.isDocument() ? v.asDocument() : null;
    }

    /** updateDescription.removedFields, or null. */
    List<String> removedFields() {
        BsonValue v = updateDescription == null ? null : updateDescription.get("removedFields");
        if (v == null || !v.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>(v.asArray().size());
        for (BsonValue f : v.asArray()) {
            out.add(f.asString().getValue());
        }
        return out;
    }

    /** updateDescription.truncatedArrays, or null. */
    List<Truncated> truncatedArrays() {
        BsonValue v = updateDescription == null ? null : updateDescription.get("truncatedArrays");
        if (v == null || !v.isArray()) {
            return null;
        }
        List<Truncated> out = new ArrayList<>(v.asArray().size());
        for (BsonValue t : v.asArray()) {
            BsonDocument d = t.asDocument();
            out.add(new Truncated(
                    d.getString("field").getValue(), d.getNumber("newSize").intValue()));
        }
        return out;
    }

    BsonTimestamp clusterTime() {
        return clusterTime;
    }

    /** Wall time in ms (MongoDB 6+), or null. */
    Long wallTime() {
        return wallTime;
    }

    /** The record timestamp: wall time (MongoDB 6+, ms) or else the cluster time (s), or null. */
    Long timestampMillis() {
        if (wallTime != null) {
            return wallTime;
        }
        return clusterTime == null ? null : ChangeEventConverter.clusterMillis(clusterTime);
    }

    BsonInt64 txnNumber() {
        return txnNumber == null ? null : new BsonInt64(txnNumber);
    }

    BsonDocument lsid() {
        return lsid;
    }

    /** A truncated array of an update: its field and new size. */
    record Truncated(String field, int newSize) {}

    private static MongoNamespace namespaceOf(RawBsonDocument doc) {
        String db = string(doc, "db");
        String coll = string(doc, "coll");
        return db == null || coll == null ? null : new MongoNamespace(db, coll);
    }

    private static String string(RawBsonDocument doc, String key) {
        if (doc == null) {
            return null;
        }
        BsonValue v = doc.get(key);
        return v != null && v.isString() ? v.asString().getValue() : null;
    }
}
