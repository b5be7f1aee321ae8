/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static io.cdpconnect.mongo.ChangeEvents.event;
import static io.cdpconnect.mongo.ChangeEvents.ns;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.changestream.TruncatedArray;
import com.mongodb.client.model.changestream.UpdateDescription;
import io.cdpconnect.mongo.MongoCdcSourceConfig.DocumentFormat;
import io.cdpconnect.mongo.MongoCdcSourceConfig.OutputFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class ChangeEventConverterTest {
    private static final MongoNamespace ORDERS = new MongoNamespace("shop.orders");
    private static final Map<String, String> PARTITION = SourceOffsets.partition("shop.orders");
    private static final ObjectId OID = new ObjectId("6561f0a1c2d3e4f5a6b7c8d9");
    private static final UUID TRACE = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static BsonDocument order() {
        return BsonDocument.parse("""
                {"_id": {"$oid": "6561f0a1c2d3e4f5a6b7c8d9"}, "order_id": "o-1001", "customer_id": "c-42",
                 "status": "paid", "currency": "EUR", "total": {"$numberDecimal": "129.90"},
                 "items": [{"sku": "SKU-1", "qty": 2, "price": {"$numberDecimal": "39.95"}},
                           {"sku": "SKU-2", "qty": {"$numberLong": "1"}, "price": {"$numberDecimal": "50.0"}, "gift": true}],
                 "created_at": {"$date": "2026-11-23T10:00:00Z"}, "scores": [1, 2.5, {"$numberLong": "3"}],
                 "tags": [], "notes": null, "mixed": [1, "two"], "raw": {"$binary": {"base64": "AQID", "subType": "00"}},
                 "re": {"$regularExpression": {"pattern": "^a", "options": "i"}}}""").append("trace", new BsonBinary(TRACE));
    }

    private static BsonDocument key() {
        return new BsonDocument("_id", new BsonObjectId(OID));
    }

    /** An insert of txn 7 with its session id. */
    private static ChangeEvent insertInATransaction() {
        BsonDocument lsid = BsonDocument.parse(
                "{\"id\": {\"$binary\": {\"base64\": \"AAAAAAAAAAAAAAAAAAAAAA==\", \"subType\": \"04\"}}}");
        return event(
                "insert",
                ChangeEvents.token("82AA"),
                ns("shop", "orders"),
                null,
                order(),
                null,
                key(),
                null,
                new BsonInt64(7),
                lsid);
    }

    private static ChangeEventConverter converter(OutputFormat output, DocumentFormat documents) {
        return new ChangeEventConverter(output, documents, new TopicNamer("cdc", Map.of()), "__hb");
    }

    private static Map<String, Object> offset() {
        return SourceOffsets.streaming(ChangeEvents.token("8263AB"));
    }

    @Test
    void insertAsStructKeepsBsonTypes() {
        SourceRecord r = converter(OutputFormat.SCHEMA, DocumentFormat.STRUCT)
                .change(
                        ORDERS,
                        event("insert", ns("shop", "orders"), null, order(), null, key(), null),
                        PARTITION,
                        offset(),
                        false);
        assertThat(r.topic()).isEqualTo("cdc.shop.orders");
        assertThat(r.sourcePartition()).isEqualTo(PARTITION);
        assertThat(r.sourceOffset()).isEqualTo(offset());
        assertThat(r.timestamp()).isEqualTo(ChangeEvents.WALL_TIME.getValue());
        Struct key = (Struct) r.key();
        assertThat(key.schema().field("_id").schema().name()).isEqualTo(BsonConverter.OBJECT_ID);
        assertThat(key.get("_id")).isEqualTo(OID.toHexString());

        Struct value = (Struct) r.value();
        assertThat(value.getString("operation")).isEqualTo("insert");
        assertThat(value.getString("database")).isEqualTo("shop");
        assertThat(value.getString("collection")).isEqualTo("orders");
        assertThat(value.get("cluster_time")).isEqualTo(new Date(1_795_428_000_000L));
        assertThat(value.get("wall_time")).isEqualTo(new Date(ChangeEvents.WALL_TIME.getValue()));
        assertThat(value.getString("document_key")).isEqualTo("{\"_id\": {\"$oid\": \"6561f0a1c2d3e4f5a6b7c8d9\"}}");

        Struct doc = value.getStruct("full_document");
        assertThat(doc.get("_id")).isEqualTo(OID.toHexString());
        assertThat(doc.schema().field("total").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(doc.get("total")).isEqualTo(new BigDecimal("129.90"));
        assertThat(doc.schema().field("created_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(doc.get("created_at")).isEqualTo(Date.from(java.time.Instant.parse("2026-11-23T10:00:00Z")));
        assertThat((byte[]) doc.get("raw")).containsExactly(1, 2, 3);
        assertThat(doc.get("trace")).isEqualTo(TRACE.toString());
        assertThat(doc.schema().field("trace").schema().name()).isEqualTo(BsonConverter.UUID);
        assertThat(doc.get("notes")).isNull();
        assertThat(doc.get("re")).isEqualTo("{\"$regularExpression\": {\"pattern\": \"^a\", \"options\": \"i\"}}");

        // Array elements unified: qty int32 + int64 -> int64, decimals 39.95 and 50.0 -> scale 2, fields merged.
        @SuppressWarnings("unchecked")
        List<Struct> items = (List<Struct>) doc.get("items");
        Schema item = doc.schema().field("items").schema().valueSchema();
        assertThat(item.field("qty").schema().type()).isEqualTo(Schema.Type.INT64);
        assertThat(item.field("price").schema().parameters().get(Decimal.SCALE_FIELD))
                .isEqualTo("2");
        assertThat(item.field("gift")).isNotNull();
        assertThat(items.get(0).get("qty")).isEqualTo(2L);
        assertThat(items.get(1).get("price")).isEqualTo(new BigDecimal("50.00"));
        assertThat(items.get(0).get("gift")).isNull();
        assertThat(items.get(1).get("gift")).isEqualTo(true);
        assertThat(doc.get("scores")).isEqualTo(List.of(1.0, 2.5, 3.0));
        assertThat(doc.get("tags")).isEqualTo(List.of());
        assertThat(doc.schema().field("mixed").schema().name()).isEqualTo(BsonConverter.MIXED_ARRAY);
        assertThat(doc.get("mixed")).isEqualTo(List.of("1", "\"two\""));

        // Connect accepts it and a real converter serializes it.
        value.validate();
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
        String out = new String(json.fromConnectData(r.topic(), r.valueSchema(), r.value()), StandardCharsets.UTF_8);
        assertThat(out).contains("\"total\":129.90").contains("\"order_id\":\"o-1001\"");
    }

    @Test
    void insertAsSchemalessRelaxedExtendedJson() {
        SourceRecord r = converter(OutputFormat.JSON, DocumentFormat.STRUCT)
                .change(
                        ORDERS,
                        event("insert", ns("shop", "orders"), null, order(), null, key(), null),
                        PARTITION,
                        offset(),
                        false);
        // JSON text written straight from the raw BSON, for StringConverter.
        assertThat(r.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(r.valueSchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(parse(r.key())).isEqualTo(Map.of("_id", Map.of("$oid", OID.toHexString())));
        Map<String, Object> value = parse(r.value());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) value.get("full_document");
        assertThat(doc.get("total")).isEqualTo(Map.of("$numberDecimal", "129.90"));
        assertThat(doc.get("created_at")).isEqualTo(Map.of("$date", "2026-11-23T10:00:00Z"));
        assertThat(doc.get("scores")).isEqualTo(List.of(1, 2.5, 3));
        assertThat(doc.get("re")).isEqualTo(Map.of("$regularExpression", Map.of("pattern", "^a", "options", "i")));
        assertThat(value.get("cluster_time")).isEqualTo(Map.of("$timestamp", Map.of("t", 1_795_428_000, "i", 3)));

        // Exactly what the driver writes as relaxed extended JSON for the document.
        BsonDocument full = BsonDocument.parse((String) r.value()).getDocument("full_document");
        assertThat(relaxed(full)).isEqualTo(relaxed(order()));
    }

    @Test
    void updateCarriesUpdateDescriptionAndBeforeImage() {
        BsonDocument before = order();
        BsonDocument after = order().append("status", new BsonString("shipped"));
        UpdateDescription update = new UpdateDescription(
                List.of("notes"),
                BsonDocument.parse("{\"status\": \"shipped\", \"items.1.qty\": 3}"),
                List.of(new TruncatedArray("tags", 0)));
        ChangeEvent e = event("update", ns("shop", "orders"), null, after, before, key(), update);
        Struct value = (Struct) converter(OutputFormat.SCHEMA, DocumentFormat.STRUCT)
                .change(ORDERS, e, PARTITION, offset(), false)
                .value();
        assertThat(value.getString("operation")).isEqualTo("update");
        assertThat(value.getStruct("full_document").getString("status")).isEqualTo("shipped");
        assertThat(value.getStruct("full_document_before_change").getString("status"))
                .isEqualTo("paid");
        Struct ud = value.getStruct("update_description");
        assertThat(BsonDocument.parse(ud.getString("updated_fields")))
                .isEqualTo(BsonDocument.parse("{\"status\": \"shipped\", \"items.1.qty\": 3}"));
        assertThat(ud.getArray("removed_fields")).containsExactly("notes");
        assertThat(((Struct) ud.getArray("truncated_arrays").get(0)).getString("field"))
                .isEqualTo("tags");

        Map<String, Object> plain = parse(converter(OutputFormat.JSON, DocumentFormat.STRUCT)
                .change(ORDERS, e, PARTITION, offset(), false)
                .value());
        @SuppressWarnings("unchecked")
        Map<String, Object> plainUd = (Map<String, Object>) plain.get("update_description");
        assertThat(plainUd.get("updated_fields")).isEqualTo(Map.of("status", "shipped", "items.1.qty", 3));
        assertThat(plainUd.get("removed_fields")).isEqualTo(List.of("notes"));
        assertThat(plainUd.get("truncated_arrays")).isEqualTo(List.of(Map.of("field", "tags", "new_size", 0)));
    }

    @Test
    void updateWithoutFullDocumentHasOnlyTheDescription() {
        UpdateDescription update = new UpdateDescription(List.of(), BsonDocument.parse("{\"status\": \"shipped\"}"));
        Struct value = (Struct) converter(OutputFormat.SCHEMA, DocumentFormat.STRUCT)
                .change(
                        ORDERS,
                        event("update", ns("shop", "orders"), null, null, null, key(), update),
                        PARTITION,
                        offset(),
                        false)
                .value();
        assertThat(value.get("full_document")).isNull();
        assertThat(value.getStruct("update_description").getString("updated_fields"))
                .contains("shipped");
    }

    @Test
    void replaceAndDeleteAsDocumentsInJsonText() {
        ChangeEventConverter c = converter(OutputFormat.SCHEMA, DocumentFormat.JSON);
        Struct replace = (Struct) c.change(
                        ORDERS,
                        event("replace", ns("shop", "orders"), null, order(), null, key(), null),
                        PARTITION,
                        offset(),
                        false)
                .value();
        assertThat(replace.getString("operation")).isEqualTo("replace");
        assertThat(BsonDocument.parse(replace.getString("full_document"))).isEqualTo(relaxed(order()));

        SourceRecord delete = c.change(
                ORDERS,
                event("delete", ns("shop", "orders"), null, null, order(), key(), null),
                PARTITION,
                offset(),
                false);
        Struct value = (Struct) delete.value();
        assertThat(value.getString("operation")).isEqualTo("delete");
        assertThat(value.get("full_document")).isNull();
        assertThat(BsonDocument.parse(value.getString("full_document_before_change")))
                .isEqualTo(relaxed(order()));
        assertThat(((Struct) delete.key()).get("_id")).isEqualTo(OID.toHexString());
        // One fixed value schema for every event when documents are JSON text.
        assertThat(delete.valueSchema()).isSameAs(replace.schema());
    }

    @Test
    void lifecycleEventsHaveNoKey() {
        ChangeEventConverter c = converter(OutputFormat.SCHEMA, DocumentFormat.STRUCT);
        SourceRecord drop = c.change(
                ORDERS, event("drop", ns("shop", "orders"), null, null, null, null, null), PARTITION, offset(), false);
        assertThat(drop.key()).isNull();
        assertThat(((Struct) drop.value()).getString("operation")).isEqualTo("drop");

        SourceRecord rename = c.change(
                ORDERS,
                event("rename", ns("shop", "orders"), ns("shop", "orders_old"), null, null, null, null),
                PARTITION,
                offset(),
                false);
        Struct to = ((Struct) rename.value()).getStruct("to");
        assertThat(to.getString("database")).isEqualTo("shop");
        assertThat(to.getString("collection")).isEqualTo("orders_old");

        SourceRecord dropDb = c.change(
                ORDERS,
                event("dropDatabase", ns("shop", null), null, null, null, null, null),
                PARTITION,
                offset(),
                false);
        assertThat(((Struct) dropDb.value()).getString("operation")).isEqualTo("dropDatabase");
        assertThat(dropDb.topic()).isEqualTo("cdc.shop.orders");

        SourceRecord invalidate =
                c.change(ORDERS, event("invalidate", null, null, null, null, null, null), PARTITION, offset(), false);
        Struct inv = (Struct) invalidate.value();
        assertThat(inv.getString("operation")).isEqualTo("invalidate");
        assertThat(inv.getString("database")).isEqualTo("shop"); // from the watched collection
        assertThat(inv.getString("collection")).isEqualTo("orders");
    }

    @Test
    void transactionFieldsAndKeyOnly() {
        ChangeEvent e = insertInATransaction();
        Struct value = (Struct) converter(OutputFormat.SCHEMA, DocumentFormat.STRUCT)
                .change(ORDERS, e, PARTITION, offset(), true)
                .value();
        assertThat(value.getInt64("txn_number")).isEqualTo(7L);
        assertThat(value.getString("lsid")).contains("$binary");
        assertThat(value.get("full_document")).isNull();
        assertThat(value.getBoolean("oversized")).isTrue();
    }

    /**
     * output.format=json values are compact and carry only what the event has (as a copied document's read event
     * already did): the always-null parts cost about a fifth of a record's bytes, and every produce request carries
     * fewer records. full_document is always there (null when the event has none). The key keeps the driver's text,
     * byte for byte: it decides the partition and compaction.
     */
    @Test
    void jsonValuesAreCompactAndLeaveOutWhatTheEventDoesNotHave() {
        ChangeEventConverter c = converter(OutputFormat.JSON, DocumentFormat.STRUCT);
        UpdateDescription update =
                new UpdateDescription(List.of("notes"), BsonDocument.parse("{\"status\": \"shipped\"}"));
        Map<String, ChangeEvent> events = new java.util.LinkedHashMap<>();
        events.put("insert", event("insert", ns("shop", "orders"), null, order(), null, key(), null));
        events.put("update", event("update", ns("shop", "orders"), null, order(), null, key(), update));
        events.put("update without document", event("update", ns("shop", "orders"), null, null, null, key(), update));
        events.put("delete", event("delete", ns("shop", "orders"), null, null, null, key(), null));
        events.put("rename", event("rename", ns("shop", "orders"), ns("shop", "orders_v2"), null, null, null, null));
        events.put("in a transaction", insertInATransaction());
        String common = "operation,database,collection,cluster_time,wall_time,";
        Map<String, String> fields = Map.of(
                "insert", common + "document_key,full_document",
                "update", common + "document_key,full_document,update_description",
                "update without document", common + "document_key,full_document,update_description",
                "delete", common + "document_key,full_document",
                "rename", common + "full_document,to",
                "in a transaction", common + "document_key,full_document,txn_number,lsid");
        events.forEach((name, e) -> {
            SourceRecord r = c.change(ORDERS, e, PARTITION, offset(), false);
            String value = (String) r.value();
            assertThat(value).as(name).isEqualTo(CompactJsonWriterTest.withoutBlanks(value));
            Map<String, Object> parsed = parse(value);
            assertThat(String.join(",", parsed.keySet())).as(name).isEqualTo(fields.get(name));
            // the only field that may be null is full_document, and only when the event has no document
            parsed.forEach((field, v) -> assertThat(v == null ? field : "")
                    .as(name + "." + field)
                    .isIn("", e.fullDocument() == null ? "full_document" : ""));
            if (e.fullDocument() != null) {
                // the document itself is the driver's relaxed extended JSON, value for value
                assertThat(BsonDocument.parse(value).getDocument("full_document"))
                        .isEqualTo(relaxed(e.fullDocument()));
            }
            if (r.key() != null) {
                assertThat(r.key()).isEqualTo("{\"_id\": {\"$oid\": \"" + OID.toHexString() + "\"}}");
            }
        });
        Map<String, Object> deleted = parse(c.change(ORDERS, events.get("delete"), PARTITION, offset(), false)
                .value());
        assertThat(deleted).containsEntry("full_document", null);
        Map<String, Object> txn = parse(c.change(ORDERS, events.get("in a transaction"), PARTITION, offset(), false)
                .value());
        assertThat(txn.get("txn_number")).isEqualTo(7);
        // key-only (on.oversized): no documents, the mark
        Map<String, Object> keyOnly = parse(c.change(ORDERS, events.get("insert"), PARTITION, offset(), true)
                .value());
        assertThat(keyOnly).containsEntry("full_document", null).containsEntry("oversized", true);
    }

    @Test
    void snapshotRecordsAreReadOperations() {
        SourceRecord r = converter(OutputFormat.SCHEMA, DocumentFormat.STRUCT)
                .snapshot(
                        ORDERS,
                        order(),
                        PARTITION,
                        SourceOffsets.snapshot(StartPoint.after(ChangeEvents.token("82AB")), new BsonObjectId(OID)),
                        42L);
        Struct value = (Struct) r.value();
        assertThat(value.getString("operation")).isEqualTo("read");
        assertThat(value.getStruct("full_document").getString("order_id")).isEqualTo("o-1001");
        assertThat(r.timestamp()).isEqualTo(42L);
        assertThat(SourceOffsets.read(castOffset(r.sourceOffset())).snapshotLastId())
                .isEqualTo(new BsonObjectId(OID));
    }

    @Test
    void keysOfOtherIdTypes() {
        ChangeEventConverter c = converter(OutputFormat.SCHEMA, DocumentFormat.STRUCT);
        BsonDocument compound =
                new BsonDocument("_id", new BsonDocument("tenant", new BsonString("t1")).append("n", new BsonInt32(5)));
        Struct key = (Struct) c.change(
                        ORDERS,
                        event("delete", ns("shop", "orders"), null, null, null, compound, null),
                        PARTITION,
                        offset(),
                        false)
                .key();
        assertThat(key.getStruct("_id").getString("tenant")).isEqualTo("t1");
        assertThat(key.getStruct("_id").getInt32("n")).isEqualTo(5);
        Object plainKey = converter(OutputFormat.JSON, DocumentFormat.STRUCT)
                .change(
                        ORDERS,
                        event(
                                "delete",
                                ns("shop", "orders"),
                                null,
                                null,
                                null,
                                new BsonDocument("_id", new BsonString("c-42")),
                                null),
                        PARTITION,
                        offset(),
                        false)
                .key();
        assertThat(parse(plainKey)).isEqualTo(Map.of("_id", "c-42"));
    }

    @Test
    void topicNamespaceMapWinsOverPrefix() {
        TopicNamer namer = new TopicNamer("cdc", Map.of("shop.orders", "orders", "crm", "crm-changes"));
        assertThat(namer.topic("shop.orders")).isEqualTo("orders");
        assertThat(namer.topic("crm.contacts")).isEqualTo("crm-changes");
        assertThat(namer.topic("shop.customers")).isEqualTo("cdc.shop.customers");
        assertThat(new TopicNamer("", Map.of()).topic("shop.customers")).isEqualTo("shop.customers");
    }

    @Test
    void documentBytesCountsEveryDocument() {
        UpdateDescription update = new UpdateDescription(List.of(), BsonDocument.parse("{\"a\": \"xxxxxxxxxx\"}"));
        ChangeEvent e = event("update", ns("shop", "orders"), null, order(), order(), key(), update);
        long one = new org.bson.RawBsonDocument(order(), new org.bson.codecs.BsonDocumentCodec())
                .getByteBuffer()
                .remaining();
        assertThat(ChangeEventConverter.documentBytes(e))
                .isEqualTo(2 * one + 23); // {"a": "xxxxxxxxxx"} is 23 BSON bytes
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(Object json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue((String) json, Map.class);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static BsonDocument relaxed(BsonDocument doc) {
        return BsonDocument.parse(doc.toJson(BsonConverter.RELAXED));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castOffset(Map<String, ?> offset) {
        return (Map<String, Object>) offset;
    }
}
