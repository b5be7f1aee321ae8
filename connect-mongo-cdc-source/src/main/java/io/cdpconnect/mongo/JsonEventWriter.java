/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import java.io.StringWriter;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.BsonValueCodec;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.RawBsonDocumentCodec;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriter;
import org.bson.json.JsonWriterSettings;

/**
 * {@code output.format=json}: each change as relaxed extended JSON text, written straight from the raw BSON of its
 * documents (the driver's raw bytes are piped into the JSON writer: no maps, no intermediate document objects).
 * The same envelope fields as the struct output; for StringConverter.
 */
final class JsonEventWriter {
    private static final JsonWriterSettings RELAXED =
            JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
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

    static String change(MongoNamespace ns, ChangeEvent event, boolean keyOnly) {
        BsonDocument full = keyOnly ? null : event.fullDocument();
        BsonDocument before = keyOnly ? null : event.fullDocumentBeforeChange();
        boolean update = !keyOnly && event.hasUpdateDescription();
        StringWriter out = new StringWriter(256 + size(full) + size(before));
        JsonWriter w = new JsonWriter(out, RELAXED);
        w.writeStartDocument();
        w.writeString(ChangeEventConverter.OPERATION, event.operationTypeString());
        w.writeString(ChangeEventConverter.DATABASE, ns.getDatabaseName());
        w.writeString(ChangeEventConverter.COLLECTION, ns.getCollectionName());
        w.writeName(ChangeEventConverter.CLUSTER_TIME);
        if (event.clusterTime() == null) {
            w.writeNull();
        } else {
            w.writeTimestamp(event.clusterTime());
        }
        w.writeName(ChangeEventConverter.WALL_TIME);
        if (event.wallTime() == null) {
            w.writeNull();
        } else {
            w.writeDateTime(event.wallTime());
        }
        document(w, ChangeEventConverter.DOCUMENT_KEY, event.documentKey());
        document(w, ChangeEventConverter.FULL_DOCUMENT, full);
        document(w, ChangeEventConverter.FULL_DOCUMENT_BEFORE_CHANGE, before);
        w.writeName(ChangeEventConverter.UPDATE_DESCRIPTION);
        if (!update) {
            w.writeNull();
        } else {
            w.writeStartDocument();
            document(w, "updated_fields", event.updatedFields());
            w.writeName("removed_fields");
            List<String> removed = event.removedFields();
            if (removed == null) {
                w.writeNull();
            } else {
                w.writeStartArray();
                for (String f : removed) {
                    w.writeString(f);
                }
                w.writeEndArray();
            }
            w.writeName("truncated_arrays");
            List<ChangeEvent.Truncated> truncated = event.truncatedArrays();
            if (truncated == null) {
                w.writeNull();
            } else {
                w.writeStartArray();
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
        w.writeName(ChangeEventConverter.TO);
        MongoNamespace to = event.destinationNamespace();
        if (to == null) {
            w.writeNull();
        } else {
            w.writeStartDocument();
            w.writeString(ChangeEventConverter.DATABASE, to.getDatabaseName());
            w.writeString(ChangeEventConverter.COLLECTION, to.getCollectionName());
            w.writeEndDocument();
        }
        w.writeName(ChangeEventConverter.TXN_NUMBER);
        if (event.txnNumber() == null) {
            w.writeNull();
        } else {
            w.writeInt64(event.txnNumber().getValue());
        }
        document(w, ChangeEventConverter.LSID, event.lsid());
        if (keyOnly) {
            w.writeBoolean(ChangeEventConverter.OVERSIZED, true);
        }
        w.writeEndDocument();
        return out.toString();
    }

    /** A copied document: operation "read". */
    static String snapshot(MongoNamespace ns, BsonDocument document) {
        StringWriter out = new StringWriter(128 + size(document));
        JsonWriter w = new JsonWriter(out, RELAXED);
        w.writeStartDocument();
        w.writeString(ChangeEventConverter.OPERATION, ChangeEventConverter.OP_READ);
        w.writeString(ChangeEventConverter.DATABASE, ns.getDatabaseName());
        w.writeString(ChangeEventConverter.COLLECTION, ns.getCollectionName());
        w.writeName(ChangeEventConverter.DOCUMENT_KEY);
        w.writeStartDocument();
        w.writeName("_id");
        VALUE.encode(w, document.get("_id"), CONTEXT);
        w.writeEndDocument();
        document(w, ChangeEventConverter.FULL_DOCUMENT, document);
        w.writeEndDocument();
        return out.toString();
    }

    private static void document(JsonWriter w, String name, BsonDocument doc) {
        w.writeName(name);
        if (doc == null) {
            w.writeNull();
        } else if (doc instanceof RawBsonDocument raw) {
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
