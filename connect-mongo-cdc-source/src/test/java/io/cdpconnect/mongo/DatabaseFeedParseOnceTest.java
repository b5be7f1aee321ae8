/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import java.util.List;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/**
 * stream.scope=database reads each event once: the feed parses it to route it, and the collection's stream gets
 * that parsed event through its view ({@link ChangeEvent#of(Object, RawBsonDocument)}) instead of parsing the
 * bytes again.
 */
class DatabaseFeedParseOnceTest {
    private final DatabaseFeedTest.Server server = new DatabaseFeedTest.Server();

    @Test
    void theStreamGetsTheEventTheFeedParsedToRouteIt() {
        server.insert("a", 1);
        server.insert("b", 2);
        server.insert("a", 3);
        DatabaseFeed feed = server.feed();
        MongoChangeStreamCursor<RawBsonDocument> a =
                server.member(feed, "a").watch(List.of(), StartPoint.at(server.time(1)), 0, 0);
        MongoChangeStreamCursor<RawBsonDocument> b =
                server.member(feed, "b").watch(List.of(), StartPoint.at(server.time(1)), 0, 0);

        RawBsonDocument first = a.tryNext();
        ChangeEvent event = ChangeEvent.of(a, first);
        // The routed instance, not a second parse of the same bytes.
        assertThat(ChangeEvent.of(a, first)).isSameAs(event);
        assertThat(event.raw()).isSameAs(first);
        assertThat(event.collectionName()).isEqualTo("a");
        assertThat(event.documentKey().getInt32("_id").getValue()).isEqualTo(1);
        assertThat(event.resumeToken()).isEqualTo(server.token(1));

        RawBsonDocument second = b.tryNext();
        ChangeEvent other = ChangeEvent.of(b, second);
        assertThat(ChangeEvent.of(b, second)).isSameAs(other);
        assertThat(other.documentKey().getInt32("_id").getValue()).isEqualTo(2);

        RawBsonDocument third = a.tryNext();
        ChangeEvent next = ChangeEvent.of(a, third);
        assertThat(next.documentKey().getInt32("_id").getValue()).isEqualTo(3);
        assertThat(ChangeEvent.of(a, third)).isSameAs(next);
        // An event the view did not hand out is parsed, never mistaken for the last one.
        assertThat(ChangeEvent.of(a, first)).isNotSameAs(event);
        assertThat(ChangeEvent.of(a, first).documentKey().getInt32("_id").getValue())
                .isEqualTo(1);
    }

    @Test
    void aPlainCursorsEventIsParsed() {
        server.insert("a", 1);
        RawBsonDocument raw = server.log.get(0);
        ChangeEvent event = ChangeEvent.of(new Object(), raw);
        assertThat(event.raw()).isSameAs(raw);
        assertThat(event.operationTypeString()).isEqualTo("insert");
    }
}
