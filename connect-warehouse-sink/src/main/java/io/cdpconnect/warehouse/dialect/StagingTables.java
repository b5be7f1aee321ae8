/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import io.cdpconnect.warehouse.schema.Identifiers;
import io.cdpconnect.warehouse.schema.TableId;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names of the upsert staging tables of one connection: one per target table and column set, so a flush reuses
 * the table an earlier flush created instead of creating (and dropping) one each time. Temporary tables live as
 * long as their session, so a new connection starts a new set; after schema drift the set is renewed too (the
 * staging table copied the target's column types when it was created).
 */
final class StagingTables {

    private Connection connection;
    private final Map<String, String> names = new HashMap<>();
    private final Set<String> usedInTransaction = new HashSet<>();
    private int counter;

    /**
     * The staging table for these columns of {@code table} on {@code c}. Keyed by the set of columns, not their
     * order (every statement names its columns), so rows that carry the same columns in another order share it.
     */
    String of(Connection c, TableId table, List<String> columns) {
        if (c != connection) {
            connection = c;
            names.clear();
            usedInTransaction.clear();
        }
        List<String> sorted = new ArrayList<>(columns);
        Collections.sort(sorted);
        return names.computeIfAbsent(
                table.sql() + "\u0000" + String.join("\u0000", sorted),
                k -> "pg_temp." + Identifiers.quote("cdp_stage_" + (++counter)));
    }

    /** True the first time a staging table is used in the current transaction; then it is empty. */
    boolean firstUseInTransaction(String staging) {
        return usedInTransaction.add(staging);
    }

    void transactionEnded() {
        usedInTransaction.clear();
    }

    /** Later flushes create fresh staging tables (new names); the old ones go with the session. */
    void forget() {
        names.clear();
        usedInTransaction.clear();
    }

    /** How many staging tables this connection has (tests). */
    int size() {
        return names.size();
    }
}
