/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** The collections in scope: database, include and exclude regexes; system databases, system collections and views left out. */
final class CollectionDiscovery {
    private static final Set<String> SYSTEM_DATABASES = Set.of("admin", "config", "local");

    private CollectionDiscovery() {}

    /** Sorted "db.coll" names in scope. */
    static List<String> discover(MongoClient client, MongoCdcSourceConfig config) {
        List<String> databases = new ArrayList<>();
        if (!config.database().isEmpty()) {
            databases.add(config.database());
        } else {
            for (String db : client.listDatabaseNames()) {
                if (!SYSTEM_DATABASES.contains(db)) {
                    databases.add(db);
                }
            }
        }
        List<String> namespaces = new ArrayList<>();
        for (String dbName : databases) {
            // nameOnly + authorizedCollections: a user with privileges on single collections, and no
            // listCollections on the database, may still list those (MongoDB refuses it the full listing, 13).
            // Names only come without their type, so the server leaves views and time series out.
            for (String name : client.getDatabase(dbName)
                    .listCollectionNames()
                    .filter(Filters.eq("type", "collection"))
                    .authorizedCollections(true)) {
                if (name.startsWith("system.")) {
                    continue;
                }
                String ns = dbName + "." + name;
                if (config.inScope(ns)) {
                    namespaces.add(ns);
                }
            }
        }
        Collections.sort(namespaces);
        return namespaces;
    }
}
