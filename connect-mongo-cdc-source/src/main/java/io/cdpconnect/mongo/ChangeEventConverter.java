/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import io.cdpconnect.mongo.MongoCdcSourceConfig.DocumentFormat;
import io.cdpconnect.mongo.MongoCdcSourceConfig.OutputFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * Change events and copied documents to SourceRecords. Key: the document's {@code _id}. Value: an envelope with
 * operation, namespace, cluster time, document key, full document (and before-image), update description.
 */
final class ChangeEventConverter {

    static final String OP_READ = "read";

    static final String OPERATION = "operation";
    static final String DATABASE = "database";
    static final String COLLECTION = "collection";
    static final String CLUSTER_TIME = "cluster_time";
    static final String WALL_TIME = "wall_time";
    static final String DOCUMENT_KEY = "document_key";
    static final String FULL_DOCUMENT = "full_document";
    static final String FULL_DOCUMENT_BEFORE_CHANGE = "full_document_before_change";
    static final String UPDATE_DESCRIPTION = "update_description";
    static final String TO = "to";
    static final String TXN_NUMBER = "txn_number";
    static final String LSID = "lsid";
    static final String OVERSIZED = "oversized";

    static final String VALUE_SCHEMA_NAME = "io.cdpconnect.mongo.ChangeEvent";
    static final String KEY_SCHEMA_NAME = "io.cdpconnect.mongo.Key";
    static final String DOCUMENT_SCHEMA_NAME = "io.cdpconnect.mongo.Document";

    static final Schema NAMESPACE_SCHEMA = SchemaBuilder.struct()
            .name("io.cdpconnect.mongo.Namespace")
            .optional()
            .field(DATABASE, Schema.STRING_SCHEMA)
            .field(COLLECTION, Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema TRUNCATED_ARRAY_SCHEMA = SchemaBuilder.struct()
            .name("io.cdpconnect.mongo.TruncatedArray")
            .field("field", Schema.STRING_SCHEMA)
            .field("new_size", Schema.INT32_SCHEMA)
            .build();
    static final Schema UPDATE_DESCRIPTION_SCHEMA = SchemaBuilder.struct()
            .name("io.cdpconnect.mongo.UpdateDescription")
            .optional()
            .field("updated_fields", BsonConverter.EXTENDED_JSON_SCHEMA)
            .field(
                    "removed_fields",
                    SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field(
                    "truncated_arrays",
                    SchemaBuilder.array(TRUNCATED_ARRAY_SCHEMA).optional().build())
            .build();
    static final Schema HEARTBEAT_KEY_SCHEMA = SchemaBuilder.struct()
            .name("io.cdpconnect.mongo.HeartbeatKey")
            .field("ns", Schema.STRING_SCHEMA)
            .build();
    /** The envelope when documents are extended JSON strings: one fixed schema (with and without before-images). */
    private static final Schema JSON_DOCUMENT_VALUE_SCHEMA =
            envelope(BsonConverter.EXTENDED_JSON_SCHEMA, BsonConverter.EXTENDED_JSON_SCHEMA);

    private static final Schema JSON_DOCUMENT_VALUE_SCHEMA_NO_BEFORE =
            envelope(BsonConverter.EXTENDED_JSON_SCHEMA, null);

    private final OutputFormat output;
    private final DocumentFormat documents;
    private final TopicNamer topics;
    private final String heartbeatTopic;
    private final CollectionSchemas schemas;
    /**
     * Whether the envelope has {@code full_document_before_change}: only when before-images are asked for
     * (full.document.before.change). Without them the field would always be null, yet JsonConverter (schemas on)
     * writes the document schema a second time for it in every record: a third of the record.
     */
    private final boolean beforeImages;
    /** The envelope of each collection schema, built once per schema version. */
    private final Map<Schema, Schema> envelopes = new java.util.IdentityHashMap<>();
    /** The envelope (without before-image) of each collection schema, built once per schema version. */
    private final Map<Schema, Schema> envelopesNoBefore = new java.util.IdentityHashMap<>();
    /** The key schema ({_id}) of each shared _id schema (ObjectId, string, int...), built once. */
    private final Map<Schema, Schema> keySchemas = new java.util.IdentityHashMap<>();

    ChangeEventConverter(MongoCdcSourceConfig config) {
        this(
                config.outputFormat(),
                config.documentFormat(),
                new TopicNamer(config.topicPrefix(), config.namespaceMap()),
                config.heartbeatTopic(),
                new CollectionSchemas(config.avroFieldNames(), config.decimalScale()),
                config.fullDocumentBeforeChange() != FullDocumentBeforeChange.DEFAULT);
    }

    ChangeEventConverter(OutputFormat output, DocumentFormat documents, TopicNamer topics, String heartbeatTopic) {
        this(output, documents, topics, heartbeatTopic, new CollectionSchemas(true, -1));
    }

    ChangeEventConverter(
            OutputFormat output,
            DocumentFormat documents,
            TopicNamer topics,
            String heartbeatTopic,
            CollectionSchemas schemas) {
        this(output, documents, topics, heartbeatTopic, schemas, true);
    }

    ChangeEventConverter(
            OutputFormat output,
            DocumentFormat documents,
            TopicNamer topics,
            String heartbeatTopic,
            CollectionSchemas schemas,
            boolean beforeImages) {
        this.output = output;
        this.documents = documents;
        this.topics = topics;
        this.heartbeatTopic = heartbeatTopic;
        this.schemas = schemas;
        this.beforeImages = beforeImages;
    }

    String topic(String namespace) {
        return topics.topic(namespace);
    }

    /**
     * A change event as a record. {@code namespace} is the collection the stream watches, used when the event
     * carries none; {@code keyOnly} drops the documents (oversized events).
     */
    SourceRecord change(
            MongoNamespace namespace,
            ChangeEvent event,
            Map<String, ?> partition,
            Map<String, ?> offset,
            boolean keyOnly) {
        MongoNamespace eventNs = event.namespaceOr(namespace);
        MongoNamespace ns = eventNs != null ? eventNs : namespace;
        BsonDocument documentKey = event.documentKey();
        BsonValue id = documentKey == null ? null : documentKey.get("_id");
        BsonDocument full = keyOnly ? null : event.fullDocument();
        BsonDocument before = keyOnly ? null : event.fullDocumentBeforeChange();
        boolean update = !keyOnly && event.hasUpdateDescription();
        Long timestamp = event.timestampMillis();
        String topic = topics.topic(namespace.getFullName());
        String op = event.operationTypeString();

        if (output == OutputFormat.JSON) {
            String value = JsonEventWriter.change(ns, event, keyOnly);
            String key = id == null ? null : JsonEventWriter.key(id);
            return new SourceRecord(
                    partition,
                    offset,
                    topic,
                    null,
                    key == null ? null : Schema.STRING_SCHEMA,
                    key,
                    Schema.STRING_SCHEMA,
                    value,
                    timestamp);
        }

        SchemaAndValue fullSv;
        SchemaAndValue beforeSv;
        Schema schema;
        // A before-image that comes although none was asked for is written all the same (never dropped).
        boolean withBefore = beforeImages || before != null;
        if (documents == DocumentFormat.JSON) {
            fullSv = jsonDocument(full);
            beforeSv = jsonDocument(before);
            schema = withBefore ? JSON_DOCUMENT_VALUE_SCHEMA : JSON_DOCUMENT_VALUE_SCHEMA_NO_BEFORE;
        } else {
            // The collection's one widening schema for both images, and its envelope, reused across records.
            String nsName = namespace.getFullName();
            Schema docSchema = schemas.widen(nsName);
            fullSv = fitted(full, docSchema);
            beforeSv = fitted(before, docSchema);
            if (fullSv == null || beforeSv == null) {
                // A document needs more than the schema has: widen once, then convert (or keep its own schema).
                docSchema = schemas.widen(nsName, full, before);
                fullSv = structDocument(nsName, full, docSchema);
                beforeSv = structDocument(nsName, before, docSchema);
            }
            if (!withBefore) {
                schema = fullSv.schema() == docSchema ? envelopeOf(docSchema, false) : envelope(fullSv.schema(), null);
            } else {
                schema = fullSv.schema() == docSchema && beforeSv.schema() == docSchema
                        ? envelopeOf(docSchema, true)
                        : envelope(fullSv.schema(), beforeSv.schema());
            }
        }
        Struct value = new Struct(schema)
                .put(OPERATION, op)
                .put(DATABASE, ns.getDatabaseName())
                .put(COLLECTION, ns.getCollectionName())
                .put(CLUSTER_TIME, event.clusterTime() == null ? null : new Date(clusterMillis(event.clusterTime())))
                .put(WALL_TIME, event.wallTime() == null ? null : new Date(event.wallTime()))
                .put(DOCUMENT_KEY, documentKey == null ? null : JsonEventWriter.json(documentKey))
                .put(FULL_DOCUMENT, fullSv.value())
                .put(UPDATE_DESCRIPTION, update ? structUpdate(event) : null)
                .put(TO, structNamespace(event.destinationNamespace()))
                .put(
                        TXN_NUMBER,
                        event.txnNumber() == null ? null : event.txnNumber().getValue())
                .put(LSID, event.lsid() == null ? null : event.lsid().toJson(BsonConverter.RELAXED))
                .put(OVERSIZED, keyOnly ? Boolean.TRUE : null);
        if (withBefore) {
            value.put(FULL_DOCUMENT_BEFORE_CHANGE, beforeSv.value());
        }
        SchemaAndValue key = id == null ? new SchemaAndValue(null, null) : structKey(id);
        return new SourceRecord(partition, offset, topic, null, key.schema(), key.value(), schema, value, timestamp);
    }

    /** A copied document as a record with operation {@value #OP_READ}. */
    SourceRecord snapshot(
            MongoNamespace namespace,
            BsonDocument document,
            Map<String, ?> partition,
            Map<String, ?> offset,
            long timestamp) {
        BsonValue id = document.get("_id");
        BsonDocument documentKey = new BsonDocument("_id", id);
        String topic = topics.topic(namespace.getFullName());
        if (output == OutputFormat.JSON) {
            return new SourceRecord(
                    partition,
                    offset,
                    topic,
                    null,
                    Schema.STRING_SCHEMA,
                    JsonEventWriter.key(id),
                    Schema.STRING_SCHEMA,
                    JsonEventWriter.snapshot(namespace, document),
                    timestamp);
        }
        SchemaAndValue fullSv;
        Schema schema;
        if (documents == DocumentFormat.JSON) {
            fullSv = jsonDocument(document);
            schema = beforeImages ? JSON_DOCUMENT_VALUE_SCHEMA : JSON_DOCUMENT_VALUE_SCHEMA_NO_BEFORE;
        } else {
            String nsName = namespace.getFullName();
            Schema docSchema = schemas.widen(nsName);
            fullSv = fitted(document, docSchema);
            if (fullSv == null) {
                docSchema = schemas.widen(nsName, document);
                fullSv = structDocument(nsName, document, docSchema);
            }
            schema = fullSv.schema() == docSchema
                    ? envelopeOf(docSchema, beforeImages)
                    : envelope(fullSv.schema(), beforeImages ? docSchema : null);
        }
        Struct value = new Struct(schema)
                .put(OPERATION, OP_READ)
                .put(DATABASE, namespace.getDatabaseName())
                .put(COLLECTION, namespace.getCollectionName())
                .put(DOCUMENT_KEY, JsonEventWriter.key(id))
                .put(FULL_DOCUMENT, fullSv.value());
        SchemaAndValue key = structKey(id);
        return new SourceRecord(partition, offset, topic, null, key.schema(), key.value(), schema, value, timestamp);
    }

    /** The tombstone that follows a delete (same key, null value) so a compacted topic forgets the document. */
    static SourceRecord tombstone(SourceRecord delete) {
        return new SourceRecord(
                delete.sourcePartition(),
                delete.sourceOffset(),
                delete.topic(),
                null,
                delete.keySchema(),
                delete.key(),
                null,
                null,
                delete.timestamp());
    }

    /** A heartbeat: carries the latest resume token of a quiet stream so that offset gets committed. */
    SourceRecord heartbeat(String namespace, Map<String, ?> partition, Map<String, ?> offset, long timestamp) {
        if (output == OutputFormat.JSON) {
            return new SourceRecord(
                    partition,
                    offset,
                    heartbeatTopic,
                    null,
                    Schema.STRING_SCHEMA,
                    heartbeatJson(namespace, null),
                    Schema.STRING_SCHEMA,
                    heartbeatJson(namespace, timestamp),
                    timestamp);
        }
        Struct key = new Struct(HEARTBEAT_KEY_SCHEMA).put("ns", namespace);
        return new SourceRecord(
                partition,
                offset,
                heartbeatTopic,
                null,
                HEARTBEAT_KEY_SCHEMA,
                key,
                HEARTBEAT_KEY_SCHEMA,
                key,
                timestamp);
    }

    private static String heartbeatJson(String namespace, Long timestamp) {
        BsonDocument doc = new BsonDocument("ns", new org.bson.BsonString(namespace));
        if (timestamp != null) {
            doc.append("ts", new org.bson.BsonInt64(timestamp));
        }
        return doc.toJson(BsonConverter.RELAXED);
    }

    /** BSON bytes of the documents an event carries: what can make a record exceed max.request.size. */
    static long documentBytes(ChangeEvent event) {
        long size = bytes(event.fullDocument()) + bytes(event.fullDocumentBeforeChange());
        if (event.hasUpdateDescription()) {
            size += bytes(event.updatedFields());
        }
        return size;
    }

    private static long bytes(BsonDocument doc) {
        if (doc == null) {
            return 0;
        }
        if (doc instanceof RawBsonDocument raw) {
            return raw.getByteBuffer().remaining();
        }
        return new RawBsonDocument(doc, new BsonDocumentCodec()).getByteBuffer().remaining();
    }

    // ------------------------------------------------------------------ helpers

    private static SchemaAndValue jsonDocument(BsonDocument doc) {
        return new SchemaAndValue(
                BsonConverter.EXTENDED_JSON_SCHEMA, doc == null ? null : doc.toJson(BsonConverter.RELAXED));
    }

    /** The document in the collection's current schema (converted once); null when it needs a wider one. */
    private SchemaAndValue fitted(BsonDocument doc, Schema collectionSchema) {
        if (doc == null) {
            return new SchemaAndValue(collectionSchema, null);
        }
        Struct value = schemas.value(doc, collectionSchema);
        return value == null ? null : new SchemaAndValue(collectionSchema, value);
    }

    /** The document in the collection's schema; one that fits no widening keeps a schema of its own. */
    private SchemaAndValue structDocument(String namespace, BsonDocument doc, Schema collectionSchema) {
        if (doc == null) {
            return new SchemaAndValue(collectionSchema, null);
        }
        Struct value = schemas.value(doc, collectionSchema);
        return value != null ? new SchemaAndValue(collectionSchema, value) : schemas.own(namespace, doc);
    }

    private Schema envelopeOf(Schema documentSchema, boolean withBefore) {
        return withBefore
                ? envelopes.computeIfAbsent(documentSchema, d -> envelope(d, d))
                : envelopesNoBefore.computeIfAbsent(documentSchema, d -> envelope(d, null));
    }

    /** The value schema; without {@code full_document_before_change} when {@code before} is null. */
    static Schema envelope(Schema fullDocument, Schema before) {
        SchemaBuilder b = SchemaBuilder.struct()
                .name(VALUE_SCHEMA_NAME)
                .field(OPERATION, Schema.STRING_SCHEMA)
                .field(DATABASE, Schema.STRING_SCHEMA)
                .field(COLLECTION, Schema.OPTIONAL_STRING_SCHEMA)
                .field(CLUSTER_TIME, Timestamp.builder().optional().build())
                .field(WALL_TIME, Timestamp.builder().optional().build())
                .field(DOCUMENT_KEY, BsonConverter.EXTENDED_JSON_SCHEMA)
                .field(FULL_DOCUMENT, fullDocument);
        if (before != null) {
            b.field(FULL_DOCUMENT_BEFORE_CHANGE, before);
        }
        return b.field(UPDATE_DESCRIPTION, UPDATE_DESCRIPTION_SCHEMA)
                .field(TO, NAMESPACE_SCHEMA)
                .field(TXN_NUMBER, Schema.OPTIONAL_INT64_SCHEMA)
                .field(LSID, BsonConverter.EXTENDED_JSON_SCHEMA)
                .field(OVERSIZED, Schema.OPTIONAL_BOOLEAN_SCHEMA)
                .build();
    }

    private SchemaAndValue structKey(BsonValue id) {
        SchemaAndValue idSv = BsonConverter.toConnect(id);
        Schema idSchema = idSv.schema();
        // The _id schemas of scalars are shared constants: one key schema each, so converters' caches hit.
        Schema keySchema = BsonConverter.isShared(idSchema)
                ? keySchemas.computeIfAbsent(idSchema, ChangeEventConverter::keySchema)
                : keySchema(idSchema);
        return new SchemaAndValue(keySchema, new Struct(keySchema).put("_id", idSv.value()));
    }

    private static Schema keySchema(Schema idSchema) {
        return SchemaBuilder.struct()
                .name(KEY_SCHEMA_NAME)
                .field("_id", idSchema)
                .build();
    }

    private static Struct structUpdate(ChangeEvent update) {
        List<Struct> truncated = null;
        List<ChangeEvent.Truncated> arrays = update.truncatedArrays();
        if (arrays != null) {
            truncated = new ArrayList<>(arrays.size());
            for (ChangeEvent.Truncated t : arrays) {
                truncated.add(new Struct(TRUNCATED_ARRAY_SCHEMA)
                        .put("field", t.field())
                        .put("new_size", t.newSize()));
            }
        }
        BsonDocument updated = update.updatedFields();
        return new Struct(UPDATE_DESCRIPTION_SCHEMA)
                .put("updated_fields", updated == null ? null : updated.toJson(BsonConverter.RELAXED))
                .put("removed_fields", update.removedFields())
                .put("truncated_arrays", truncated);
    }

    private static Struct structNamespace(MongoNamespace ns) {
        return ns == null
                ? null
                : new Struct(NAMESPACE_SCHEMA)
                        .put(DATABASE, ns.getDatabaseName())
                        .put(COLLECTION, ns.getCollectionName());
    }

    static long clusterMillis(BsonTimestamp ts) {
        return Integer.toUnsignedLong(ts.getTime()) * 1000L;
    }
}
