/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static io.cdpconnect.mongo.BsonConverter.RELAXED;

import com.mongodb.MongoNamespace;
import java.io.StringWriter;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.BsonWriter;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.BsonValueCodec;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.RawBsonDocumentCodec;
import org.bson.json.JsonWriter;

/**
 * {@code output.format=json}: each change as relaxed extended JSON text, written straight from the raw BSON of its
 * documents (the driver's raw bytes are piped into the JSON writer: no maps, no intermediate document objects).
 * The envelope fields of the struct output; for StringConverter. Values are compact ({@link CompactJsonWriter}); keys
 * and the {@code document_key} text of the struct output keep the driver's spacing, because a key's bytes decide its
 * partition and its compaction: a changed key text would split one document's history across two keys.
 */
final class JsonEventWriter {
    private static final EncoderContext CONTEXT = EncoderContext.builder().build();
    private static final RawBsonDocumentCodec RAW = new RawBsonDocumentCodec();
    private static final BsonDocumentCodec DOCUMENT = new BsonDocumentCodec();
    private static final BsonValueCodec VALUE = new BsonValueCodec();

    private JsonEventWriter() {}

    /** {"_id": ...} */
    static String key(BsonValue id) {
        // The usual _id types as the JSON writer writes them, without a writer (its settings are built per writer).
        if (id.isObjectId()) {
            return "{\"_id\": {\"$oid\": \"" + id.asObjectId().getValue().toHexString() + "\"}}";
        }
        if (id.isInt32()) {
            return "{\"_id\": " + id.asInt32().getValue() + "}";
        }
        StringWriter out = new StringWriter(48);
        JsonWriter w = new JsonWriter(out, RELAXED);
        w.writeStartDocument();
        w.writeName("_id");
        VALUE.encode(w, id, CONTEXT);
        w.writeEndDocument();
        return out.toString();
    }

    /** A document as relaxed extended JSON; a document key {_id} of a usual type through {@link #key}. */
    static String json(BsonDocument doc) {
        BsonValue id = doc.get("_id");
        if (id != null && (id.isObjectId() || id.isInt32()) && doc.size() == 1) {
            return key(id);
        }
        return doc.toJson(RELAXED);
    }

    /**
     * The value of {@code output.format=json}: compact relaxed extended JSON (no blanks). Fields without a value are
     * left out, as in a copied document's {@code read} event, except {@code full_document}, which is always there
     * ({@code null} for an update without its document, a delete, ...).
     */
    static String change(MongoNamespace ns, ChangeEvent event, boolean keyOnly) {
        BsonDocument full = keyOnly ? null : event.fullDocument();
        BsonDocument before = keyOnly ? null : event.fullDocumentBeforeChange();
        StringBuilder out = new StringBuilder(192 + size(full) + size(before));
        CompactJsonWriter w = new CompactJsonWriter(out);
        w.writeStartDocument();
        w.writeString(ChangeEventConverter.OPERATION, event.operationTypeString());
        w.writeString(ChangeEventConverter.DATABASE, ns.getDatabaseName());
        w.writeString(ChangeEventConverter.COLLECTION, ns.getCollectionName());
        if (event.clusterTime() != null) {
            w.writeTimestamp(ChangeEventConverter.CLUSTER_TIME, event.clusterTime());
        }
        if (event.wallTime() != null) {
            w.writeDateTime(ChangeEventConverter.WALL_TIME, event.wallTime());
        }
        documentIfAny(w, ChangeEventConverter.DOCUMENT_KEY, event.documentKey());
        if (full == null) {
            w.writeNull(ChangeEventConverter.FULL_DOCUMENT);
        } else {
            document(w, ChangeEventConverter.FULL_DOCUMENT, full);
        }
        documentIfAny(w, ChangeEventConverter.FULL_DOCUMENT_BEFORE_CHANGE, before);
        if (!keyOnly && event.hasUpdateDescription()) {
            w.writeStartDocument(ChangeEventConverter.UPDATE_DESCRIPTION);
            documentIfAny(w, "updated_fields", event.updatedFields());
            List<String> removed = event.removedFields();
            if (removed != null) {
                w.writeStartArray("removed_fields");
                for (String f : removed) {
                    w.writeString(f);
                }
                w.writeEndArray();
            }
            List<ChangeEvent.Truncated> truncated = event.truncatedArrays();
            if (truncated != null) {
                w.writeStartArray("truncated_arrays");
                for (ChangeEvent.Truncated t : truncated) {
                    w.writeStartDocument();
                    w.writeString("field", t.field());
                    w.writeInt32("new_size", t.newSize());
                    w.writeEndDocument();
                }
                w.writeEndArray();
            }
            w.writeEndDocument();
        }
        MongoNamespace to = event.destinationNamespace();
        if (to != null) {
            w.writeStartDocument(ChangeEventConverter.TO);
            w.writeString(ChangeEventConverter.DATABASE, to.getDatabaseName());
            w.writeString(ChangeEventConverter.COLLECTION, to.getCollectionName());
            w.writeEndDocument();
        }
        if (event.txnNumber() != null) {
            w.writeInt64(ChangeEventConverter.TXN_NUMBER, event.txnNumber().getValue());
        }
        documentIfAny(w, ChangeEventConverter.LSID, event.lsid());
        if (keyOnly) {
            w.writeBoolean(ChangeEventConverter.OVERSIZED, true);
        }
        w.writeEndDocument();
        return out.toString();
    }

    /** A copied document: operation "read" (compact, as {@link #change}). */
    static String snapshot(MongoNamespace ns, BsonDocument document) {
        StringBuilder out = new StringBuilder(128 + size(document));
        CompactJsonWriter w = new CompactJsonWriter(out);
        w.writeStartDocument();
        w.writeString(ChangeEventConverter.OPERATION, ChangeEventConverter.OP_READ);
        w.writeString(ChangeEventConverter.DATABASE, ns.getDatabaseName());
        w.writeString(ChangeEventConverter.COLLECTION, ns.getCollectionName());
        w.writeStartDocument(ChangeEventConverter.DOCUMENT_KEY);
        w.writeName("_id");
        VALUE.encode(w, document.get("_id"), CONTEXT);
        w.writeEndDocument();
        document(w, ChangeEventConverter.FULL_DOCUMENT, document);
        w.writeEndDocument();
        return out.toString();
    }

    private static void documentIfAny(BsonWriter w, String name, BsonDocument doc) {
        if (doc != null) {
            document(w, name, doc);
        }
    }

    private static void document(BsonWriter w, String name, BsonDocument doc) {
        w.writeName(name);
        if (doc instanceof RawBsonDocument raw) {
            RAW.encode(w, raw, CONTEXT); // pipes the raw bytes into the writer
        } else {
            DOCUMENT.encode(w, doc, CONTEXT);
        }
    }

    private static int size(BsonDocument doc) {
        return doc instanceof RawBsonDocument raw
                ? raw.getByteBuffer().remaining() + raw.getByteBuffer().remaining() / 2
                : 0;
    }
}
