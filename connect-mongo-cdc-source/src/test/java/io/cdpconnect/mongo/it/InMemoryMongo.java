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
import de.bwaldvogel.mongo.exception.MongoServerError;
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

    /** Every listCollections command the server answered, in order. */
    private final List<Document> listCollections = new CopyOnWriteArrayList<>();

    private final String uri;

    public InMemoryMongo() {
        this(false);
    }

    /**
     * A server that refuses every change stream as a standalone MongoDB does (40573), to check what the connector
     * reports for one.
     */
    public static InMemoryMongo standalone() {
        return new InMemoryMongo(true);
    }

    private InMemoryMongo(boolean standalone) {
        MemoryBackend backend = new ObservedBackend(getMores, listCollections, standalone);
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

    /**
     * The listCollections commands sent so far. This server answers every one with all collections; a real server
     * refuses one without {@code authorizedCollections} to a user with privileges on single collections only.
     */
    public List<Document> listCollectionsCommands() {
        return List.copyOf(listCollections);
    }

    /** Records each getMore's await and each listCollections. */
    private static final class ObservedBackend extends MemoryBackend {
        private final List<Object> getMores;
        private final List<Document> listCollections;
        private final boolean standalone;

        ObservedBackend(List<Object> getMores, List<Document> listCollections, boolean standalone) {
            this.getMores = getMores;
            this.listCollections = listCollections;
            this.standalone = standalone;
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            if (command.equals("getMore")) {
                getMores.add(query.get("maxTimeMS"));
            }
            if (command.equals("listCollections")) {
                listCollections.add(query);
            }
            if (standalone && command.equals("aggregate") && opensAChangeStream(query)) {
                throw new MongoServerError(
                        40573, "Location40573", "The $changeStream stage is only supported on replica sets");
            }
            return super.handleCommand(channel, database, command, query);
        }
    }

    private static boolean opensAChangeStream(Document query) {
        return query.get("pipeline") instanceof List<?> stages
                && !stages.isEmpty()
                && stages.get(0) instanceof Document first
                && first.containsKey("$changeStream");
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
