/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

class OplogWindowTest {

    @Test
    void theClusterTimeOfAResumeTokenIsItsFirstEightHexDigitsAfter82() {
        // A MongoDB 7 token: 82 | 6930A1F2 (seconds) | 00000001 (increment) | ...
        BsonDocument token = new BsonDocument(
                "_data",
                new BsonString(
                        "826930A1F2000000012B042C0100296E5A1004A1B2C3D4E5F6478899AABBCCDDEEFF46645F696400646930A1F2A0B1C2D3E4F5A6B70004"));
        assertThat(OplogWindow.tokenSeconds(token)).isEqualTo(0x6930A1F2L);
        assertThat(OplogWindow.seconds(StartPoint.after(token))).isEqualTo(0x6930A1F2L);
        assertThat(OplogWindow.seconds(StartPoint.at(new BsonTimestamp(1_795_428_000, 7))))
                .isEqualTo(1_795_428_000L);
        assertThat(OplogWindow.seconds(StartPoint.LATEST)).isNull();
        assertThat(OplogWindow.tokenSeconds(new BsonDocument("_data", new BsonString("zz"))))
                .isNull();
    }

    /**
     * A mongos has no oplog of its own and does not let a client read the shards' local databases: advising to
     * grant read on 'local' would not help there. A replica set's user without the privilege is told that.
     */
    @Test
    void whyTheOplogIsUnreadableFitsTheDeployment() {
        assertThat(OplogWindow.unreadable(com.mongodb.connection.ClusterType.SHARDED))
                .contains("sharded cluster")
                .contains("each shard")
                .doesNotContain("grant read on 'local'");
        assertThat(OplogWindow.unreadable(com.mongodb.connection.ClusterType.REPLICA_SET))
                .contains("grant read on 'local'");
    }

    @Test
    void aStreamBehindAndWithinTheMarginOfTheOldestEntryIsAtRisk() {
        long now = 20_000;
        assertThat(OplogWindow.atRisk(10_000L, 9_000L, now, 3600)).isEqualTo(1000L);
        assertThat(OplogWindow.atRisk(10_000L, 1_000L, now, 3600))
                .as("far from the oldest entry")
                .isNull();
        assertThat(OplogWindow.atRisk(19_990L, 19_000L, now, 3600))
                .as("caught up: a young oplog is no risk")
                .isNull();
        assertThat(OplogWindow.atRisk(10_000L, 9_000L, now, 0)).as("disabled").isNull();
        assertThat(OplogWindow.atRisk(null, 9_000L, now, 3600)).isNull();
        assertThat(OplogWindow.atRisk(10_000L, null, now, 3600)).isNull();
    }
}
