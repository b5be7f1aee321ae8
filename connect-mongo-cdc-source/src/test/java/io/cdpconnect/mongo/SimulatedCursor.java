/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.ServerAddress;
import com.mongodb.ServerCursor;
import com.mongodb.client.MongoChangeStreamCursor;
import java.util.function.Consumer;
import org.bson.RawBsonDocument;

/**
 * A cursor of a simulated server, for unit tests: the stream reads change streams with {@code tryNext()} and
 * {@code available()} only, so the blocking iteration is unsupported unless a subclass (a copy) provides it.
 */
abstract class SimulatedCursor implements MongoChangeStreamCursor<RawBsonDocument> {

    @Override
    public boolean hasNext() {
        throw new UnsupportedOperationException();
    }

    @Override
    public RawBsonDocument next() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void forEachRemaining(Consumer<? super RawBsonDocument> action) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}

    @Override
    public ServerCursor getServerCursor() {
        return null;
    }

    @Override
    public ServerAddress getServerAddress() {
        return null;
    }
}
