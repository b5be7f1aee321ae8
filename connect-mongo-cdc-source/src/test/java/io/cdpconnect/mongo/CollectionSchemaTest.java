/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import io.cdpconnect.mongo.MongoCdcSourceConfig.DocumentFormat;
import io.cdpconnect.mongo.MongoCdcSourceConfig.OutputFormat;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * Registry-friendly output: one schema per collection reused across records and only widened, deterministic
 * nested struct names, Avro-safe names, a fixed Decimal scale.
 */
class CollectionSchemaTest {
    private static final MongoNamespace ORDERS = new MongoNamespace("shop.orders");
    private static final Map<String, String> PARTITION = SourceOffsets.partition("shop.orders");

    private static SourceRecord copy(ChangeEventConverter c, String json) {
        return c.snapshot(ORDERS, BsonDocument.parse(json), PARTITION, Map.of("x", 1), 0L);
    }

    private static ChangeEventConverter converter() {
        return new ChangeEventConverter(
                OutputFormat.SCHEMA, DocumentFormat.STRUCT, new TopicNamer("", Map.of()), "__hb");
    }

    @Test
    void documentsOfACollectionShareOneSchemaThatOnlyWidens() {
        ChangeEventConverter c = converter();
        SourceRecord a =
                copy(c, "{\"_id\": 1, \"status\": \"paid\", \"qty\": 1, \"total\": {\"$numberDecimal\": \"9.90\"}}");
        SourceRecord b =
                copy(c, "{\"_id\": 2, \"status\": \"new\", \"qty\": 3, \"total\": {\"$numberDecimal\": \"1.50\"}}");
        assertThat(b.valueSchema()).as("same fields: the very same schema").isSameAs(a.valueSchema());

        // A new field and a wider number: a new version that contains the old one.
        SourceRecord w =
                copy(c, "{\"_id\": 3, \"status\": \"paid\", \"qty\": {\"$numberLong\": \"5\"}, \"note\": \"x\"}");
        Schema doc = w.valueSchema().field("full_document").schema();
        assertThat(doc.field("status")).isNotNull();
        assertThat(doc.field("total")).isNotNull();
        assertThat(doc.field("note").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(doc.field("qty").schema().type()).isEqualTo(Schema.Type.INT64);
        // Afterwards a narrow document is written in the wide schema, not in one of its own.
        SourceRecord n = copy(c, "{\"_id\": 4, \"qty\": 2}");
        assertThat(n.valueSchema()).isSameAs(w.valueSchema());
        Struct full = ((Struct) n.value()).getStruct("full_document");
        assertThat(full.get("qty")).isEqualTo(2L);
        assertThat(full.get("status")).isNull();
    }

    @Test
    void nestedStructsAreNamedAfterTheCollectionAndPath() {
        ChangeEventConverter c = converter();
        SourceRecord r = copy(
                c,
                "{\"_id\": 1, \"customer\": {\"address\": {\"city\": \"Berlin\"}}, "
                        + "\"items\": [{\"sku\": \"A\"}], \"first-name\": \"Ann\", \"2fa\": true}");
        Schema doc = r.valueSchema().field("full_document").schema();
        assertThat(doc.name()).isEqualTo("shop.orders");
        assertThat(doc.field("customer").schema().name()).isEqualTo("shop.orders.customer");
        assertThat(doc.field("customer").schema().field("address").schema().name())
                .isEqualTo("shop.orders.customer.address");
        assertThat(doc.field("items").schema().valueSchema().name()).isEqualTo("shop.orders.items");
        // Avro-safe field names; the values are kept.
        assertThat(doc.field("first_name")).isNotNull();
        assertThat(doc.field("_2fa")).isNotNull();
        assertThat(((Struct) r.value()).getStruct("full_document").get("first_name"))
                .isEqualTo("Ann");
        assertThat(CollectionSchemas.avroName("my-db.orders 2024")).isEqualTo("my_db.orders_2024");
    }

    @Test
    void aFixedDecimalScaleKeepsTheDecimalSchemaAndNeverRounds() {
        CollectionSchemas schemas = new CollectionSchemas(true, 4);
        ChangeEventConverter c = new ChangeEventConverter(
                OutputFormat.SCHEMA, DocumentFormat.STRUCT, new TopicNamer("", Map.of()), "__hb", schemas);
        SourceRecord a = copy(c, "{\"_id\": 1, \"total\": {\"$numberDecimal\": \"9.9\"}}");
        SourceRecord b = copy(c, "{\"_id\": 2, \"total\": {\"$numberDecimal\": \"129.9012\"}}");
        assertThat(b.valueSchema()).isSameAs(a.valueSchema());
        Schema total =
                a.valueSchema().field("full_document").schema().field("total").schema();
        assertThat(total.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(total.parameters().get(Decimal.SCALE_FIELD)).isEqualTo("4");
        assertThat(((Struct) a.value()).getStruct("full_document").get("total")).isEqualTo(new BigDecimal("9.9000"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> copy(c, "{\"_id\": 3, \"total\": {\"$numberDecimal\": \"1.23456\"}}"))
                .hasMessageContaining("decimal.scale=4")
                .hasMessageContaining("not rounded");
    }

    @Test
    void aDocumentThatFitsNoWideningKeepsItsOwnSchemaAndItsValues() {
        ChangeEventConverter c = converter();
        copy(c, "{\"_id\": 1, \"status\": \"paid\"}");
        SourceRecord odd = copy(c, "{\"_id\": 2, \"status\": {\"code\": 3}}");
        Struct full = ((Struct) odd.value()).getStruct("full_document");
        assertThat(full.getStruct("status").get("code")).isEqualTo(3);
        // The collection's schema is unchanged for the next regular document.
        SourceRecord next = copy(c, "{\"_id\": 3, \"status\": \"new\"}");
        assertThat(next.valueSchema()
                        .field("full_document")
                        .schema()
                        .field("status")
                        .schema()
                        .type())
                .isEqualTo(Schema.Type.STRING);
        assertThat(List.of(odd.valueSchema().name(), next.valueSchema().name()))
                .containsOnly(ChangeEventConverter.VALUE_SCHEMA_NAME);
    }
}
