/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** The key and document_key text written without a JSON writer is exactly what the driver's writer writes. */
class KeyJsonTest {

    @Test
    void fastKeysAreExactlyTheWritersText() {
        List<BsonValue> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(new BsonObjectId(new ObjectId()));
        }
        ids.add(new BsonObjectId(new ObjectId("000000000000000000000000")));
        ids.add(new BsonObjectId(new ObjectId("ffffffffffffffffffffffff")));
        for (int i : new int[] {0, 1, -1, 42, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            ids.add(new BsonInt32(i));
        }
        // Not on the fast path: written by the writer as before.
        ids.add(new BsonInt64(Long.MAX_VALUE));
        ids.add(new BsonString("a \"quoted\" \u00e9 id"));
        ids.add(BsonDocument.parse("{\"a\": 1, \"b\": {\"$numberDecimal\": \"1.50\"}}"));
        for (BsonValue id : ids) {
            BsonDocument key = new BsonDocument("_id", id);
            String expected = key.toJson(BsonConverter.RELAXED);
            assertThat(JsonEventWriter.key(id)).isEqualTo(expected);
            assertThat(JsonEventWriter.json(key)).isEqualTo(expected);
            assertThat(JsonEventWriter.json(new RawBsonDocument(key, new BsonDocumentCodec())))
                    .isEqualTo(expected);
        }
    }

    @Test
    void aShardedDocumentKeyIsWrittenWhole() {
        BsonDocument key = new BsonDocument("region", new BsonString("eu")).append("_id", new BsonInt32(7));
        assertThat(JsonEventWriter.json(key)).isEqualTo("{\"region\": \"eu\", \"_id\": 7}");
        BsonDocument idFirst = new BsonDocument("_id", new BsonInt32(7)).append("region", new BsonString("eu"));
        assertThat(JsonEventWriter.json(idFirst)).isEqualTo("{\"_id\": 7, \"region\": \"eu\"}");
    }
}
