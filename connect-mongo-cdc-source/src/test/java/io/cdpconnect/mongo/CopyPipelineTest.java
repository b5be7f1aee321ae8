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
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.util.List;
import org.bson.BsonInt32;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * How the copy is read, without a server: a reopened copy continues after the last copied _id; it reads from the
 * primary with majority read concern. What the copy's pipeline does to the documents: {@code CopyPipelineIT}.
 */
class CopyPipelineTest {
    private static final MongoNamespace CUSTOMERS = new MongoNamespace("crm.customers");

    /**
     * After the last copied _id in the _id index's order across BSON types (an aggregation comparison, not a query
     * {@code $gt}, which only matches its own type): what that keeps is driven through the in-memory server in
     * {@code MongoCdcSourceTaskIT.aResumedCopyKeepsTheDocumentsWhoseIdIsOfALaterType}.
     */
    @Test
    void aReopenedCopyMatchesAfterTheLastCopiedId() {
        assertThat(CollectionSource.copyPipeline(CUSTOMERS, List.of(), new BsonInt32(3))
                        .get(0)
                        .toJson())
                .isEqualTo("{\"$match\": {\"$expr\": {\"$gt\": [\"$_id\", {\"$literal\": 3}]}}}");
    }

    /**
     * Read preference and read concern are settings of the collection handle the copy reads through, not visible
     * in any record: only checked here (a client needs no server to build the handle).
     */
    @Test
    void theCopyReadsThePrimaryWithMajorityReadConcern() {
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100")) {
            MongoCollection<Document> source = CollectionSource.copySource(client.getDatabase("crm")
                    .getCollection("customers")
                    .withReadPreference(ReadPreference.secondaryPreferred()));
            assertThat(source.getReadPreference()).isEqualTo(ReadPreference.primary());
            assertThat(source.getReadConcern()).isEqualTo(ReadConcern.MAJORITY);
        }
    }
}
