/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import io.cdpconnect.common.FieldPath;
import io.cdpconnect.common.config.CrossOptionChecks;
import io.cdpconnect.warehouse.schema.Identifiers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;

/**
 * Resolves {@code table.name.format}: literals, {@code ${topic}} and {@code ${path}} value fields. Parsed once;
 * names that depend only on the topic are cached.
 *
 * <p>Sanitising (lower case, {@code [a-z0-9_]}) can map two distinct names to one table ({@code shop.orders} and
 * {@code shop_orders}, {@code Page View} and {@code page_view}). Writing both there would merge two streams, so the
 * router remembers the rendered name (the source) behind every table it returned and fails on a second one. The
 * table manager checks the same against the source stored with the table, across tasks and restarts. Value-based
 * routing is also capped at {@code table.routing.max.tables} distinct tables.
 */
public final class TableRouter {

    private static final String TOPIC = "topic";

    private final String format;
    private final List<Object> parts = new ArrayList<>();
    private final boolean topicOnly;
    private final Map<String, String> byTopic = new HashMap<>();
    /** Table name to the rendered, unsanitised name it came from. */
    private final Map<String, String> sources = new HashMap<>();

    private final int maxTables;

    public TableRouter(String format) {
        this(format, Integer.MAX_VALUE);
    }

    /** @param maxTables distinct tables value-based routing may return ({@code table.routing.max.tables}) */
    public TableRouter(String format, int maxTables) {
        this.format = format;
        this.maxTables = maxTables;
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
                cached = claim(render(topic, null));
                byTopic.put(topic, cached);
            }
            return cached;
        }
        if (value == null) {
            throw new DataException("table.name.format '" + format + "' uses value fields; a record without a "
                    + "value (tombstone) cannot be routed");
        }
        return claim(render(topic, value));
    }

    public String format() {
        return format;
    }

    /** The rendered name behind a table this router returned, or null. */
    public String sourceOf(String table) {
        return sources.get(table);
    }

    /** The sanitised name, refused when another rendered name already owns it or the cap is reached. */
    private String claim(String rendered) {
        String table = Identifiers.tableName(rendered);
        String known = sources.get(table);
        if (known == null) {
            if (!topicOnly && sources.size() >= maxTables) {
                throw new ConnectException("table.name.format '" + format + "' would route to a table number "
                        + (maxTables + 1) + ", " + table + " (from '" + rendered + "'), beyond "
                        + "table.routing.max.tables=" + maxTables + " in this task. Routing on a field with "
                        + "unbounded values (an id rather than a type) would create a table per value, so the task "
                        + "stops; nothing of this record was written. Fix the routing field, or raise "
                        + "table.routing.max.tables if that many tables are intended, then restart the task.");
            }
            sources.put(table, rendered);
        } else if (!known.equals(rendered)) {
            throw collision(format, table, known, rendered);
        }
        return table;
    }

    /** Two rendered names sanitised to one table: a systemic error naming both and the fix. */
    public static ConnectException collision(String format, String table, String first, String second) {
        return new ConnectException("table.name.format '" + format + "' maps two distinct names to the table "
                + table + ": '" + first + "' and '" + second + "' (names are lower-cased and characters other than "
                + "a-z, 0-9 and _ become _). Writing both into one table would merge two streams, so the task stops "
                + "and nothing of the second was written. Fix: make the names distinct after that rule (rename the "
                + "topic, or normalise the routing field upstream, e.g. with an SMT), or use a table.name.format "
                + "that keeps them apart; to merge them on purpose, route both to one literal table name.");
    }

    /**
     * At validate: the tables the configured topics map to, for a format that depends on the topic only, must be
     * legal and distinct per topic.
     */
    public static void checkTopics(String format, List<String> topics) {
        TableRouter router = new TableRouter(format);
        if (router.usesValueFields()) {
            return;
        }
        for (String topic : topics) {
            try {
                router.route(topic, null);
            } catch (DataException invalid) {
                throw CrossOptionChecks.problem(
                        "table.name.format", format, "topic " + topic + ": " + invalid.getMessage());
            } catch (ConnectException collision) {
                throw CrossOptionChecks.problem("table.name.format", format, collision.getMessage());
            }
        }
    }

    private String render(String topic, Object value) {
        StringBuilder out = new StringBuilder(32);
        for (Object part : parts) {
            if (part == Placeholder.TOPIC) {
                out.append(topic);
            } else if (part instanceof FieldPath path) {
                String field = path.getString(value);
                if (field == null || field.isBlank()) {
                    throw new DataException(
                            "routing field '" + path + "' of table.name.format '" + format + "' is missing or empty");
                }
                out.append(field);
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    private enum Placeholder {
        TOPIC
    }
}
