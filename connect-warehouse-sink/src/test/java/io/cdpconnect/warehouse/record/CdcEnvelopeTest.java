/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.common.ChangeEventHeaders;
import io.cdpconnect.warehouse.WarehouseSinkConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * How a MongoDB change event whose document is gone becomes a change of the table. An update looked up after its
 * document was deleted carries no document (the source marks it with {@code cdp.full_document.missing}); its delete
 * follows in the same stream, so the event changes no row: it is skipped and counted, never dead-lettered (it is
 * not a bad record). An update without a document and without that mark (full.document=off) stays a record
 * error: applying nothing there would lose the update.
 */
class CdcEnvelopeTest {

    private final CdcEnvelope envelope = new CdcEnvelope(new WarehouseSinkConfig(Map.of(
            "warehouse.url", "jdbc:duckdb:",
            "cdc.format", "cdp-mongo",
            "insert.mode", "upsert",
            "pk.mode", "record_key",
            "topics", "orders")));

    private static Map<String, Object> update(Map<String, Object> document) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("operation", "update");
        v.put("document_key", "{\"_id\": \"1\"}");
        v.put("update_description", Map.of("updated_fields", "{\"status\": \"paid\"}"));
        v.put("full_document", document);
        return v;
    }

    private static SinkRecord record(Schema schema, Object value, String missingMark) {
        ConnectHeaders headers = new ConnectHeaders();
        if (missingMark != null) {
            headers.addString(ChangeEventHeaders.FULL_DOCUMENT_MISSING, missingMark);
        }
        return new SinkRecord("orders", 0, null, Map.of("_id", "1"), schema, value, 7, null, null, headers);
    }

    @Test
    void anUpdateWhoseDocumentWasDeletedBeforeTheLookupChangesNoRow() {
        CdcEnvelope.Applied applied = envelope.apply(record(null, update(null), "updateLookup"));
        assertThat(applied.change()).isEqualTo(CdcEnvelope.Change.SKIP);
    }

    /**
     * With full.document=whenAvailable a missing post-image says nothing about the document (post-images off or
     * expired; it may well exist): skipping would lose the update, so it stays a record error.
     */
    @Test
    void anUpdateWithoutItsPostImageIsARecordErrorNotASkip() {
        for (String mode : List.of("whenAvailable", "required", "")) {
            assertThatThrownBy(() -> envelope.apply(record(null, update(null), mode)))
                    .as(mode)
                    .isInstanceOf(DataException.class);
        }
    }

    @Test
    void theSameEventWithSchemasChangesNoRowEither() {
        Schema doc = SchemaBuilder.struct()
                .name("orders.doc")
                .optional()
                .field("_id", Schema.STRING_SCHEMA)
                .field("status", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Schema envelopeSchema = SchemaBuilder.struct()
                .name("orders.envelope")
                .field("operation", Schema.STRING_SCHEMA)
                .field("full_document", doc)
                .build();
        Struct value = new Struct(envelopeSchema).put("operation", "update");
        assertThat(envelope.apply(record(envelopeSchema, value, "updateLookup")).change())
                .isEqualTo(CdcEnvelope.Change.SKIP);
    }

    @Test
    void anUpdateWithoutItsDocumentAndWithoutTheMarkIsStillARecordError() {
        assertThatThrownBy(() -> envelope.apply(record(null, update(null), null)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("full.document=updateLookup");
    }

    @Test
    void theMarkNeverHidesADocumentThatIsThere() {
        CdcEnvelope.Applied applied =
                envelope.apply(record(null, update(Map.of("_id", "1", "status", "paid")), "updateLookup"));
        assertThat(applied.change()).isEqualTo(CdcEnvelope.Change.UPSERT);
        assertThat(applied.record().value()).isEqualTo(Map.of("_id", "1", "status", "paid"));
    }

    @Test
    void anInsertWithoutItsDocumentIsARecordErrorWhateverTheHeadersSay() {
        Map<String, Object> insert = update(null);
        insert.put("operation", "insert");
        assertThatThrownBy(() -> envelope.apply(record(null, insert, "updateLookup")))
                .isInstanceOf(DataException.class);
    }
}
