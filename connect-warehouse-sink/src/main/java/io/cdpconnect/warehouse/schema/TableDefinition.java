/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What the sink knows about an existing table: its columns (name to database type) and partitioning. */
public final class TableDefinition {

    private final TableId id;
    private final Map<String, String> columns;
    private final Map<String, int[]> decimals;
    private final boolean partitioned;
    private final Set<LocalDateTime> partitions = new HashSet<>();

    public TableDefinition(TableId id, Map<String, String> columns, boolean partitioned) {
        this(id, columns, Map.of(), partitioned);
    }

    /** @param decimals {precision, scale} of the decimal columns that declare them */
    public TableDefinition(TableId id, Map<String, String> columns, Map<String, int[]> decimals, boolean partitioned) {
        this.id = id;
        this.columns = new LinkedHashMap<>(columns);
        this.decimals = new LinkedHashMap<>(decimals);
        this.partitioned = partitioned;
    }

    public TableId id() {
        return id;
    }

    public boolean hasColumn(String name) {
        return columns.containsKey(name);
    }

    public Map<String, String> columns() {
        return columns;
    }

    /** The column's {precision, scale}, or null when it declares none (unconstrained numeric, non-decimals). */
    public int[] decimal(String column) {
        return decimals.get(column);
    }

    public boolean partitioned() {
        return partitioned;
    }

    /** Partition start times (UTC) known to exist. */
    public Set<LocalDateTime> knownPartitions() {
        return partitions;
    }
}
