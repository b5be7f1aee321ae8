package io.cdpconnect.warehouse.record;

import io.cdpconnect.common.FieldPath;
import io.cdpconnect.warehouse.schema.Identifiers;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code table.name.format}: literals, {@code ${topic}} and {@code ${path}} value fields. Parsed once;
 * names that depend only on the topic are cached.
 */
public final class TableRouter {

    private static final String TOPIC = "topic";

    private final String format;
    private final List<Object> parts = new ArrayList<>();
    private final boolean topicOnly;
    private final Map<String, String> byTopic = new HashMap<>();

    public TableRouter(String format) {
        this.format = format;
        int i = 0;
        boolean usesFields = false;
        while (i < format.length()) {
            int open = format.indexOf("${", i);
            if (open < 0) {
                parts.add(format.substring(i));
                break;
            }
            if (open > i) {
                parts.add(format.substring(i, open));
            }
            int close = format.indexOf('}', open);
            if (close < 0) {
                throw new ConfigException("table.name.format", format, "unclosed ${");
            }
            String name = format.substring(open + 2, close).trim();
            if (name.equals(TOPIC)) {
                parts.add(Placeholder.TOPIC);
            } else {
                try {
                    parts.add(FieldPath.of(name));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("table.name.format", format, e.getMessage());
                }
                usesFields = true;
            }
            i = close + 1;
        }
        this.topicOnly = !usesFields;
    }

    /** True when the table name depends on the value, so a tombstone (no value) cannot be routed. */
    public boolean usesValueFields() {
        return !topicOnly;
    }

    /**
     * The sanitised table name for a record.
     *
     * @param value the decoded value (Struct or Map), null for a tombstone
     * @throws DataException when a routing field is missing or the name is not a legal identifier
     */
    public String route(String topic, Object value) {
        if (topicOnly) {
            String cached = byTopic.get(topic);
            if (cached == null) {
                cached = Identifiers.tableName(render(topic, null));
                byTopic.put(topic, cached);
            }
            return cached;
        }
        if (value == null) {
            throw new DataException("table.name.format '" + format + "' uses value fields; a record without a "
                    + "value (tombstone) cannot be routed");
        }
        return Identifiers.tableName(render(topic, value));
    }

    private String render(String topic, Object value) {
        StringBuilder out = new StringBuilder(32);
        for (Object part : parts) {
            if (part == Placeholder.TOPIC) {
                out.append(topic);
            } else if (part instanceof FieldPath path) {
                String field = path.getString(value);
                if (field == null || field.isBlank()) {
                    throw new DataException("routing field '" + path + "' of table.name.format '" + format
                            + "' is missing or empty");
                }
                out.append(field);
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    private enum Placeholder { TOPIC }
}
