/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import io.cdpconnect.warehouse.schema.ColumnType;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One record turned into a row of a table: parallel arrays of column names, portable types and values in the
 * Java type of {@link ColumnType}. A row with {@link #isDelete()} is a tombstone that deletes by key.
 */
public final class Row {

    private final SinkRecord record;
    private final String table;
    private final String[] columns;
    private final ColumnType[] types;
    private final Object[] values;
    private final Object key;
    private final boolean delete;

    public Row(
            SinkRecord record,
            String table,
            String[] columns,
            ColumnType[] types,
            Object[] values,
            Object key,
            boolean delete) {
        this.record = record;
        this.table = table;
        this.columns = columns;
        this.types = types;
        this.values = values;
        this.key = key;
        this.delete = delete;
    }

    public SinkRecord record() {
        return record;
    }

    public String table() {
        return table;
    }

    public int size() {
        return columns.length;
    }

    public String column(int i) {
        return columns[i];
    }

    /** Type of column i, or null when the value is null and nothing told its type (schemaless null). */
    public ColumnType type(int i) {
        return types[i];
    }

    /** The column names array (shared between rows of one Struct schema: compare by identity). */
    public String[] columns() {
        return columns;
    }

    /** The values array itself, aligned with {@link #columns()}; not to be modified. */
    public Object[] rawValues() {
        return values;
    }

    public Object value(int i) {
        return values[i];
    }

    /** The value of a column by name, or null when the row lacks it. */
    public Object value(String column) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].equals(column)) {
                return values[i];
            }
        }
        return null;
    }

    /** The primary key identity (a value or a list of values) when the table has one, else null. */
    public Object key() {
        return key;
    }

    public boolean isDelete() {
        return delete;
    }
}
