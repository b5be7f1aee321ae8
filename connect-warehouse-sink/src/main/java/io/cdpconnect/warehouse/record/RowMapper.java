/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import io.cdpconnect.common.FieldPath;
import io.cdpconnect.common.PlainJson;
import io.cdpconnect.common.RecordJson;
import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.WarehouseSinkConfig.PkMode;
import io.cdpconnect.warehouse.schema.ColumnType;
import io.cdpconnect.warehouse.schema.Identifiers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a {@link SinkRecord} into a {@link Row}: decodes the value (Struct, Map, JSON text or bytes), applies
 * the field mapping or include/exclude lists, adds the raw JSON column, the key columns and coerces the
 * partition column. Everything parsed from config is compiled once here.
 */
public final class RowMapper {

    private final TableRouter router;
    private final FieldPath[] mappingPaths;
    private final String[] mappingColumns;
    private final Set<String> include;
    private final Set<String> exclude;
    private final String rawColumn;
    private final boolean topLevelFields;
    private final PkMode pkMode;
    private final List<String> pkFields;
    private final boolean keyed;
    private final boolean deleteEnabled;
    private final CdcEnvelope cdc;
    private final String partitionColumn;
    /** cdc.delete.mode=soft: the column a delete sets to the event time and every upsert sets to NULL. */
    private final String softDeleteColumn;

    private final Map<Schema, StructPlan> plans = new IdentityHashMap<>();
    private final Map<String, String> validNames = new HashMap<>();
    private StructPlan lastPlan;

    public RowMapper(WarehouseSinkConfig config) {
        this.router = new TableRouter(config.tableNameFormat(), config.routingMaxTables());
        Map<String, String> mapping = config.fieldMapping();
        this.mappingPaths = new FieldPath[mapping.size()];
        this.mappingColumns = new String[mapping.size()];
        int i = 0;
        for (Map.Entry<String, String> e : mapping.entrySet()) {
            mappingPaths[i] = FieldPath.of(e.getKey());
            mappingColumns[i] = Identifiers.columnName(e.getValue());
            i++;
        }
        this.include = new HashSet<>(config.fieldsInclude());
        this.exclude = new HashSet<>(config.fieldsExclude());
        this.rawColumn = config.rawColumn().isEmpty() ? null : Identifiers.columnName(config.rawColumn());
        // With a raw column the event store keeps the document whole; extra columns only when asked for.
        this.topLevelFields = mappingPaths.length == 0 && (rawColumn == null || !include.isEmpty());
        this.pkMode = config.pkMode();
        this.pkFields = config.pkFields();
        this.keyed = pkMode != PkMode.NONE;
        this.deleteEnabled = config.deleteEnabled();
        this.cdc = new CdcEnvelope(config);
        this.partitionColumn = config.partitionColumn().isEmpty() ? null : config.partitionColumn();
        this.softDeleteColumn =
                config.softDeleteColumn() == null ? null : Identifiers.columnName(config.softDeleteColumn());
    }

    /** The table router, which knows the source name behind each table it returned. */
    public TableRouter router() {
        return router;
    }

    /** Primary key column names for a table written by this mapper, empty when there is no key. */
    public List<String> keyColumns(Row sample) {
        if (!keyed) {
            return List.of();
        }
        if (pkMode == PkMode.RECORD_VALUE || !pkFields.isEmpty()) {
            return pkFields;
        }
        return keyColumnsOf(sample);
    }

    private static List<String> keyColumnsOf(Row row) {
        return row.key() instanceof KeyColumns k ? k.columns : List.of("id");
    }

    /**
     * @return the row, or null for a tombstone that is skipped because delete.enabled is false
     * @throws DataException when the record cannot become a row (bad JSON, missing routing field or key, bad
     *                       identifier, value of an impossible type); the caller reports it as errant
     */
    public Row map(SinkRecord record) {
        if (!cdc.enabled()) {
            return map(record, record, deleteEnabled);
        }
        CdcEnvelope.Applied change = cdc.apply(record);
        return change.change() == CdcEnvelope.Change.SKIP ? null : map(record, change.record(), true);
    }

    /** Maps {@code record}; the row reports {@code original} (what the DLQ must get) when it fails. */
    private Row map(SinkRecord original, SinkRecord record, boolean deletes) {
        Object value = record.value();
        if (value == null) {
            if (!deletes) {
                return null;
            }
            String table = router.route(record.topic(), null);
            Builder b = new Builder(4);
            Object key = addKey(record, b);
            if (softDeleteColumn != null) {
                b.put(softDeleteColumn, ColumnType.TIMESTAMP, eventTime(record));
            }
            return b.build(original, table, key, true);
        }
        Object root = decode(value, record.valueSchema());
        String table = router.route(record.topic(), root);
        Builder b;
        if (mappingPaths.length == 0 && topLevelFields && root instanceof Struct struct) {
            StructPlan plan = plan(struct.schema());
            Object[] values = new Object[plan.fields.length];
            for (int i = 0; i < values.length; i++) {
                Field f = plan.fields[i];
                values[i] = Values.convert(struct.get(f), f.schema(), plan.types[i]);
            }
            b = new Builder(plan.columns, plan.types, values);
        } else {
            b = new Builder(mappingPaths.length > 0 ? mappingPaths.length + 2 : 16);
        }
        if (mappingPaths.length > 0) {
            for (int i = 0; i < mappingPaths.length; i++) {
                Object v = mappingPaths[i].get(root);
                Schema schema = root instanceof Struct s ? schemaAt(s.schema(), mappingPaths[i]) : null;
                b.add(mappingColumns[i], v, schema);
            }
        } else if (topLevelFields && !(root instanceof Struct)) {
            {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
                    String name = String.valueOf(e.getKey());
                    if (selected(name)) {
                        b.add(columnName(name), e.getValue(), null);
                    }
                }
            }
        }
        if (rawColumn != null) {
            // the map streamed as text: no copy of it, no tree (same text as writing its plain copy)
            String json = root instanceof Struct s
                    ? RecordJson.toJsonNode(s, s.schema(), false).toString()
                    : PlainJson.write(root);
            b.put(rawColumn, ColumnType.JSON, json);
        }
        Object key = keyed ? addKey(record, b) : null;
        if (partitionColumn != null) {
            int at = b.indexOf(partitionColumn);
            Object time = at < 0 ? null : Values.toInstant(b.values[at]);
            if (time == null) {
                throw new DataException("partition column '" + partitionColumn + "' is missing or null");
            }
            b.setType(at, ColumnType.TIMESTAMP);
            b.values[at] = time;
        }
        if (softDeleteColumn != null) {
            b.put(softDeleteColumn, ColumnType.TIMESTAMP, null); // live again after a soft delete
        }
        return b.build(original, table, key, false);
    }

    /** The soft-delete column, or null when deletes remove rows. */
    public String softDeleteColumn() {
        return softDeleteColumn;
    }

    /** When the change happened: the record timestamp (the MongoDB source sets the change's wall time). */
    private static java.time.Instant eventTime(SinkRecord record) {
        return record.timestamp() == null
                ? java.time.Instant.now()
                : java.time.Instant.ofEpochMilli(record.timestamp());
    }

    /** Plans are cached per schema instance: converters reuse one Schema object for a whole stream. */
    private StructPlan plan(Schema schema) {
        StructPlan plan = lastPlan;
        if (plan != null && plan.schema == schema) {
            return plan;
        }
        plan = plans.get(schema);
        if (plan == null) {
            List<Field> selectedFields = new ArrayList<>();
            for (Field field : schema.fields()) {
                if (selected(field.name())) {
                    selectedFields.add(field);
                }
            }
            int n = selectedFields.size();
            String[] columns = new String[n];
            ColumnType[] types = new ColumnType[n];
            for (int i = 0; i < n; i++) {
                columns[i] = Identifiers.columnName(selectedFields.get(i).name());
                types[i] = Values.typeOf(selectedFields.get(i).schema());
            }
            plan = new StructPlan(schema, columns, types, selectedFields.toArray(new Field[0]));
            if (plans.size() > 1_000) {
                plans.clear();
            }
            plans.put(schema, plan);
        }
        lastPlan = plan;
        return plan;
    }

    /** Field names of schemaless values, validated once each. */
    private String columnName(String name) {
        String known = validNames.get(name);
        if (known == null) {
            known = Identifiers.columnName(name);
            if (validNames.size() > 10_000) {
                validNames.clear();
            }
            validNames.put(known, known);
        }
        return known;
    }

    private boolean selected(String name) {
        return (include.isEmpty() || include.contains(name)) && !exclude.contains(name);
    }

    /**
     * A Struct stays a Struct; maps and JSON text or bytes become plain maps. A map that is plain already (what
     * JsonConverter gives) is used as it is, not copied: nothing here modifies it.
     */
    private static Object decode(Object value, Schema schema) {
        if (value instanceof Struct) {
            return value;
        }
        if (value instanceof Map) {
            return PlainJson.view(value);
        }
        Object plain = RecordJson.toPlain(value, schema, true);
        if (plain instanceof Map) {
            return plain;
        }
        throw new DataException("record value must be a struct, a map or a JSON object, not "
                + (plain == null ? "null" : plain.getClass().getSimpleName()));
    }

    private Object addKey(SinkRecord record, Builder b) {
        if (pkMode == PkMode.RECORD_VALUE) {
            Object[] key = new Object[pkFields.size()];
            for (int i = 0; i < key.length; i++) {
                int at = b.indexOf(pkFields.get(i));
                if (at < 0 || b.values[at] == null) {
                    throw new DataException("primary key field '" + pkFields.get(i) + "' is missing or null");
                }
                key[i] = b.values[at];
            }
            return key.length == 1 ? key[0] : Arrays.asList(key);
        }
        Object keyValue = record.key();
        if (keyValue == null) {
            throw new DataException("pk.mode=record_key but the record has no key");
        }
        Schema keySchema = record.keySchema();
        Object keyRoot = keyValue;
        if (!(keyValue instanceof Struct) && !(keyValue instanceof Map) && looksLikeJsonObject(keyValue)) {
            keyRoot = RecordJson.toPlain(keyValue, keySchema, true);
        }
        if (keyRoot instanceof Struct || keyRoot instanceof Map) {
            List<String> names = pkFields.isEmpty() ? fieldNames(keyRoot) : pkFields;
            Object[] key = new Object[names.size()];
            for (int i = 0; i < key.length; i++) {
                String name = names.get(i);
                Object v;
                Schema s = null;
                if (keyRoot instanceof Struct struct) {
                    Field f = struct.schema().field(name);
                    if (f == null) {
                        throw new DataException("key has no field '" + name + "'");
                    }
                    v = struct.get(f);
                    s = f.schema();
                } else {
                    v = ((Map<?, ?>) keyRoot).get(name);
                }
                if (v == null) {
                    throw new DataException("key field '" + name + "' is null");
                }
                b.put(Identifiers.columnName(name), Values.typeOf(v, s), Values.convert(v, s, Values.typeOf(v, s)));
                key[i] = b.values[b.indexOf(name)];
            }
            Object identity = key.length == 1 ? key[0] : Arrays.asList(key);
            return pkFields.isEmpty() ? new KeyColumns(names, identity) : identity;
        }
        String column = pkFields.isEmpty() ? "id" : pkFields.get(0);
        ColumnType type = Values.typeOf(keyValue, keySchema);
        Object converted = Values.convert(keyValue, keySchema, type);
        b.put(Identifiers.columnName(column), type, converted);
        return converted;
    }

    private static boolean looksLikeJsonObject(Object key) {
        if (key instanceof String s) {
            return s.startsWith("{");
        }
        if (key instanceof byte[] bytes) {
            return bytes.length > 0 && bytes[0] == '{';
        }
        return key instanceof ByteBuffer buffer && buffer.remaining() > 0 && buffer.get(buffer.position()) == '{';
    }

    private static List<String> fieldNames(Object keyRoot) {
        List<String> names = new ArrayList<>();
        if (keyRoot instanceof Struct struct) {
            struct.schema().fields().forEach(f -> names.add(f.name()));
        } else {
            ((Map<?, ?>) keyRoot).keySet().forEach(k -> names.add(String.valueOf(k)));
        }
        return names;
    }

    /** The schema at a dotted path of a Struct schema, or null where the path leaves known structure. */
    static Schema schemaAt(Schema schema, FieldPath path) {
        Schema current = schema;
        for (String segment : path.path().split("\\.")) {
            if (current == null) {
                return null;
            }
            switch (current.type()) {
                case STRUCT:
                    Field f = current.field(segment);
                    current = f == null ? null : f.schema();
                    break;
                case MAP:
                case ARRAY:
                    current = current.valueSchema();
                    break;
                default:
                    return null;
            }
        }
        return current;
    }

    /** Key identity of a record_key row whose column names came from the key itself (no pk.fields). */
    static final class KeyColumns {
        final List<String> columns;
        final Object identity;

        KeyColumns(List<String> columns, Object identity) {
            this.columns = columns;
            this.identity = identity;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyColumns k && k.identity.equals(identity);
        }

        @Override
        public int hashCode() {
            return identity.hashCode();
        }
    }

    /** Column names, types and fields of a Struct schema, computed once per schema. */
    private static final class StructPlan {
        final Schema schema;
        final String[] columns;
        final ColumnType[] types;
        final Field[] fields;

        StructPlan(Schema schema, String[] columns, ColumnType[] types, Field[] fields) {
            this.schema = schema;
            this.columns = columns;
            this.types = types;
            this.fields = fields;
        }
    }

    /**
     * Row under construction. Starts from arrays that may be shared with a {@link StructPlan}; copies them only
     * when a column is added or retyped (keys, partition column), so the common path allocates one value array.
     */
    private static final class Builder {
        String[] columns;
        ColumnType[] types;
        Object[] values;
        int size;
        boolean shared;

        Builder(int capacity) {
            columns = new String[capacity];
            types = new ColumnType[capacity];
            values = new Object[capacity];
        }

        Builder(String[] columns, ColumnType[] types, Object[] values) {
            this.columns = columns;
            this.types = types;
            this.values = values;
            this.size = columns.length;
            this.shared = true;
        }

        void add(String column, Object value, Schema schema) {
            ColumnType type = Values.typeOf(value, schema);
            put(column, type, Values.convert(value, schema, type));
        }

        /** Adds a column or replaces one of the same name (a key field overriding a value field). */
        void put(String column, ColumnType type, Object value) {
            int at = indexOf(column);
            if (at >= 0) {
                setType(at, type);
                values[at] = value;
                return;
            }
            if (shared || size == columns.length) {
                int capacity = Math.max(4, size * 2);
                columns = Arrays.copyOf(columns, capacity);
                types = Arrays.copyOf(types, capacity);
                values = Arrays.copyOf(values, capacity);
                shared = false;
            }
            columns[size] = column;
            types[size] = type;
            values[size] = value;
            size++;
        }

        void setType(int at, ColumnType type) {
            if (types[at] == type) {
                return;
            }
            if (shared) {
                columns = columns.clone();
                types = types.clone();
                shared = false;
            }
            types[at] = type;
        }

        int indexOf(String column) {
            for (int i = 0; i < size; i++) {
                if (columns[i].equals(column)) {
                    return i;
                }
            }
            return -1;
        }

        Row build(SinkRecord record, String table, Object key, boolean delete) {
            if (!shared && size != columns.length) {
                columns = Arrays.copyOf(columns, size);
                types = Arrays.copyOf(types, size);
                values = Arrays.copyOf(values, size);
            }
            return new Row(record, table, columns, types, values, key, delete);
        }
    }
}
