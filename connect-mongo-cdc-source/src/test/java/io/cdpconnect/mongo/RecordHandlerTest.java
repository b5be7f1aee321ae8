/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static io.cdpconnect.mongo.ChangeEvents.event;
import static io.cdpconnect.mongo.ChangeEvents.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoNamespace;
import io.cdpconnect.mongo.MongoCdcSourceConfig.DocumentFormat;
import io.cdpconnect.mongo.MongoCdcSourceConfig.InvalidPolicy;
import io.cdpconnect.mongo.MongoCdcSourceConfig.LifecycleEvents;
import io.cdpconnect.mongo.MongoCdcSourceConfig.OutputFormat;
import io.cdpconnect.mongo.MongoCdcSourceConfig.OversizedPolicy;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

class RecordHandlerTest {
    private static final MongoNamespace ORDERS = new MongoNamespace("shop.orders");
    private static final Map<String, String> PARTITION = SourceOffsets.partition("shop.orders");
    private static final Map<String, Object> OFFSET = SourceOffsets.streaming(ChangeEvents.token("82AA"));

    private static RecordHandler handler(
            LifecycleEvents lifecycle, InvalidPolicy invalid, OversizedPolicy oversized, long max) {
        return new RecordHandler(
                new ChangeEventConverter(
                        OutputFormat.SCHEMA, DocumentFormat.STRUCT, new TopicNamer("", Map.of()), "__hb"),
                lifecycle,
                invalid,
                oversized,
                max);
    }

    private static BsonDocument big(int id) {
        return new BsonDocument("_id", new BsonInt32(id)).append("blob", new BsonString("x".repeat(5000)));
    }

    private static BsonDocument key(int id) {
        return new BsonDocument("_id", new BsonInt32(id));
    }

    @Test
    void oversizedFailNamesNamespaceAndId() {
        RecordHandler h = handler(LifecycleEvents.EMIT, InvalidPolicy.FAIL, OversizedPolicy.FAIL, 2048);
        assertThatThrownBy(() -> h.convert(
                        ORDERS,
                        event("insert", ns("shop", "orders"), null, big(7), null, key(7), null),
                        PARTITION,
                        OFFSET))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("shop.orders _id 7")
                .hasMessageContaining("max.event.size.bytes=2048");
    }

    @Test
    void oversizedKeyOnlyWritesTheKey() {
        RecordHandler h = handler(LifecycleEvents.EMIT, InvalidPolicy.FAIL, OversizedPolicy.KEY_ONLY, 2048);
        SourceRecord r = h.convert(
                ORDERS, event("insert", ns("shop", "orders"), null, big(7), null, key(7), null), PARTITION, OFFSET);
        assertThat(((Struct) r.key()).get("_id")).isEqualTo(7);
        assertThat(((Struct) r.value()).get("full_document")).isNull();
        assertThat(((Struct) r.value()).getBoolean("oversized")).isTrue();
        assertThat(r.sourceOffset()).isEqualTo(OFFSET);

        SourceRecord copied =
                h.snapshot(ORDERS, new RawBsonDocument(big(8), new BsonDocumentCodec()), PARTITION, OFFSET, 1L);
        assertThat(((Struct) ((Struct) copied.value()).get("full_document"))
                        .schema()
                        .fields())
                .hasSize(1);
    }

    @Test
    void oversizedLogSkips() {
        RecordHandler h = handler(LifecycleEvents.EMIT, InvalidPolicy.FAIL, OversizedPolicy.LOG, 2048);
        assertThat(h.convert(
                        ORDERS,
                        event("insert", ns("shop", "orders"), null, big(7), null, key(7), null),
                        PARTITION,
                        OFFSET))
                .isNull();
        assertThat(h.convert(
                        ORDERS,
                        event("insert", ns("shop", "orders"), null, key(8), null, key(8), null),
                        PARTITION,
                        OFFSET))
                .isNotNull();
    }

    @Test
    void unconvertibleEventFollowsOnInvalid() {
        BsonDocument nan = key(9).append("price", new BsonDecimal128(Decimal128.NaN));
        RecordHandler fail = handler(LifecycleEvents.EMIT, InvalidPolicy.FAIL, OversizedPolicy.FAIL, 1_000_000);
        assertThatThrownBy(() -> fail.convert(
                        ORDERS,
                        event("insert", ns("shop", "orders"), null, nan, null, key(9), null),
                        PARTITION,
                        OFFSET))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("shop.orders _id 9")
                .hasMessageContaining("NaN");
        RecordHandler log = handler(LifecycleEvents.EMIT, InvalidPolicy.LOG, OversizedPolicy.FAIL, 1_000_000);
        assertThat(log.convert(
                        ORDERS,
                        event("insert", ns("shop", "orders"), null, nan, null, key(9), null),
                        PARTITION,
                        OFFSET))
                .isNull();
    }

    @Test
    void lifecycleEventsEmittedOrLogged() {
        RecordHandler emit = handler(LifecycleEvents.EMIT, InvalidPolicy.FAIL, OversizedPolicy.FAIL, 1_000_000);
        RecordHandler log = handler(LifecycleEvents.LOG, InvalidPolicy.FAIL, OversizedPolicy.FAIL, 1_000_000);
        for (String op : new String[] {"drop", "rename", "dropDatabase", "invalidate"}) {
            var e = event(
                    op, ns("shop", "orders"), op.equals("rename") ? ns("shop", "o2") : null, null, null, null, null);
            assertThat(((Struct) emit.convert(ORDERS, e, PARTITION, OFFSET).value()).getString("operation"))
                    .isEqualTo(op);
            assertThat(log.convert(ORDERS, e, PARTITION, OFFSET)).isNull();
        }
        // Document changes are always written.
        assertThat(log.convert(
                        ORDERS,
                        event("delete", ns("shop", "orders"), null, null, null, key(1), null),
                        PARTITION,
                        OFFSET))
                .isNotNull();
    }
}
