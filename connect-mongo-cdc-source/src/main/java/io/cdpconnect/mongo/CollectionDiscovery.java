/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.bson.Document;

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
            MongoDatabase db = client.getDatabase(dbName);
            for (Document info : db.listCollections()) {
                String name = info.getString("name");
                String type = info.getString("type");
                if (name == null || name.startsWith("system.") || (type != null && !"collection".equals(type))) {
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
