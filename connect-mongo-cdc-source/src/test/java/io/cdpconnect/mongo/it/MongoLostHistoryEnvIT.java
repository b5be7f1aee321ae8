/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import com.mongodb.MongoException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link LostHistoryScenarios} against the replica set named by MONGO_URI. They need an oplog that has rolled over: a
 * server in use for a while has one. On a new replica set they are skipped, saying so, unless
 * {@code MONGO_ROLL_OPLOG=true} lets the test fill the oplog until it rolls over (about its size in writes, 990 MB
 * or more by default; start mongod with {@code --oplogSize 1} for a quick run). Filling it ends the history every
 * other reader of that server could resume from, so it is never done unasked.
 */
@EnabledIfEnvironmentVariable(named = "MONGO_URI", matches = ".+")
class MongoLostHistoryEnvIT extends LostHistoryScenarios {

    @BeforeAll
    static void start() {
        startWith(System.getenv("MONGO_URI"));
        try {
            if (!rolledOver(client) && "true".equalsIgnoreCase(System.getenv("MONGO_ROLL_OPLOG"))) {
                rollOver(client);
            }
            boolean empty =
                    client.getDatabase("local").getCollection("oplog.rs").find().first() == null;
            notRolledOver = empty
                    ? "local.oplog.rs of MONGO_URI has no entries (not a replica set member?)"
                    : rolledOver(client)
                            ? null
                            : "the oplog of MONGO_URI has not rolled over yet (its oldest entry is the replica set's "
                                    + "initiation), so MongoDB replays it from the start instead of losing history; set "
                                    + "MONGO_ROLL_OPLOG=true to fill it (this ends other readers' history)";
        } catch (MongoException cannotRead) {
            notRolledOver =
                    "cannot read local.oplog.rs of MONGO_URI (a mongos, or no privilege): " + cannotRead.getMessage();
        }
    }
}
