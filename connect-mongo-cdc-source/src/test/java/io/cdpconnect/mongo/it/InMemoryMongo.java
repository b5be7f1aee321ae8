/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The in-memory wire-protocol server (mongo-java-server) with change streams enabled. Faithful for insert and
 * delete events, resume tokens (resumeAfter/startAfter/startAtOperationTime) and $match; not for update/replace
 * events, database- or client-level watch, or lost history: those are covered by {@code MongoReplicaSetIT}.
 */
public final class InMemoryMongo implements AutoCloseable {
    private final MongoServer server;
    /** The {@code maxTimeMS} of every getMore the server answered, in order (null: none sent). */
    private final List<Object> getMores = new CopyOnWriteArrayList<>();

    private final String uri;

    public InMemoryMongo() {
        MemoryBackend backend = new ObservedBackend(getMores);
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

    /**
     * The {@code maxTimeMS} (a change stream's maxAwaitTime) of each getMore answered since the last call. This server
     * answers a getMore at once even when it has nothing: how often a client asks shows whether it waits or spins.
     */
    public List<Object> takeGetMores() {
        List<Object> taken = new ArrayList<>(getMores);
        getMores.subList(0, taken.size()).clear();
        return taken;
    }

    /** Records each getMore's await. */
    private static final class ObservedBackend extends MemoryBackend {
        private final List<Object> getMores;

        ObservedBackend(List<Object> getMores) {
            this.getMores = getMores;
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            if (command.equals("getMore")) {
                getMores.add(query.get("maxTimeMS"));
            }
            return super.handleCommand(channel, database, command, query);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
