/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;

/**
 * The in-memory wire-protocol server (mongo-java-server) with change streams enabled. Faithful for insert and
 * delete events, resume tokens (resumeAfter/startAfter/startAtOperationTime) and $match; not for update/replace
 * events, database- or client-level watch, or lost history: those are covered by {@code MongoReplicaSetIT}.
 */
public final class InMemoryMongo implements AutoCloseable {
    private final MongoServer server;
    private final String uri;

    public InMemoryMongo() {
        MemoryBackend backend = new MemoryBackend();
        backend.enableOplog();
        server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        uri = "mongodb://127.0.0.1:" + address.getPort();
    }

    /** Where the server listens (for a proxy in front of it). */
    public InetSocketAddress address() {
        return server.getLocalAddress();
    }

    public String uri() {
        return uri;
    }

    public MongoClient client() {
        return MongoClients.create(uri);
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
