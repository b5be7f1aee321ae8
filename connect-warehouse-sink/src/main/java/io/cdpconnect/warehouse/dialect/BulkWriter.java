/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import io.cdpconnect.warehouse.schema.TableId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Writes many rows of one table inside the caller's transaction. */
public interface BulkWriter {

    /**
     * @param columns   the columns every row array is aligned with
     * @param rows      one value array per row, Java types as {@link io.cdpconnect.warehouse.schema.ColumnType}
     * @param upsertKey empty for plain inserts; else the conflict key (rows are unique on it)
     */
    void write(Connection connection, TableId table, List<String> columns, List<Object[]> rows, List<String> upsertKey)
            throws SQLException;

    /** The caller's transaction committed or rolled back: state kept per transaction ends with it. */
    default void transactionEnded() {}

    /** The tables changed under the writer (schema drift): what it keeps about them (staging tables) is stale. */
    default void forget() {}
}
