/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class SourceOffsetsTest {

    /** What Connect's offset store does to an offset: JSON out and back (numbers come back as Long). */
    private static Map<String, Object> throughJson(Map<String, Object> offset) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> back = mapper.readValue(mapper.writeValueAsString(offset), HashMap.class);
        return back;
    }

    @Test
    void partitionIsTheCollection() {
        assertThat(SourceOffsets.partition("shop.orders")).isEqualTo(Map.of("ns", "shop.orders"));
    }

    @Test
    void resumeTokenRoundTripsExactly() throws Exception {
        // Older servers add _typeBits (binary) to the token: it must survive storage unchanged.
        BsonDocument token = new BsonDocument("_data", new BsonString("8263A1B2C3000000012B022C0100296E5A1004"))
                .append("_typeBits", new BsonBinary(new byte[] {(byte) 0x81, 0x40}));
        SourceOffsets.Stored stored = SourceOffsets.read(throughJson(SourceOffsets.streaming(token)));
        assertThat(stored.snapshotInProgress()).isFalse();
        assertThat(stored.streamStart()).isEqualTo(StartPoint.after(token));
    }

    @Test
    void plainTokensTakeTheShortcutAndReadBackTheSame() throws Exception {
        BsonDocument token = new BsonDocument("_data", new BsonString("8263A1B2C3000000012B022C0100296E5A1004"));
        assertThat(SourceOffsets.tokenJson(token))
                .isEqualTo(token.toJson(org.bson.json.JsonWriterSettings.builder()
                        .outputMode(org.bson.json.JsonMode.EXTENDED)
                        .build()));
        assertThat(SourceOffsets.read(throughJson(SourceOffsets.streaming(token)))
                        .streamStart())
                .isEqualTo(StartPoint.after(token));
        BsonDocument odd = new BsonDocument("_data", new BsonString("a\"b"));
        assertThat(BsonDocument.parse(SourceOffsets.tokenJson(odd))).isEqualTo(odd);
    }

    @Test
    void snapshotOffsetKeepsLastIdAndStreamStart() throws Exception {
        ObjectId id = new ObjectId();
        BsonTimestamp at = new BsonTimestamp(0xF0000001, 7); // above Integer.MAX_VALUE seconds: unsigned
        SourceOffsets.Stored stored =
                SourceOffsets.read(throughJson(SourceOffsets.snapshot(StartPoint.at(at), new BsonObjectId(id))));
        assertThat(stored.snapshotInProgress()).isTrue();
        assertThat(stored.snapshotLastId()).isEqualTo(new BsonObjectId(id));
        assertThat(stored.streamStart()).isEqualTo(StartPoint.at(at));

        BsonDocument token = new BsonDocument("_data", new BsonString("82AA"));
        stored = SourceOffsets.read(
                throughJson(SourceOffsets.snapshot(StartPoint.after(token), new BsonInt64(Long.MAX_VALUE))));
        assertThat(stored.snapshotLastId()).isEqualTo(new BsonInt64(Long.MAX_VALUE));
        assertThat(stored.streamStart().resumeToken()).isEqualTo(token);
    }

    @Test
    void aCompletedCopyReadsBackAsStreamingFromItsStartPoint() throws Exception {
        BsonTimestamp at = new BsonTimestamp(0xF0000001, 7);
        SourceOffsets.Stored stored = SourceOffsets.read(throughJson(SourceOffsets.copied(StartPoint.at(at))));
        assertThat(stored.snapshotInProgress()).isFalse();
        assertThat(stored.streamStart()).isEqualTo(StartPoint.at(at));
        SourceOffsets.validate(SourceOffsets.partition("shop.orders"), SourceOffsets.copied(StartPoint.at(at)));

        BsonDocument token = new BsonDocument("_data", new BsonString("82AA"));
        assertThat(SourceOffsets.copied(StartPoint.after(token))).isEqualTo(SourceOffsets.streaming(token));
        assertThatThrownBy(() -> SourceOffsets.copied(StartPoint.LATEST)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void noOffsetMeansStartUpMode() {
        assertThat(SourceOffsets.read(null)).isNull();
        assertThat(SourceOffsets.read(Map.of())).isNull();
    }
}
