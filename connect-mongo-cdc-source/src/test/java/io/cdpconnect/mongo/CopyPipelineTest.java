/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.cdpconnect.mongo.it.InMemoryMongo;
import java.util.ArrayList;
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
 * fullDocument filters the copy, $unset/$project of fullDocument fields (PII) shape it; it reads from the primary
 * with majority read concern. Against the in-memory server, which runs these aggregation stages.
 */
class CopyPipelineTest {
    private static final MongoNamespace CUSTOMERS = new MongoNamespace("crm.customers");

    private InMemoryMongo mongo;
    private MongoClient client;

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

    private final StreamMetricsFixture taskMetrics =
            new StreamMetricsFixture(getClass().getSimpleName());

    /** The stream's metrics, as a task opens them (JMX); closed after each test. */
    StreamMetrics metrics() {
        return taskMetrics.forCollection("shop.orders");
    }

    @AfterEach
    void stop() {
        taskMetrics.close();
        client.close();
        mongo.close();
    }

    private List<SourceRecord> copyAll(String pipeline, int batchSize) {
        Map<String, String> props = new HashMap<>();
        props.put("mongo.uri", "mongodb://unused");
        props.put("startup.mode", "snapshot");
        props.put("pipeline", pipeline);
        MongoCdcSourceConfig config = new MongoCdcSourceConfig(props);
        CollectionStream stream = new CollectionStream(
                CUSTOMERS,
                new CollectionSource.Mongo(client, CUSTOMERS, config),
                config,
                new RecordHandler(config),
                null,
                null,
                metrics());
        List<SourceRecord> out = new ArrayList<>();
        for (int i = 0; i < 20 && stream.state() == CollectionStream.State.SNAPSHOT; i++) {
            stream.poll(out, batchSize, 10);
        }
        stream.close();
        assertThat(stream.state()).isEqualTo(CollectionStream.State.STREAMING);
        return out;
    }

    private static Struct doc(SourceRecord r) {
        return ((Struct) r.value()).getStruct("full_document");
    }

    @Test
    void aMatchOnFullDocumentFiltersTheCopy() {
        List<SourceRecord> copied = copyAll(
                "[{\"$match\": {\"operationType\": {\"$in\": [\"insert\", \"update\"]}, "
                        + "\"fullDocument.country\": \"DE\"}}]",
                1000);
        assertThat(copied).extracting(r -> ((Struct) r.key()).get("_id")).containsExactly(2, 4, 6);
        assertThat(copied)
                .allSatisfy(r ->
                        assertThat(((Struct) r.value()).getString("operation")).isEqualTo("read"));
        Map<String, Object> published = taskMetrics.published("shop.orders");
        assertThat(published).containsEntry("copy-documents", 3L).containsEntry("copy-documents-total", 6L);
    }

    @Test
    void unsetAndProjectOfFullDocumentFieldsRemoveThemFromTheCopy() {
        List<SourceRecord> unset = copyAll("[{\"$unset\": [\"fullDocument.ssn\", \"fullDocument.email\"]}]", 1000);
        assertThat(unset).hasSize(6);
        for (SourceRecord r : unset) {
            assertThat(doc(r).schema().field("ssn")).isNull();
            assertThat(doc(r).schema().field("email")).isNull();
            assertThat(doc(r).getString("name")).startsWith("n");
        }
        List<SourceRecord> projected = copyAll("[{\"$project\": {\"fullDocument.ssn\": 0}}]", 1000);
        assertThat(projected).hasSize(6);
        assertThat(projected)
                .allSatisfy(r -> assertThat(doc(r).schema().field("ssn")).isNull());
    }

    @Test
    void aCopyThroughThePipelineResumesAfterTheLastIdAcrossBatches() {
        // Two documents per poll: the cursor is reopened after each _id (as after a restart) only on errors; here
        // each poll continues the same cursor and the copy ends once with every matching document once.
        List<SourceRecord> copied = copyAll("[{\"$match\": {\"fullDocument.country\": \"FR\"}}]", 2);
        assertThat(copied).extracting(r -> ((Struct) r.key()).get("_id")).containsExactly(1, 3, 5);
        assertThat(CollectionSource.copyPipeline(CUSTOMERS, List.of(), new org.bson.BsonInt32(3))
                        .get(0)
                        .toJson())
                .isEqualTo("{\"$match\": {\"_id\": {\"$gt\": 3}}}");
    }

    @Test
    void theCopyReadsThePrimaryWithMajorityReadConcern() {
        MongoCollection<Document> source = CollectionSource.copySource(client.getDatabase("crm")
                .getCollection("customers")
                .withReadPreference(ReadPreference.secondaryPreferred()));
        assertThat(source.getReadPreference()).isEqualTo(ReadPreference.primary());
        assertThat(source.getReadConcern()).isEqualTo(ReadConcern.MAJORITY);
    }
}
