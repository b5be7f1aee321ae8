/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static io.cdpconnect.mongo.ChangeEvents.event;
import static io.cdpconnect.mongo.ChangeEvents.ns;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.MongoNamespace;
import com.mongodb.client.model.changestream.TruncatedArray;
import com.mongodb.client.model.changestream.UpdateDescription;
import io.cdpconnect.mongo.MongoCdcSourceConfig.DocumentFormat;
import io.cdpconnect.mongo.MongoCdcSourceConfig.OutputFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

/**
 * Without before-images (full.document.before.change=off, the default) the envelope has no
 * {@code full_document_before_change}, which would always be null: over a corpus of every kind of event, each
 * record is exactly the record with the field (same fields in the same order, same values, same JsonConverter
 * output) minus that null field; and the key schema of a shared {@code _id} type is one instance.
 */
class EnvelopeSlimTest {
    private static final MongoNamespace ORDERS = new MongoNamespace("shop.orders");
    private static final Map<String, String> PARTITION = SourceOffsets.partition("shop.orders");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ChangeEventConverter converter(DocumentFormat documents, boolean beforeImages) {
        return new ChangeEventConverter(
                OutputFormat.SCHEMA,
                documents,
                new TopicNamer("cdc", Map.of()),
                "__hb",
                new CollectionSchemas(true, -1),
                beforeImages);
    }

    private static BsonDocument order(int i, String status) {
        return BsonDocument.parse("{\"_id\": {\"$oid\": \"6561f0a1c2d3e4f5a6b7c8"
                + String.format("%02x", i) + "\"}, \"order_id\": \"o-" + i + "\", \"status\": \"" + status + "\","
                + " \"total\": {\"$numberDecimal\": \"129.9" + i % 10 + "\"}, \"qty\": " + i + ","
                + " \"big\": {\"$numberLong\": \"" + (Long.MAX_VALUE - i) + "\"},"
                + " \"items\": [{\"sku\": \"SKU-1\", \"price\": {\"$numberDecimal\": \"39.95\"}}],"
                + " \"created_at\": {\"$date\": \"2026-11-23T10:00:00Z\"},"
                + " \"customer\": {\"name\": \"Ada\", \"address\": {\"city\": \"Zürich\"}}}");
    }

    private static BsonDocument key(int i) {
        return new BsonDocument("_id", order(i, "x").get("_id"));
    }

    /** Every kind of event without before-images (what the server sends with full.document.before.change=off). */
    private static List<ChangeEvent> corpus() {
        List<ChangeEvent> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            BsonDocument ns = ns("shop", "orders");
            UpdateDescription update = new UpdateDescription(
                    List.of("notes"),
                    BsonDocument.parse("{\"status\": \"shipped\", \"qty\": " + i + "}"),
                    List.of(new TruncatedArray("items", 0)));
            out.add(event("insert", ns, null, order(i, "paid"), null, key(i), null));
            out.add(event("update", ns, null, order(i, "shipped"), null, key(i), update));
            out.add(event("update", ns, null, null, null, key(i), update)); // full.document=off
            out.add(event("replace", ns, null, order(i, "replaced"), null, key(i), null));
            out.add(event("delete", ns, null, null, null, key(i), null));
            out.add(ChangeEvents.event(
                    "insert",
                    ChangeEvents.token("82" + Integer.toHexString(1000 + i)),
                    ns,
                    null,
                    order(i, "txn"),
                    null,
                    key(i),
                    null,
                    new BsonInt64(7L + i),
                    BsonDocument.parse("{\"id\": {\"$binary\": {\"base64\": \"AQID\", \"subType\": \"04\"}}}")));
        }
        out.add(event("rename", ns("shop", "orders"), ns("shop", "orders2"), null, null, null, null));
        out.add(event("drop", ns("shop", "orders"), null, null, null, null, null));
        out.add(event("dropDatabase", ns("shop", null), null, null, null, null, null));
        out.add(event("invalidate", null, null, null, null, null, null));
        return out;
    }

    @Test
    void withoutBeforeImagesEveryRecordIsTheFullRecordWithoutTheAlwaysNullField() throws Exception {
        for (DocumentFormat documents : DocumentFormat.values()) {
            ChangeEventConverter full = converter(documents, true);
            ChangeEventConverter slim = converter(documents, false);
            JsonConverter json = new JsonConverter();
            json.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
            int n = 0;
            for (ChangeEvent e : corpus()) {
                SourceRecord a = full.change(ORDERS, e, PARTITION, Map.of(), false);
                SourceRecord b = slim.change(ORDERS, e, PARTITION, Map.of(), false);
                assertSameWithoutBefore(a, b);
                assertSameJsonWithoutBefore(
                        json.fromConnectData("t", a.valueSchema(), a.value()),
                        json.fromConnectData("t", b.valueSchema(), b.value()));
                n++;
            }
            // Copied documents too.
            for (int i = 0; i < 5; i++) {
                RawBsonDocument doc = new RawBsonDocument(order(i, "copied"), new BsonDocumentCodec());
                SourceRecord a = full.snapshot(ORDERS, doc, PARTITION, Map.of(), 1L);
                SourceRecord b = slim.snapshot(ORDERS, doc, PARTITION, Map.of(), 1L);
                assertSameWithoutBefore(a, b);
                n++;
            }
            assertThat(n).isEqualTo(129);
        }
    }

    @Test
    void aBeforeImageIsWrittenEvenWhenNoneWasAskedFor() {
        ChangeEvent e = event("delete", ns("shop", "orders"), null, null, order(1, "paid"), key(1), null);
        Struct value = (Struct) converter(DocumentFormat.STRUCT, false)
                .change(ORDERS, e, PARTITION, Map.of(), false)
                .value();
        assertThat(value.getStruct("full_document_before_change").getString("status"))
                .isEqualTo("paid");
    }

    @Test
    void theKeySchemaOfAnObjectIdIsOneInstanceAcrossRecords() {
        ChangeEventConverter c = converter(DocumentFormat.STRUCT, false);
        SourceRecord a = c.change(
                ORDERS,
                event("insert", ns("shop", "orders"), null, order(1, "a"), null, key(1), null),
                PARTITION,
                Map.of(),
                false);
        SourceRecord b = c.change(
                ORDERS,
                event("insert", ns("shop", "orders"), null, order(2, "b"), null, key(2), null),
                PARTITION,
                Map.of(),
                false);
        assertThat(b.keySchema()).isSameAs(a.keySchema());
        assertThat(b.valueSchema()).isSameAs(a.valueSchema());
        assertThat(((Struct) b.key()).getString("_id")).isEqualTo("6561f0a1c2d3e4f5a6b7c802");
    }

    private static void assertSameWithoutBefore(SourceRecord full, SourceRecord slim) {
        assertThat(slim.keySchema()).isEqualTo(full.keySchema());
        assertThat(slim.key()).isEqualTo(full.key());
        assertThat(slim.topic()).isEqualTo(full.topic());
        assertThat(slim.timestamp()).isEqualTo(full.timestamp());
        Struct a = (Struct) full.value();
        Struct b = (Struct) slim.value();
        assertThat(a.get(ChangeEventConverter.FULL_DOCUMENT_BEFORE_CHANGE)).isNull();
        assertThat(b.schema().field(ChangeEventConverter.FULL_DOCUMENT_BEFORE_CHANGE))
                .isNull();
        List<String> names = new ArrayList<>();
        for (Field f : a.schema().fields()) {
            if (!f.name().equals(ChangeEventConverter.FULL_DOCUMENT_BEFORE_CHANGE)) {
                names.add(f.name());
                assertThat(b.schema().field(f.name()).schema()).isEqualTo(f.schema());
                assertThat(b.get(f.name())).as(f.name()).isEqualTo(a.get(f));
            }
        }
        assertThat(b.schema().fields()).extracting(Field::name).containsExactlyElementsOf(names);
        assertThat(b.schema().name()).isEqualTo(a.schema().name());
    }

    private static void assertSameJsonWithoutBefore(byte[] full, byte[] slim) throws Exception {
        ObjectNode a = (ObjectNode) JSON.readTree(full);
        ObjectNode b = (ObjectNode) JSON.readTree(slim);
        assertThat(a.path("payload")
                        .get(ChangeEventConverter.FULL_DOCUMENT_BEFORE_CHANGE)
                        .isNull())
                .isTrue();
        ((ObjectNode) a.get("payload")).remove(ChangeEventConverter.FULL_DOCUMENT_BEFORE_CHANGE);
        ArrayNode fields = (ArrayNode) a.path("schema").get("fields");
        for (Iterator<JsonNode> it = fields.iterator(); it.hasNext(); ) {
            if (it.next().path("field").asText().equals(ChangeEventConverter.FULL_DOCUMENT_BEFORE_CHANGE)) {
                it.remove();
            }
        }
        assertThat(b).isEqualTo(a);
        assertThat(slim.length).isLessThan(full.length);
    }
}
