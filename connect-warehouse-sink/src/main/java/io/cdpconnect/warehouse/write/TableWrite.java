/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.write;

import io.cdpconnect.warehouse.dialect.BulkWriter;
import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.record.Row;
import io.cdpconnect.warehouse.record.RowMapper;
import io.cdpconnect.warehouse.schema.ColumnType;
import io.cdpconnect.warehouse.schema.TableDefinition;
import io.cdpconnect.warehouse.schema.TableManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;

/**
 * The rows of one table within a batch: their common columns, the table (created or evolved first), the deletes and
 * the rows to write, each converted once, and the statements that write all or part of them. {@link BatchWriter}
 * decides the transaction and how to isolate rejected rows; this class only knows one table.
 */
final class TableWrite {
    /**
     * What every table write of one task shares: the database, the table cache, the key rules and the write mode.
     *
     * @param upsert          insert.mode=upsert
     * @param deletes         delete.enabled
     * @param keepMissing     upsert.missing.fields=keep: each row updates only the columns it carries
     * @param nullMissing     upsert.missing.fields=null: each row writes every column, NULL where it has no value
     * @param softColumn      cdc.delete.mode=soft: the column deletes set; null for hard deletes
     * @param partitionColumn the column partitioned tables are partitioned by
     */
    record Settings(
            Dialect dialect,
            TableManager tables,
            RowMapper mapper,
            boolean upsert,
            boolean deletes,
            boolean keepMissing,
            boolean nullMissing,
            String softColumn,
            String partitionColumn) {}

    /** A delete (no line) or a write of the row's converted values. */
    record Op(Row row, Object[] line, boolean soft) {
        Op(Row row, Object[] line) {
            this(row, line, false);
        }

        boolean delete() {
            return line == null && !soft;
        }
    }

    final List<Row> rows;
    final Map<String, ColumnType> columnTypes = new LinkedHashMap<>();
    List<String> columns;
    Map<String, Integer> index;
    List<String> key = List.of();
    /** The record's own key: tombstones carry no partition column value, so deletes match on this. */
    List<String> deleteKey = List.of();

    TableDefinition def;
    final List<Row> deleteRows = new ArrayList<>();
    /** Soft deletes (cdc.delete.mode=soft), applied after the writes: the row stays, marked deleted. */
    final List<Row> softDeleteRows = new ArrayList<>();

    final List<Row> writeRows = new ArrayList<>();
    /** The converted values of {@link #writeRows}, index by index. */
    final List<Object[]> writeLines = new ArrayList<>();

    private final Dialect dialect;
    private final TableManager tables;
    private final RowMapper mapper;
    private final boolean upsert;
    private final boolean deletes;
    private final boolean keepMissing;
    private final boolean nullMissing;
    private final String softColumn;
    private final String partitionColumn;

    TableWrite(Settings settings, List<Row> rows) {
        this.rows = rows;
        this.dialect = settings.dialect();
        this.tables = settings.tables();
        this.mapper = settings.mapper();
        this.upsert = settings.upsert();
        this.deletes = settings.deletes();
        this.keepMissing = settings.keepMissing();
        this.nullMissing = settings.nullMissing();
        this.softColumn = settings.softColumn();
        this.partitionColumn = settings.partitionColumn();
    }

    void prepare(Connection c, ErrantRecords errant) throws SQLException {
        Row sample = null;
        for (Row row : rows) {
            if (sample == null || (sample.isDelete() && !row.isDelete())) {
                sample = row;
            }
            if (row.isDelete()) {
                continue;
            }
            for (int i = 0; i < row.size(); i++) {
                ColumnType known = columnTypes.get(row.column(i));
                if (known == null) {
                    columnTypes.put(row.column(i), row.type(i));
                }
            }
        }
        key = mapper.keyColumns(sample);
        deleteKey = key;
        for (String k : key) {
            columnTypes.putIfAbsent(k, ColumnType.STRING);
        }
        if (softColumn != null) {
            columnTypes.putIfAbsent(softColumn, ColumnType.TIMESTAMP); // also when the batch only deletes
        }
        String table = rows.get(0).table();
        // A column seen only with nulls so far has no type to create it with: it appears with its first value.
        Map<String, ColumnType> typed = new LinkedHashMap<>(columnTypes);
        typed.values().removeIf(type -> type == null);
        def = tables.prepare(c, table, typed, key);
        if (nullMissing) {
            for (String column : def.columns().keySet()) {
                columnTypes.putIfAbsent(column, null); // written as NULL by the rows that lack it
            }
        }
        columnTypes.keySet().removeIf(column -> columnTypes.get(column) == null && !def.hasColumn(column));
        if (def.partitioned() && !key.isEmpty() && !key.contains(partitionColumn)) {
            // a partitioned table's primary key includes the partition column, so the conflict target must too
            List<String> withPartition = new ArrayList<>(key);
            withPartition.add(partitionColumn);
            key = withPartition;
        }
        List<Instant> times = new ArrayList<>();
        if (def.partitioned()) {
            for (Row row : rows) {
                if (!row.isDelete() && row.value(partitionColumn) instanceof Instant t) {
                    times.add(t);
                }
            }
            Map<java.time.LocalDateTime, String> refused = tables.ensurePartitions(c, def, times);
            if (!refused.isEmpty()) {
                // no partition to hold them (older than partition.retention keeps, or archived): record errors
                rows.removeIf(row -> {
                    String why = row.isDelete() || !(row.value(partitionColumn) instanceof Instant t)
                            ? null
                            : refused.get(tables.periodStart(t));
                    if (why != null) {
                        errant.report(
                                row.record(), new DataException("cannot write to table " + def.id() + ": " + why));
                    }
                    return why != null;
                });
            }
        }
    }

    /** Plans the operations and converts every written row to its columns once, for every write path. */
    void planOps(ErrantRecords errant) {
        planRows(errant);
        convert(errant);
    }

    /**
     * Each row's values as its columns store them ({@link ColumnValues}); a row with a value that does not
     * fit is reported and left out, before any path writes, so bulk and row-by-row agree.
     */
    private void convert(ErrantRecords errant) {
        ColumnValues.Kind[] kinds = new ColumnValues.Kind[columns.size()];
        int[][] decimals = new int[columns.size()][];
        for (int i = 0; i < kinds.length; i++) {
            String type = def.columns().get(columns.get(i));
            kinds[i] = type == null ? ColumnValues.Kind.OTHER : ColumnValues.kindOf(type);
            decimals[i] = def.decimal(columns.get(i));
        }
        List<Row> fitting = new ArrayList<>(writeRows.size());
        writeLines.clear();
        for (Row row : writeRows) {
            Object[] line = values(row);
            Object[] out = line;
            int i = 0;
            try {
                for (; i < line.length; i++) {
                    Object fitted = ColumnValues.fit(line[i], kinds[i], decimals[i], columns.get(i));
                    if (fitted != line[i]) {
                        if (out == line) {
                            out = line.clone(); // the row's own values stay as mapped
                        }
                        out[i] = fitted;
                    }
                }
            } catch (DataException misfit) {
                errant.report(
                        row.record(),
                        new DataException(
                                "cannot write to table " + def.id() + ": "
                                        + misfit.getMessage() + " (column " + columns.get(i) + " is "
                                        + def.columns().get(columns.get(i)) + ")",
                                misfit));
                continue;
            }
            fitting.add(row);
            writeLines.add(out);
        }
        writeRows.clear();
        writeRows.addAll(fitting);
    }

    /** Sequential semantics per key: deletes first, then the last written value of each key. */
    private void planRows(ErrantRecords errant) {
        List<Row> candidates = rows;
        if (!tables.autoEvolve()) {
            candidates = new ArrayList<>(rows.size());
            for (Row row : rows) {
                String unknown = unknownColumn(row);
                if (unknown != null) {
                    errant.report(
                            row.record(),
                            new DataException("column " + unknown + " does not exist in " + def.id()
                                    + " and auto.evolve is false"));
                } else {
                    candidates.add(row);
                }
            }
            columnTypes.keySet().removeIf(column -> !def.hasColumn(column));
        }
        columns = new ArrayList<>(columnTypes.keySet());
        index = new HashMap<>(columns.size() * 2);
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        if (key.isEmpty() || (!upsert && !deletes)) {
            writeRows.addAll(candidates);
            return;
        }
        Map<Object, Row> lastWrite = new LinkedHashMap<>();
        Map<Object, Row> deleted = new LinkedHashMap<>();
        if (softColumn != null) {
            // the row stays: a delete marks the state after the key's last write, a later write unmarks it
            Map<Object, Row> softDeleted = new LinkedHashMap<>();
            for (Row row : candidates) {
                softDeleted.remove(row.key());
                if (row.isDelete()) {
                    softDeleted.put(row.key(), row);
                } else {
                    lastWrite.remove(row.key());
                    lastWrite.put(row.key(), row);
                }
            }
            writeRows.addAll(lastWrite.values());
            softDeleteRows.addAll(softDeleted.values());
            return;
        }
        for (Row row : candidates) {
            if (row.isDelete()) {
                lastWrite.remove(row.key());
                deleted.put(row.key(), row);
            } else if (upsert) {
                lastWrite.remove(row.key());
                lastWrite.put(row.key(), row);
            } else {
                writeRows.add(row);
            }
        }
        deleteRows.addAll(deleted.values());
        if (upsert) {
            writeRows.addAll(lastWrite.values());
        } else if (!deleted.isEmpty()) {
            // insert mode: an insert before a later delete of the same key is gone by the end of the batch
            Map<Object, Integer> lastDelete = new HashMap<>();
            for (int i = 0; i < candidates.size(); i++) {
                if (candidates.get(i).isDelete()) {
                    lastDelete.put(candidates.get(i).key(), i);
                }
            }
            writeRows.clear();
            for (int i = 0; i < candidates.size(); i++) {
                Row row = candidates.get(i);
                if (!row.isDelete() && lastDelete.getOrDefault(row.key(), -1) < i) {
                    writeRows.add(row);
                }
            }
        }
    }

    private String unknownColumn(Row row) {
        if (row.isDelete()) {
            return null;
        }
        for (int i = 0; i < row.size(); i++) {
            if (!def.hasColumn(row.column(i)) && row.value(i) != null) {
                return row.column(i);
            }
        }
        return null;
    }

    private String[] lastColumns;
    private int[] lastSlots;

    /** The row's values aligned with the table write's columns; rows of one schema share the slot map. */
    Object[] values(Row row) {
        String[] rowColumns = row.columns();
        int[] slots;
        if (rowColumns == lastColumns) {
            slots = lastSlots;
        } else {
            slots = new int[rowColumns.length];
            for (int i = 0; i < rowColumns.length; i++) {
                Integer at = index.get(rowColumns[i]);
                slots[i] = at == null ? -1 : at;
            }
            lastColumns = rowColumns;
            lastSlots = slots;
        }
        if (slots.length == columns.size() && row.rawValues().length == slots.length && identity(slots)) {
            return row.rawValues();
        }
        Object[] line = new Object[columns.size()];
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] >= 0) {
                line[slots[i]] = row.value(i);
            }
        }
        return line;
    }

    private boolean identity(int[] slots) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != i) {
                return false;
            }
        }
        return true;
    }

    List<Op> ops() {
        List<Op> ops = new ArrayList<>(deleteRows.size() + writeRows.size());
        deleteRows.forEach(r -> ops.add(new Op(r, null)));
        for (int i = 0; i < writeRows.size(); i++) {
            ops.add(new Op(writeRows.get(i), writeLines.get(i)));
        }
        softDeleteRows.forEach(r -> ops.add(new Op(r, null, true)));
        return ops;
    }

    /** The deletes, then every written row except {@code skip}, through {@code via}. */
    void writeBulk(Connection c, BulkWriter via, java.util.Set<Row> skip) throws SQLException {
        List<Integer> rowsToWrite = new ArrayList<>(writeRows.size());
        for (int i = 0; i < writeRows.size(); i++) {
            if (!skip.contains(writeRows.get(i))) {
                rowsToWrite.add(i);
            }
        }
        writeSubset(c, via, rowsToWrite);
    }

    /** The deletes, then the written rows at these indexes (in order), through {@code via}. */
    void writeSubset(Connection c, BulkWriter via, List<Integer> subset) throws SQLException {
        if (!deleteRows.isEmpty()) {
            try (PreparedStatement delete = c.prepareStatement(dialect.delete(def.id(), deleteKey))) {
                for (Row row : deleteRows) {
                    bindKey(delete, row);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        writeRowsAt(c, via, subset);
        if (!softDeleteRows.isEmpty()) {
            try (PreparedStatement mark = c.prepareStatement(dialect.softDelete(def.id(), deleteKey, softColumn))) {
                for (Row row : softDeleteRows) {
                    bindSoftDelete(mark, row);
                    mark.addBatch();
                }
                mark.executeBatch();
            }
        }
    }

    private void writeRowsAt(Connection c, BulkWriter via, List<Integer> subset) throws SQLException {
        if (subset.isEmpty()) {
            return;
        }
        if (!keepMissing) {
            List<Object[]> lines = subset.size() == writeLines.size() ? writeLines : new ArrayList<>(subset.size());
            if (lines != writeLines) {
                for (int i : subset) {
                    lines.add(writeLines.get(i));
                }
            }
            via.write(c, def.id(), columns, lines, upsert ? key : Collections.emptyList());
            return;
        }
        // one statement per set of carried columns, so no row's update depends on the others
        Map<BitSet, List<Object[]>> groups = new LinkedHashMap<>();
        for (int i : subset) {
            groups.computeIfAbsent(carried(writeRows.get(i)), g -> new ArrayList<>())
                    .add(writeLines.get(i));
        }
        for (Map.Entry<BitSet, List<Object[]>> g : groups.entrySet()) {
            int[] slots = g.getKey().stream().toArray();
            List<Object[]> lines = new ArrayList<>(g.getValue().size());
            for (Object[] line : g.getValue()) {
                lines.add(project(line, slots));
            }
            via.write(c, def.id(), project(slots), lines, key);
        }
    }

    /** Slots of the columns a row carries, keys always included (keep mode). */
    private BitSet carried(Row row) {
        BitSet present = new BitSet(columns.size());
        for (int i = 0; i < row.size(); i++) {
            Integer at = index.get(row.column(i));
            if (at != null) {
                present.set(at);
            }
        }
        for (String k : key) {
            Integer at = index.get(k);
            if (at != null) {
                present.set(at);
            }
        }
        return present;
    }

    private List<String> project(int[] slots) {
        List<String> out = new ArrayList<>(slots.length);
        for (int slot : slots) {
            out.add(columns.get(slot));
        }
        return out;
    }

    private static Object[] project(Object[] line, int[] slots) {
        if (slots.length == line.length) {
            return line;
        }
        Object[] out = new Object[slots.length];
        for (int i = 0; i < slots.length; i++) {
            out[i] = line[slots[i]];
        }
        return out;
    }

    void writeOne(Connection c, Op op) throws SQLException {
        if (op.soft()) {
            try (PreparedStatement mark = c.prepareStatement(dialect.softDelete(def.id(), deleteKey, softColumn))) {
                bindSoftDelete(mark, op.row);
                mark.executeUpdate();
            }
            return;
        }
        if (op.delete()) {
            try (PreparedStatement delete = c.prepareStatement(dialect.delete(def.id(), deleteKey))) {
                bindKey(delete, op.row);
                delete.executeUpdate();
            }
            return;
        }
        List<String> targets = columns;
        Object[] line = op.line();
        if (keepMissing) {
            int[] slots = carried(op.row()).stream().toArray();
            targets = project(slots);
            line = project(line, slots);
        }
        try (PreparedStatement insert =
                c.prepareStatement(dialect.insert(def.id(), targets, 1, upsert ? key : Collections.emptyList()))) {
            for (int i = 0; i < line.length; i++) {
                dialect.bind(insert, i + 1, line[i]);
            }
            insert.executeUpdate();
        }
    }

    private void bindSoftDelete(PreparedStatement statement, Row row) throws SQLException {
        dialect.bind(statement, 1, row.value(softColumn));
        for (int i = 0; i < deleteKey.size(); i++) {
            dialect.bind(statement, i + 2, row.value(deleteKey.get(i)));
        }
    }

    private void bindKey(PreparedStatement statement, Row row) throws SQLException {
        for (int i = 0; i < deleteKey.size(); i++) {
            dialect.bind(statement, i + 1, row.value(deleteKey.get(i)));
        }
    }
}
