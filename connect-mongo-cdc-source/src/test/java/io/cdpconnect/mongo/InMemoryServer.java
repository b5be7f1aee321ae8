/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/** The in-memory wire-protocol server (mongo-java-server) on a free port, for the unit tests of this package. */
final class InMemoryServer {
    private InMemoryServer() {}

    /** Started and bound; {@code changeStreams} enables its oplog (change streams). */
    static MongoServer start(boolean changeStreams) {
        MemoryBackend backend = new MemoryBackend();
        if (changeStreams) {
            backend.enableOplog();
        }
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        return server;
    }

    static String uri(MongoServer server) {
        return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    }
}
