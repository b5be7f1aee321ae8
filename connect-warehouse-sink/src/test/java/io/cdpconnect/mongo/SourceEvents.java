/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.UpdateDescription;
import io.cdpconnect.mongo.MongoCdcSourceConfig.DocumentFormat;
import io.cdpconnect.mongo.MongoCdcSourceConfig.OutputFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.StringConverter;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * Change events exactly as connect-mongo-cdc-source emits them: real driver {@link ChangeStreamDocument}s, shaped as
 * a MongoDB 7 replica set sends them (documentKey on every event, fullDocument on updates with
 * {@code full.document=updateLookup}), turned into records by the source's own {@link ChangeEventConverter}, a
 * tombstone after every delete ({@code delete.tombstones=true}, the default), and serialised by the converter the
 * pipeline configures (JsonConverter with schemas for {@code output.format=schema}, StringConverter for
 * {@code json}). For tests of sinks fed by the source; lives in the source's package to reach its converter.
 */
public final class SourceEvents {

    /** One Kafka record: key and value as the topic holds them (value null: a tombstone). */
    public record Message(String key, String value) {}

    private final MongoNamespace namespace;
    private final ChangeEventConverter converter;
    private final Converter keyConverter;
    private final Converter valueConverter;
    private final String topic;
    private long clusterSeconds = 1_795_428_000L;
    private int increment;

    /** @param json true for {@code output.format=json} (StringConverter), false for {@code schema} (JsonConverter) */
    public SourceEvents(String namespace, String topic, boolean json) {
        this.namespace = new MongoNamespace(namespace);
        this.topic = topic;
        this.converter = new ChangeEventConverter(
                json ? OutputFormat.JSON : OutputFormat.SCHEMA,
                DocumentFormat.STRUCT,
                new TopicNamer("cdc", Map.of(namespace, topic)),
                "__cdp_heartbeats");
        if (json) {
            keyConverter = new StringConverter();
            valueConverter = new StringConverter();
        } else {
            keyConverter = new JsonConverter();
            valueConverter = new JsonConverter();
            // as the orders pipeline configures them (schemas.enable defaults to true)
            valueConverter.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
        }
        keyConverter.configure(Map.of(), true);
        if (json) {
            valueConverter.configure(Map.of(), false);
        }
    }

    public String topic() {
        return topic;
    }

    public List<Message> insert(BsonDocument document) {
        return one("insert", document, null);
    }

    /** An update with {@code full.document=updateLookup}: the description and the document as looked up. */
    public List<Message> update(BsonDocument after, BsonDocument updatedFields, List<String> removedFields) {
        return one("update", after, new UpdateDescription(removedFields, updatedFields));
    }

    public List<Message> replace(BsonDocument document) {
        return one("replace", document, null);
    }

    /** A delete event (documentKey, no document) and, as the source sends by default, its tombstone. */
    public List<Message> delete(BsonValue id) {
        SourceRecord delete = record("delete", new BsonDocument("_id", id), null, null);
        List<Message> out = new ArrayList<>(serialise(delete));
        out.addAll(serialise(ChangeEventConverter.tombstone(delete)));
        return out;
    }

    /** A document copied by the snapshot ({@code startup.mode=snapshot}): operation read. */
    public List<Message> read(BsonDocument document) {
        SourceRecord r = converter.snapshot(
                namespace,
                document,
                Map.of("ns", namespace.getFullName()),
                Map.of("copy", true),
                clusterSeconds * 1000);
        return serialise(r);
    }

    private List<Message> one(String op, BsonDocument document, UpdateDescription update) {
        return serialise(record(op, new BsonDocument("_id", document.get("_id")), document, update));
    }

    private SourceRecord record(String op, BsonDocument key, BsonDocument full, UpdateDescription update) {
        increment++;
        BsonTimestamp clusterTime = new BsonTimestamp((int) clusterSeconds, increment);
        BsonDocument ns = new BsonDocument("db", new BsonString(namespace.getDatabaseName()))
                .append("coll", new BsonString(namespace.getCollectionName()));
        BsonDocument token = new BsonDocument(
                "_data", new BsonString("82" + Long.toHexString(clusterSeconds) + Integer.toHexString(increment)));
        // the event's BSON as the server sends it (absent fields left out), read as the source reads it
        BsonDocument e = new BsonDocument("_id", token)
                .append("operationType", new BsonString(op))
                .append("clusterTime", clusterTime)
                .append("wallTime", new BsonDateTime(clusterSeconds * 1000 + increment));
        if (full != null) {
            e.append("fullDocument", full);
        }
        e.append("ns", ns).append("documentKey", key);
        if (update != null) {
            BsonArray removed = new BsonArray();
            update.getRemovedFields().forEach(f -> removed.add(new BsonString(f)));
            e.append(
                    "updateDescription",
                    new BsonDocument("updatedFields", update.getUpdatedFields()).append("removedFields", removed));
        }
        ChangeEvent event = ChangeEvent.of(new RawBsonDocument(e, new BsonDocumentCodec()));
        return converter.change(
                namespace,
                event,
                Map.of("ns", namespace.getFullName()),
                Map.of("_data", token.getString("_data").getValue()),
                false);
    }

    private List<Message> serialise(SourceRecord r) {
        return List.of(new Message(
                text(keyConverter.fromConnectData(r.topic(), r.keySchema(), r.key())),
                text(valueConverter.fromConnectData(r.topic(), r.valueSchema(), r.value()))));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
