/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.docs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/** Renders a ConfigDef as Markdown: one table per group, options in their group order. */
final class ConfigDefMarkdown {

    private ConfigDefMarkdown() {}

    static String render(String pluginClass, ConfigDef def) {
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        for (String group : def.groups()) {
            byGroup.put(group, new ArrayList<>());
        }
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            String group = key.group == null ? "General" : key.group;
            byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(key);
        }
        StringBuilder out = new StringBuilder("\n### `").append(pluginClass).append("`\n");
        byGroup.forEach((group, keys) -> {
            if (keys.isEmpty()) {
                return;
            }
            keys.sort(Comparator.comparingInt((ConfigDef.ConfigKey k) -> k.orderInGroup)
                    .thenComparing(k -> k.name));
            out.append("\n#### ")
                    .append(group)
                    .append("\n\n")
                    .append("| Name | Type | Default | Valid values | Importance | Description |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey key : keys) {
                out.append("| `")
                        .append(key.name)
                        .append("` | ")
                        .append(key.type.name().toLowerCase())
                        .append(" | ")
                        .append(defaultOf(key))
                        .append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString()))
                        .append(" | ")
                        .append(
                                key.importance == null
                                        ? ""
                                        : key.importance.name().toLowerCase())
                        .append(" | ")
                        .append(cell(key.documentation))
                        .append(" |\n");
            }
        });
        return out.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "required";
        }
        Object value = key.defaultValue;
        if (value == null) {
            return "null";
        }
        if (value instanceof Password) {
            return "[hidden]";
        }
        if (value instanceof List<?> list) {
            value = String.join(",", list.stream().map(String::valueOf).toList());
        }
        String text = String.valueOf(value);
        return text.isEmpty() ? "\"\"" : "`" + cell(text) + "`";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
