/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code key=value} and {@code connector-name:key=value} arguments of {@code cdp-apply}, and what each did.
 *
 * <ul>
 *   <li>{@code key=value} replaces {@code key} in every connector config of the pipeline that has it, also where
 *       it is an SMT's or a predicate's option ({@code definitions.jdbc.url} replaces
 *       {@code transforms.validate.definitions.jdbc.url}). Every replaced key is reported.</li>
 *   <li>{@code name:key=value} sets {@code key} in connector {@code name} only: replaced when present, added
 *       otherwise. An unknown connector name is an error.</li>
 *   <li>A {@code key=value} that matches no key in the files stays <em>pending</em>: when the pipeline is validated
 *       against a cluster, it is added to each connector whose plugin defines that option (reported), and it is an
 *       error, reported by {@link PipelineApplier#validate}, when no connector of the pipeline does. Nothing is
 *       silently ignored.</li>
 * </ul>
 */
final class Overrides {

    /** One override argument. {@code connector} is null for a pipeline-wide one. */
    record Override(String connector, String key, String value) {
        @java.lang.Override
        public String toString() {
            return (connector == null ? "" : connector + ":") + key + "=" + value;
        }
    }

    /** The pipeline-wide overrides that matched no key in the files; shared by every config of one pipeline. */
    static final class Pending {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Set<String> placed = new LinkedHashSet<>();

        Map<String, String> values() {
            return values;
        }

        void placed(String key) {
            placed.add(key);
        }

        /** Keys still placed nowhere: errors once every connector has been checked. */
        List<String> unplaced() {
            List<String> out = new ArrayList<>();
            for (String key : values.keySet()) {
                if (!placed.contains(key)) {
                    out.add(key);
                }
            }
            return out;
        }

        boolean isEmpty() {
            return values.isEmpty();
        }
    }

    private Overrides() {}

    /** Parses {@code key=value} or {@code connector:key=value}; the value may contain ':' and '='. */
    static Override parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("override must be key=value or connector-name:key=value: " + arg);
        }
        String left = arg.substring(0, eq);
        String value = arg.substring(eq + 1);
        int colon = left.indexOf(':');
        if (colon == 0 || colon == left.length() - 1) {
            throw new IllegalArgumentException("override must be key=value or connector-name:key=value: " + arg);
        }
        return colon < 0
                ? new Override(null, left, value)
                : new Override(left.substring(0, colon), left.substring(colon + 1), value);
    }

    static List<Override> fromMap(Map<String, String> map) {
        List<Override> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(parse(k + "=" + v)));
        return out;
    }

    /** Whether config key {@code key} is what override key {@code overrideKey} names. */
    static boolean matches(String key, String overrideKey) {
        return key.equals(overrideKey) || key.endsWith("." + overrideKey);
    }

    /**
     * Applies the overrides to the configs, notes on each config what it replaced or added, and returns the
     * pipeline-wide overrides that matched no key (see {@link Pending}).
     */
    static Pending apply(List<PipelineApplier.ConnectorConfig> configs, List<Override> overrides) {
        Pending pending = new Pending();
        for (Override o : overrides) {
            if (o.connector() != null) {
                PipelineApplier.ConnectorConfig target = configs.stream()
                        .filter(c -> c.name().equals(o.connector()))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("override " + o + ": the pipeline has no "
                                + "connector named '" + o.connector() + "' (it has "
                                + configs.stream()
                                        .map(PipelineApplier.ConnectorConfig::name)
                                        .toList() + ")"));
                String before = target.config().put(o.key(), o.value());
                target.notes()
                        .add(
                                before == null
                                        ? "added " + o.key() + " (override " + redacted(o) + ")"
                                        : "replaced " + o.key() + " (override " + redacted(o) + ")");
                continue;
            }
            boolean matched = false;
            for (PipelineApplier.ConnectorConfig c : configs) {
                List<String> replaced = new ArrayList<>();
                for (Map.Entry<String, String> entry : c.config().entrySet()) {
                    if (matches(entry.getKey(), o.key())) {
                        entry.setValue(o.value());
                        replaced.add(entry.getKey());
                    }
                }
                if (!replaced.isEmpty()) {
                    matched = true;
                    c.notes().add("replaced " + String.join(", ", replaced) + " (override " + redacted(o) + ")");
                }
            }
            if (!matched) {
                pending.values().put(o.key(), o.value());
            }
        }
        for (PipelineApplier.ConnectorConfig c : configs) {
            c.pending(pending);
        }
        return pending;
    }

    /** The override as printed: values of secret-looking keys hidden. */
    static String redacted(Override o) {
        return (o.connector() == null ? "" : o.connector() + ":") + o.key() + "="
                + (isSecret(o.key()) ? "[hidden]" : o.value());
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.endsWith(".key") || k.contains("token");
    }
}
