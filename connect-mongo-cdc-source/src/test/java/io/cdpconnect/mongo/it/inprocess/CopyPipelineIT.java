/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it.inprocess;

import static io.cdpconnect.mongo.it.inprocess.TaskDriver.SNAPSHOT_LAST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.cdpconnect.mongo.MongoCdcSourceTask;
import io.cdpconnect.mongo.it.InMemoryMongo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The copy applies the change-stream pipeline as it would apply to each document's insert event: a $match on
 * fullDocument filters the copy, $unset/$project of fullDocument fields (PII) shape it. A task against the in-memory
 * server, which runs these aggregation stages; driven through the task's public API.
 */
class CopyPipelineIT {
    private static final String CONNECTOR = "CopyPipelineIT";

    private InMemoryMongo mongo;
    private MongoClient client;
    private final TaskDriver driver = new TaskDriver(CONNECTOR);

    @BeforeEach
    void start() {
        mongo = new InMemoryMongo();
        client = mongo.client();
        MongoCollection<Document> coll = client.getDatabase("crm").getCollection("customers");
        for (int i = 1; i <= 6; i++) {
            coll.insertOne(new Document("_id", i)
                    .append("country", i % 2 == 0 ? "DE" : "FR")
                    .append("email", "c" + i + "@example.com")
                    .append("ssn", "123-45-000" + i)
                    .append("name", "n" + i));
        }
    }

    @AfterEach
    void stop() {
        client.close();
        mongo.close();
    }

    /** A task of a new connector: no stored offsets, so it copies. */
    private MongoCdcSourceTask task(String pipeline, int batchSize) {
        driver.committed.clear();
        Map<String, String> props = new HashMap<>();
        props.put("mongo.uri", mongo.uri());
        props.put("startup.mode", "snapshot");
        props.put("pipeline", pipeline);
        props.put("batch.size", Integer.toString(batchSize));
        props.put("poll.await.ms", "50");
        props.put("collections.include", "crm\\.customers");
        return driver.start(props);
    }

    /**
     * Polls until {@code expected} copied records arrived, then that nothing more comes: the copy ended once, and
     * its last record marks it done (the stream follows).
     */
    private List<SourceRecord> copy(MongoCdcSourceTask task, int expected) throws InterruptedException {
        List<SourceRecord> copied = driver.pollUntil(task, expected, 20_000);
        assertThat(driver.pollUntil(task, Integer.MAX_VALUE, 1500)).isEmpty();
        assertThat(copied).isNotEmpty();
        assertThat(TaskDriver.offsetOf(copied.get(copied.size() - 1)))
                .as("the last copied record says the copy is done")
                .doesNotContainKey(SNAPSHOT_LAST_ID);
        return copied;
    }

    private List<SourceRecord> copyAll(String pipeline, int batchSize, int expected) throws InterruptedException {
        MongoCdcSourceTask task = task(pipeline, batchSize);
        try {
            return copy(task, expected);
        } finally {
            task.stop();
        }
    }

    private static Struct doc(SourceRecord r) {
        return ((Struct) r.value()).getStruct("full_document");
    }

    @Test
    void aMatchOnFullDocumentFiltersTheCopy() throws Exception {
        MongoCdcSourceTask task = task(
                "[{\"$match\": {\"operationType\": {\"$in\": [\"insert\", \"update\"]}, "
                        + "\"fullDocument.country\": \"DE\"}}]",
                1000);
        try {
            List<SourceRecord> copied = copy(task, 3);
            assertThat(copied).extracting(r -> ((Struct) r.key()).get("_id")).containsExactly(2, 4, 6);
            assertThat(copied)
                    .allSatisfy(r -> assertThat(((Struct) r.value()).getString("operation"))
                            .isEqualTo("read"));
            // Published per collection over JMX: copied 3 of the collection's 6 documents.
            assertThat(driver.collectionMetric("crm.customers", "copy-documents"))
                    .isEqualTo(3L);
            assertThat(driver.collectionMetric("crm.customers", "copy-documents-total"))
                    .isEqualTo(6L);
        } finally {
            task.stop();
        }
    }

    @Test
    void unsetAndProjectOfFullDocumentFieldsRemoveThemFromTheCopy() throws Exception {
        List<SourceRecord> unset = copyAll("[{\"$unset\": [\"fullDocument.ssn\", \"fullDocument.email\"]}]", 1000, 6);
        assertThat(unset).hasSize(6);
        for (SourceRecord r : unset) {
            assertThat(doc(r).schema().field("ssn")).isNull();
            assertThat(doc(r).schema().field("email")).isNull();
            assertThat(doc(r).getString("name")).startsWith("n");
        }
        List<SourceRecord> projected = copyAll("[{\"$project\": {\"fullDocument.ssn\": 0}}]", 1000, 6);
        assertThat(projected).hasSize(6);
        assertThat(projected)
                .allSatisfy(r -> assertThat(doc(r).schema().field("ssn")).isNull());
    }

    @Test
    void aCopyThroughThePipelineResumesAfterTheLastIdAcrossBatches() throws Exception {
        // Two documents per poll (batch.size 2): each poll continues the same cursor and the copy ends once with
        // every matching document once. (The $match on _id a reopened copy adds: CopyPipelineTest.)
        List<SourceRecord> copied = copyAll("[{\"$match\": {\"fullDocument.country\": \"FR\"}}]", 2, 3);
        assertThat(copied).extracting(r -> ((Struct) r.key()).get("_id")).containsExactly(1, 3, 5);
    }
}
