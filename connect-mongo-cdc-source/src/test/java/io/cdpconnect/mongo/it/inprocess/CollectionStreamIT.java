/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.cdpconnect.mongo.MongoCdcSourceTask;
import io.cdpconnect.mongo.it.InMemoryMongo;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One collection's stream against the in-memory server, through the task's public API. What only a real server does
 * (an event over 16 MB, history lost, unreachable) is simulated in {@code CollectionStreamTest}.
 */
class CollectionStreamIT {
    private InMemoryMongo mongo;
    private MongoClient client;
    private final TaskDriver driver = new TaskDriver("CollectionStreamIT");

    @BeforeEach
    void start() {
        mongo = new InMemoryMongo();
        client = mongo.client();
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    @Test
    void deletesAreFollowedByATombstone() throws Exception {
        MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
        orders.insertOne(new Document("_id", 0)); // the collection exists, so the task finds it
        MongoCdcSourceTask task = driver.start(Map.of(
                "mongo.uri", mongo.uri(),
                "collections.include", "shop\\.orders",
                "startup.mode", "snapshot", // the copy's start point: no event after it is missed
                "full.document", "off",
                "poll.await.ms", "50",
                "delete.tombstones", "true"));
        try {
            assertThat(driver.pollUntil(task, 1, 20_000)).hasSize(1); // read 0
            orders.insertOne(new Document("_id", 1));
            orders.deleteOne(new Document("_id", 1));
            List<SourceRecord> out = driver.pollUntil(task, 3, 20_000);
            assertThat(out).hasSize(3);
            assertThat(((Struct) out.get(0).value()).getString("operation")).isEqualTo("insert");
            assertThat(((Struct) out.get(1).value()).getString("operation")).isEqualTo("delete");
            SourceRecord tombstone = out.get(2);
            assertThat(tombstone.value()).isNull();
            assertThat(tombstone.valueSchema()).isNull();
            assertThat(tombstone.key()).isEqualTo(out.get(1).key());
            assertThat(tombstone.topic()).isEqualTo(out.get(1).topic());
            assertThat(tombstone.sourceOffset()).isEqualTo(out.get(1).sourceOffset());
        } finally {
            task.stop();
        }
    }
}
