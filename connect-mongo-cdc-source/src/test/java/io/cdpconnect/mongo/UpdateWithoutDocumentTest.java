/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import io.cdpconnect.common.ChangeEventHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * full.document=updateLookup reads the document when the event is read, not when the update happened: when the
 * document was deleted in between, MongoDB sends the update with {@code fullDocument: null} (the delete follows).
 * That is a legitimate event: it is written (key, operation, update description, no document) — never an
 * on.invalid error, never skipped — marked with the header {@code cdp.full_document.missing} and counted
 * ({@code events-update-without-document}).
 */
class UpdateWithoutDocumentTest {
    private static final MongoNamespace ORDERS = new MongoNamespace("shop.orders");
    private final DatabaseFeedTest.Server server = new DatabaseFeedTest.Server();
    private final StreamMetricsFixture metrics =
            new StreamMetricsFixture(getClass().getSimpleName());

    @AfterEach
    void close() {
        metrics.close();
    }

    private static MongoCdcSourceConfig config(String... kv) {
        Map<String, String> props = new HashMap<>();
        props.put("mongo.uri", "mongodb://unused");
        props.put("full.document", "updateLookup");
        props.put("on.invalid", "fail");
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        return new MongoCdcSourceConfig(props);
    }

    /** insert 1, update 1 (the document deleted before the lookup: fullDocument null), delete 1. */
    private void insertUpdateDelete() {
        server.insert("orders", 1);
        BsonDocument ns = new BsonDocument("db", new BsonString("shop")).append("coll", new BsonString("orders"));
        server.event(new BsonDocument("operationType", new BsonString("update"))
                .append("fullDocument", BsonNull.VALUE)
                .append("ns", ns)
                .append("documentKey", new BsonDocument("_id", new BsonInt32(1)))
                .append(
                        "updateDescription",
                        new BsonDocument("updatedFields", new BsonDocument("status", new BsonString("shipped")))
                                .append("removedFields", new BsonArray())
                                .append("truncatedArrays", new BsonArray())));
        server.event(new BsonDocument("operationType", new BsonString("delete"))
                .append("ns", ns)
                .append("documentKey", new BsonDocument("_id", new BsonInt32(1))));
    }

    private List<SourceRecord> stream(MongoCdcSourceConfig config) {
        CollectionSource source = server.own("orders");
        CollectionStream stream = new CollectionStream(
                ORDERS,
                source,
                config,
                new RecordHandler(config),
                null,
                StartPoint.at(server.time(1)),
                metrics.forCollection(ORDERS.getFullName()));
        List<SourceRecord> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stream.poll(out, 100, 0); // a poll hands over what the last (here: one-event) batch had
        }
        return out;
    }

    @Test
    void theUpdateIsWrittenWithItsKeyAndDescriptionAndNoDocument() {
        insertUpdateDelete();
        List<SourceRecord> out = stream(config());

        assertThat(out).hasSize(4); // insert, update, delete, tombstone
        SourceRecord update = out.get(1);
        Struct value = (Struct) update.value();
        assertThat(value.getString("operation")).isEqualTo("update");
        assertThat(((Struct) update.key()).get("_id")).isEqualTo(1);
        assertThat(value.get("full_document")).isNull();
        assertThat(update.headers()
                        .lastWithName(ChangeEventHeaders.FULL_DOCUMENT_MISSING)
                        .value())
                .isEqualTo("updateLookup");
        assertThat(out.get(0).headers().lastWithName(ChangeEventHeaders.FULL_DOCUMENT_MISSING))
                .isNull();
        assertThat(BsonDocument.parse(value.getStruct("update_description").getString("updated_fields")))
                .isEqualTo(new BsonDocument("status", new BsonString("shipped")));
        assertThat(((Struct) out.get(2).value()).getString("operation")).isEqualTo("delete");
        assertThat(out.get(3).value()).isNull();
        assertThat(metrics.published(ORDERS.getFullName()))
                .containsEntry("events-update", 1L)
                .containsEntry("events-update-without-document", 1L);
    }

    @Test
    void asJsonTheUpdateHasANullDocument() {
        insertUpdateDelete();
        List<SourceRecord> out = stream(config("output.format", "json"));

        assertThat(out).hasSize(4);
        assertThat(out.get(1).key()).isEqualTo("{\"_id\": 1}");
        BsonDocument value = BsonDocument.parse((String) out.get(1).value());
        assertThat(value.getString("operation").getValue()).isEqualTo("update");
        assertThat(value.get("full_document")).isEqualTo(BsonNull.VALUE);
        assertThat(out.get(1)
                        .headers()
                        .lastWithName(ChangeEventHeaders.FULL_DOCUMENT_MISSING)
                        .value())
                .isEqualTo("updateLookup");
        assertThat(value.getDocument("update_description").getDocument("updated_fields"))
                .isEqualTo(new BsonDocument("status", new BsonString("shipped")));
        assertThat(metrics.published(ORDERS.getFullName())).containsEntry("events-update-without-document", 1L);
    }

    @Test
    void withoutALookupAnUpdateWithoutDocumentIsNotCounted() {
        insertUpdateDelete();
        List<SourceRecord> out = stream(config("full.document", "off"));
        assertThat(out).hasSize(4);
        assertThat(out.get(1).headers().lastWithName(ChangeEventHeaders.FULL_DOCUMENT_MISSING))
                .isNull();
        assertThat(metrics.published(ORDERS.getFullName())).containsEntry("events-update-without-document", 0L);
    }
}
