/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.common.RecordJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.UuidRepresentation;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * Relaxed extended JSON, as the MongoDB driver writes it (the source's output.format=json), decoded to the values
 * the source's Struct output carries; what has no exact value stays as sent.
 */
class MongoExtendedJsonTest {

    private static Object decode(BsonDocument doc) {
        String json = doc.toJson(
                JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build());
        return MongoExtendedJson.decode(RecordJson.toPlain(json, null, true));
    }

    @Test
    void wrappersBecomeTheStructOutputsValues() {
        ObjectId id = new ObjectId();
        UUID uuid = UUID.randomUUID();
        BsonDocument doc = new BsonDocument("_id", new BsonObjectId(id))
                .append("total", new BsonDecimal128(Decimal128.parse("129.90")))
                .append("big", new BsonDecimal128(Decimal128.parse("1E+3")))
                .append(
                        "at",
                        new BsonDateTime(
                                Instant.parse("2026-11-23T10:00:00.123Z").toEpochMilli()))
                .append(
                        "ancient",
                        new BsonDateTime(Instant.parse("1960-01-01T00:00:00Z").toEpochMilli()))
                .append("n", new BsonInt64(1L << 60))
                .append("inf", new BsonDouble(Double.POSITIVE_INFINITY))
                .append("u4", new BsonBinary(uuid, UuidRepresentation.STANDARD))
                .append("u3", new BsonBinary(uuid, UuidRepresentation.JAVA_LEGACY))
                .append("raw", new BsonBinary(new byte[] {1, 2, 3}))
                .append("ts", new BsonTimestamp(1_795_428_000, 7))
                .append(
                        "items",
                        new org.bson.BsonArray(
                                List.of(new BsonDocument("price", new BsonDecimal128(Decimal128.parse("39.95"))))));
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) decode(doc);
        assertThat(out.get("_id")).isEqualTo(id.toHexString());
        assertThat(out.get("total")).isEqualTo(new BigDecimal("129.90"));
        assertThat(out.get("big")).isEqualTo(new BigDecimal("1000"));
        assertThat(out.get("at")).isEqualTo(Instant.parse("2026-11-23T10:00:00.123Z"));
        assertThat(out.get("ancient")).isEqualTo(Instant.parse("1960-01-01T00:00:00Z"));
        assertThat(out.get("n")).isEqualTo(1L << 60);
        assertThat(out.get("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(out.get("u4")).isEqualTo(uuid.toString());
        assertThat(out.get("u3")).isEqualTo(uuid.toString());
        assertThat(out.get("raw")).isEqualTo(new byte[] {1, 2, 3});
        assertThat(out.get("ts")).isEqualTo(Map.of("t", 1_795_428_000L, "i", 7L));
        assertThat(out.get("items")).isEqualTo(List.of(Map.of("price", new BigDecimal("39.95"))));
    }

    @Test
    void whatHasNoExactValueStaysAsSent() {
        BsonDocument doc = new BsonDocument("nan", new BsonDecimal128(Decimal128.NaN))
                .append("re", new BsonRegularExpression("^a", "i"));
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) decode(doc);
        assertThat(out.get("nan")).isEqualTo(Map.of("$numberDecimal", "NaN"));
        assertThat(out.get("re")).isInstanceOf(Map.class);
        // a plain field next to a $-name is no wrapper
        assertThat(MongoExtendedJson.decode(Map.of("$oid", "x", "other", 1)))
                .isEqualTo(Map.of("$oid", "x", "other", 1));
    }
}
