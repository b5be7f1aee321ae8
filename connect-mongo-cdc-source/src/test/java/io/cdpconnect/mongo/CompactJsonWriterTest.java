/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDbPointer;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.RawBsonDocumentCodec;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * {@link CompactJsonWriter} writes exactly the driver's relaxed extended JSON without its blanks: for every BSON type
 * and its edge values, and for strings over every Unicode category (escaping is where a hand-written writer goes
 * wrong), the text equals the driver's {@code toJson(RELAXED)} with the whitespace outside strings removed.
 */
class CompactJsonWriterTest {
    private static final JsonWriterSettings RELAXED =
            JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    @Test
    void everyBsonTypeIsTheDriversTextWithoutBlanks() {
        BsonDocument doc = new BsonDocument()
                .append("double", new BsonDouble(129.9))
                .append("whole_double", new BsonDouble(3.0))
                .append("tiny", new BsonDouble(1e-300))
                .append("huge", new BsonDouble(1.7976931348623157e308))
                .append("negative_zero", new BsonDouble(-0.0))
                .append("nan", new BsonDouble(Double.NaN))
                .append("inf", new BsonDouble(Double.POSITIVE_INFINITY))
                .append("minus_inf", new BsonDouble(Double.NEGATIVE_INFINITY))
                .append("int32", new BsonInt32(Integer.MIN_VALUE))
                .append("int64", new BsonInt64(Long.MAX_VALUE))
                .append("decimal", new BsonDecimal128(Decimal128.parse("129.90")))
                .append("decimal_nan", new BsonDecimal128(Decimal128.NaN))
                .append("decimal_exp", new BsonDecimal128(Decimal128.parse("-1.000E+6144")))
                .append("string", new BsonString("o-1001"))
                .append("empty", new BsonString(""))
                .append("oid", new BsonObjectIdOf())
                .append("true", BsonBoolean.TRUE)
                .append("false", BsonBoolean.FALSE)
                .append("date", new BsonDateTime(1_795_428_000_123L))
                .append("date_whole_second", new BsonDateTime(1_795_428_000_000L))
                .append("date_before_1970", new BsonDateTime(-1L))
                .append("date_after_9999", new BsonDateTime(253_402_300_800_000L))
                .append("null", BsonNull.VALUE)
                .append("undefined", new BsonUndefined())
                .append("regex", new BsonRegularExpression("^a\"b\\\\", "imx"))
                .append("timestamp", new BsonTimestamp(1_795_428_000, 3))
                .append("binary", new BsonBinary(new byte[] {0, 1, 2, (byte) 255}))
                .append("uuid", new BsonBinary(java.util.UUID.fromString("3b241101-e2bb-4255-8caf-4136c566a962")))
                .append("md5", new BsonBinary(BsonBinarySubType.MD5, new byte[16]))
                .append("user_binary", new BsonBinary((byte) 0x80, new byte[] {9}))
                .append("js", new BsonJavaScript("function() { return 1; }"))
                .append(
                        "js_scope",
                        new BsonJavaScriptWithScope(
                                "function() { return x; }", new BsonDocument("x", new BsonInt32(1))))
                .append("symbol", new BsonSymbol("sym"))
                .append("min", new BsonMinKey())
                .append("max", new BsonMaxKey())
                .append("pointer", new BsonDbPointer("shop.orders", new ObjectId("6b0fa402851f5f782024ab94")))
                .append("empty_doc", new BsonDocument())
                .append("empty_array", new BsonArray())
                .append(
                        "nested",
                        new BsonDocument(
                                "items",
                                new BsonArray(List.of(
                                        new BsonDocument("sku", new BsonString("SKU-1"))
                                                .append("qty", new BsonInt32(2))
                                                .append(
                                                        "tags",
                                                        new BsonArray(List.of(new BsonArray(), BsonNull.VALUE))),
                                        new BsonArray(List.of(new BsonInt32(1), new BsonDocument())),
                                        new BsonInt64(-5)))))
                .append("field \"with\" quotes\n", new BsonString("value, with: blanks { } [ ]"));
        assertSameAsDriver(doc);
    }

    @Test
    void stringsOfEveryUnicodeCategoryAreEscapedAsTheDriverDoes() {
        // Every char of the Basic Multilingual Plane (surrogates included, alone and in pairs), in field names too.
        StringBuilder all = new StringBuilder();
        BsonDocument doc = new BsonDocument();
        for (int c = 0; c <= 0xFFFF; c++) {
            all.append((char) c);
            if (all.length() == 512) {
                doc.append("s" + c, new BsonString(all.toString()));
                doc.append(all.substring(0, 40).replace('\0', '0'), new BsonInt32(c)); // names are C strings
                all.setLength(0);
            }
        }
        doc.append("emoji 😀 and é", new BsonString("😀 \u2028 \u0000 \u007f \u0085 \u00ad \ufeff"));
        assertSameAsDriver(doc);
    }

    @Test
    void randomDocumentsAreTheDriversTextWithoutBlanks() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            assertSameAsDriver(randomDocument(random, 0));
        }
    }

    private static BsonDocument randomDocument(Random random, int depth) {
        BsonDocument doc = new BsonDocument();
        int fields = random.nextInt(8);
        for (int f = 0; f < fields; f++) {
            doc.append(randomString(random).replace('\0', '0'), randomValue(random, depth));
        }
        return doc;
    }

    private static org.bson.BsonValue randomValue(Random random, int depth) {
        return switch (random.nextInt(depth < 4 ? 10 : 7)) {
            case 0 -> new BsonInt32(random.nextInt());
            case 1 -> new BsonInt64(random.nextLong());
            case 2 -> new BsonDouble(Double.longBitsToDouble(random.nextLong()));
            case 3 -> new BsonString(randomString(random));
            case 4 -> new BsonDateTime(random.nextLong() % 300_000_000_000_000L);
            case 5 ->
                new BsonDecimal128(new Decimal128(new java.math.BigDecimal(
                        java.math.BigInteger.valueOf(random.nextLong()), random.nextInt(40) - 20)));
            case 6 -> random.nextBoolean() ? BsonNull.VALUE : BsonBoolean.valueOf(random.nextBoolean());
            case 7, 8 -> randomDocument(random, depth + 1);
            default -> {
                BsonArray a = new BsonArray();
                for (int n = random.nextInt(4); n > 0; n--) {
                    a.add(randomValue(random, depth + 1));
                }
                yield a;
            }
        };
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            s.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) (0x20 + random.nextInt(0x5f)));
        }
        return s.toString();
    }

    private static void assertSameAsDriver(BsonDocument doc) {
        RawBsonDocument raw = new RawBsonDocument(doc, new BsonDocumentCodec());
        String expected = withoutBlanks(raw.toJson(RELAXED));
        // from raw bytes (what the driver hands the source) and from a BsonDocument
        StringBuilder fromRaw = new StringBuilder();
        new RawBsonDocumentCodec()
                .encode(
                        new CompactJsonWriter(fromRaw),
                        raw,
                        EncoderContext.builder().build());
        assertThat(fromRaw.toString()).isEqualTo(expected);
        StringBuilder fromDoc = new StringBuilder();
        new BsonDocumentCodec()
                .encode(
                        new CompactJsonWriter(fromDoc),
                        doc,
                        EncoderContext.builder().build());
        // (a lone surrogate survives in a BsonDocument; its UTF-8 bytes carry U+FFFD instead)
        assertThat(fromDoc.toString()).isEqualTo(withoutBlanks(doc.toJson(RELAXED)));
        // and it is JSON: the driver reads back the same document (NaN and friends in their $-forms)
        assertThat(new String(fromRaw.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(fromRaw.toString());
        assertThat(BsonDocument.parse(fromRaw.toString())).isEqualTo(BsonDocument.parse(raw.toJson(RELAXED)));
    }

    /** The JSON text with every blank outside string literals removed. */
    static String withoutBlanks(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** An ObjectId value of a fixed id (readable failures). */
    private static final class BsonObjectIdOf extends org.bson.BsonObjectId {
        BsonObjectIdOf() {
            super(new ObjectId("6b0fa402851f5f782024ab94"));
        }
    }
}
