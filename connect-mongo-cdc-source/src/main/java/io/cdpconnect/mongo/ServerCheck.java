/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import io.cdpconnect.common.config.CrossOptionChecks;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.bson.BsonDocument;

/**
 * What {@code validate()} checks on the server, with a bounded wait: reachable and authenticated, able to run
 * change streams (a replica set or sharded cluster, not a standalone server), and the privileges the connector
 * uses (listCollections, find, changeStream). Each problem is reported on the option that fixes it.
 */
final class ServerCheck {
    /** How long validate() waits for the server. */
    static final long TIMEOUT_MS = 5_000;
    /** The $changeStream stage is only supported on replica sets. */
    private static final int CHANGE_STREAM_NOT_SUPPORTED = 40573;

    private static final int UNAUTHORIZED = 13;

    private ServerCheck() {}

    /** Throws a ConfigException naming the option to fix; returns the namespaces in scope when all is well. */
    static List<String> check(MongoCdcSourceConfig config) {
        String scopeOption =
                config.database().isEmpty() ? MongoCdcSourceConfig.COLLECTIONS_INCLUDE : MongoCdcSourceConfig.DATABASE;
        try (MongoClient client =
                MongoClientFactory.create(config, "cdp-connect-mongo-cdc-source-validate", TIMEOUT_MS)) {
            List<String> namespaces;
            try {
                namespaces = CollectionDiscovery.discover(client, config);
            } catch (MongoCommandException e) {
                throw denied(e, scopeOption, "listCollections (and listDatabases when database is empty)");
            }
            if (namespaces.isEmpty()) {
                probeChangeStreams(client, config);
                return namespaces;
            }
            MongoNamespace first = new MongoNamespace(namespaces.get(0));
            try {
                client.getDatabase(first.getDatabaseName())
                        .getCollection(first.getCollectionName(), BsonDocument.class)
                        .find()
                        .limit(1)
                        .first();
            } catch (MongoCommandException e) {
                throw denied(e, scopeOption, "find on " + first.getFullName());
            }
            try {
                open(client.getDatabase(first.getDatabaseName())
                        .getCollection(first.getCollectionName(), BsonDocument.class)
                        .watch(BsonDocument.class));
            } catch (MongoCommandException e) {
                throw watchFailed(e, scopeOption, first.getFullName());
            }
            if (config.streamScope() == MongoCdcSourceConfig.StreamScope.DATABASE) {
                // A database-level stream needs changeStream on the database itself, not only on its collections.
                java.util.Set<String> databases = new java.util.TreeSet<>();
                namespaces.forEach(ns -> databases.add(new MongoNamespace(ns).getDatabaseName()));
                for (String db : databases) {
                    try {
                        open(client.getDatabase(db).watch(BsonDocument.class));
                    } catch (MongoCommandException e) {
                        throw watchFailed(
                                e,
                                MongoCdcSourceConfig.STREAM_SCOPE,
                                "the database " + db + " (stream.scope=database; or use stream.scope=collection)");
                    }
                }
            }
            return namespaces;
        } catch (MongoTimeoutException e) {
            throw new ConfigException(
                    MongoCdcSourceConfig.MONGO_URI,
                    "[hidden]",
                    "MongoDB not reachable within " + TIMEOUT_MS
                            + " ms (hosts, port, replicaSet name, TLS settings, firewall): " + firstLine(e));
        } catch (MongoSecurityException e) {
            throw new ConfigException(
                    MongoCdcSourceConfig.MONGO_URI,
                    "[hidden]",
                    "MongoDB rejected the credentials of " + "mongo.uri (user, password, authSource, authMechanism): "
                            + firstLine(e));
        }
    }

    /**
     * With no collection in scope yet there is nothing to check privileges on, but a standalone server must still
     * be reported now, not at the first collection. A stream on the database (or the deployment) tells: a standalone
     * server refuses every change stream with 40573. Any other refusal (no privilege on the whole database, a user
     * with grants on single collections) says nothing about the server, so it is not reported.
     */
    private static void probeChangeStreams(MongoClient client, MongoCdcSourceConfig config) {
        try {
            open(
                    config.database().isEmpty()
                            ? client.watch(BsonDocument.class)
                            : client.getDatabase(config.database()).watch(BsonDocument.class));
        } catch (MongoCommandException e) {
            if (isStandalone(e)) {
                throw standalone();
            }
        }
    }

    /** Opens the change stream and closes it: the server's answer to opening it is the check. */
    private static void open(ChangeStreamIterable<BsonDocument> watch) {
        try (MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor = watch.cursor()) {
            cursor.getResumeToken();
        }
    }

    private static boolean isStandalone(MongoCommandException e) {
        return e.getErrorCode() == CHANGE_STREAM_NOT_SUPPORTED
                || String.valueOf(e.getErrorMessage()).contains("only supported on replica sets");
    }

    /** Why a change stream could not be opened: a standalone server (on mongo.uri), a missing privilege, or else. */
    static RuntimeException watchFailed(MongoCommandException e, String scopeOption, String namespace) {
        if (isStandalone(e)) {
            return standalone();
        }
        return denied(e, scopeOption, "changeStream on " + namespace);
    }

    private static ConfigException standalone() {
        return new ConfigException(
                MongoCdcSourceConfig.MONGO_URI,
                "[hidden]",
                "the server does not offer "
                        + "change streams (a standalone server): connect to a replica set or a sharded cluster "
                        + "(a single node can run as a one-member replica set: --replSet rs0, rs.initiate())");
    }

    private static RuntimeException denied(MongoCommandException e, String option, String what) {
        if (e.getErrorCode() == UNAUTHORIZED) {
            return CrossOptionChecks.problem(
                    option,
                    null,
                    "the MongoDB user lacks the privilege for " + what + " (grant a "
                            + "role with the find, listCollections and changeStream actions on the databases in scope, e.g. "
                            + "read): " + e.getErrorMessage());
        }
        return e;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
