/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdpconnect.rest.ConnectRest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Applies a pipeline folder to any Kafka Connect cluster: every {@code *.json} connector config in it (the
 * {@code {"name": ..., "config": {...}}} form Connect's REST API uses), with the folder's schema and template
 * files put in ({@link PipelineDefinitions}) and the command line's overrides applied ({@link Overrides}), is first
 * validated with {@code PUT /connector-plugins/{class}/config/validate}; {@link #plan} shows what would change
 * against the running cluster; only when all are valid are they applied, in file name order, with the idempotent
 * {@code PUT /connectors/{name}/config}.
 *
 * <p>A connector belongs to a pipeline by the label {@value #PIPELINE_LABEL}{@code =<folder name>} that
 * {@link #apply} adds to its config (Connect keeps unknown keys and passes them on untouched). {@link #prune}
 * deletes the labelled connectors the folder no longer has; connectors without the label are never touched.
 */
public final class PipelineApplier {

    /** Config key recording which pipeline created a connector. */
    public static final String PIPELINE_LABEL = "cdp.pipeline";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectRest rest;
    private final PrintStream out;

    public PipelineApplier(String connectUrl, PrintStream out) {
        this.rest = new ConnectRest(connectUrl);
        this.out = out;
    }

    /** A connector config read from a pipeline file, with notes on what definitions and overrides changed. */
    public static final class ConnectorConfig {
        private final Path file;
        private final String name;
        private final String pipeline;
        private final Map<String, String> config;
        private final List<String> notes = new ArrayList<>();
        private Overrides.Pending pending = new Overrides.Pending();

        ConnectorConfig(Path file, String name, String pipeline, Map<String, String> config) {
            this.file = file;
            this.name = name;
            this.pipeline = pipeline;
            this.config = config;
        }

        public Path file() {
            return file;
        }

        public String name() {
            return name;
        }

        /** The folder name of the pipeline this connector belongs to. */
        public String pipeline() {
            return pipeline;
        }

        /** The config as it will be PUT (mutable: overrides are applied in place). */
        public Map<String, String> config() {
            return config;
        }

        /** What was inlined, replaced or added, in order, for the report. */
        public List<String> notes() {
            return notes;
        }

        void pending(Overrides.Pending pending) {
            this.pending = pending;
        }

        Overrides.Pending pending() {
            return pending;
        }

        String connectorClass() {
            return config.get("connector.class");
        }

        /** The config with the pipeline label, as {@link #apply} PUTs it. */
        Map<String, String> labelled() {
            Map<String, String> withLabel = new LinkedHashMap<>(config);
            withLabel.put(PIPELINE_LABEL, pipeline);
            return withLabel;
        }
    }

    /** Reads a folder with pipeline-wide {@code key=value} overrides and the folder's definitions inlined. */
    public static List<ConnectorConfig> read(Path pipelineDir, Map<String, String> overrides) throws IOException {
        return load(pipelineDir, Overrides.fromMap(overrides), null, false).connectors();
    }

    /**
     * Reads a folder: connector files in name order, then the folder's definitions (inlined, or pointed at
     * {@code jdbc} when given; everywhere when {@code offline}, for the dry run), then the overrides (so an override can still replace what the definitions set).
     */
    static Pipeline load(
            Path pipelineDir, List<Overrides.Override> overrides, PipelineDefinitions.JdbcTarget jdbc, boolean offline)
            throws IOException {
        if (!Files.isDirectory(pipelineDir)) {
            throw new IllegalArgumentException("no pipeline folder " + pipelineDir);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(pipelineDir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no connector configs (*.json) in " + pipelineDir);
        }
        String pipeline = pipelineDir.toAbsolutePath().normalize().getFileName().toString();
        PipelineDefinitions definitions = PipelineDefinitions.read(pipelineDir);
        List<ConnectorConfig> configs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null
                    || !root.path("name").isTextual()
                    || !root.path("config").isObject()) {
                throw new IllegalArgumentException(file + ": expected {\"name\": ..., \"config\": {...}}");
            }
            Map<String, String> config = new LinkedHashMap<>();
            root.get("config")
                    .fields()
                    .forEachRemaining(e -> config.put(
                            e.getKey(),
                            e.getValue().isValueNode()
                                    ? e.getValue().asText()
                                    : e.getValue().toString()));
            ConnectorConfig c = new ConnectorConfig(file, root.get("name").asText(), pipeline, config);
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(file + ": a second connector named " + c.name());
            }
            c.notes().addAll(definitions.inlineInto(config, jdbc, offline));
            configs.add(c);
        }
        Overrides.Pending pending = Overrides.apply(configs, overrides);
        return new Pipeline(pipeline, pipelineDir, configs, definitions, pending);
    }

    /** What {@link #load} read: the connectors, the folder's definitions and the overrides no file key matched. */
    record Pipeline(
            String name,
            Path dir,
            List<ConnectorConfig> connectors,
            PipelineDefinitions definitions,
            Overrides.Pending pending) {}

    /**
     * Replaces keys ending in an override's key, for the local runner's own connection settings (which a pipeline
     * may not use: an unmatched one is not an error there). User overrides go through {@link Overrides}.
     */
    static void applyOverrides(Map<String, String> config, Map<String, String> overrides) {
        for (Map.Entry<String, String> entry : config.entrySet()) {
            overrides.forEach((overrideKey, value) -> {
                if (Overrides.matches(entry.getKey(), overrideKey)) {
                    entry.setValue(value);
                }
            });
        }
    }

    /**
     * Validates every config; prints what definitions and overrides did and each error; returns the number of
     * configs with errors (plus one per override that matched no key and no option of any connector).
     */
    public int validate(List<ConnectorConfig> configs) {
        int invalid = 0;
        Set<Overrides.Pending> pendings = new java.util.LinkedHashSet<>();
        for (ConnectorConfig c : configs) {
            String pluginClass = c.connectorClass();
            if (pluginClass == null) {
                out.printf("✗ %s (%s): no connector.class%n", c.name(), c.file().getFileName());
                invalid++;
                continue;
            }
            placePending(c);
            pendings.add(c.pending());
            for (String note : c.notes()) {
                out.printf("  %s: %s%n", c.name(), note);
            }
            // Connect validates the name too; PUT /connectors/{name}/config takes it from the path instead.
            Map<String, String> withName = new LinkedHashMap<>(c.config());
            withName.putIfAbsent("name", c.name());
            JsonNode answer =
                    rest.put("/connector-plugins/" + encode(pluginClass) + "/config/validate", write(withName));
            int errors = answer.path("error_count").asInt();
            if (errors == 0) {
                out.printf("✓ %s (%s) is valid%n", c.name(), c.file().getFileName());
                continue;
            }
            invalid++;
            out.printf("✗ %s (%s): %d error(s)%n", c.name(), c.file().getFileName(), errors);
            for (JsonNode config : answer.path("configs")) {
                JsonNode value = config.path("value");
                for (JsonNode error : value.path("errors")) {
                    out.printf(
                            "    %s = %s%n      %s%n",
                            value.path("name").asText(),
                            config.path("definition").path("type").asText().equals("PASSWORD")
                                    ? "[hidden]"
                                    : value.path("value").asText(),
                            error.asText());
                }
            }
        }
        for (Overrides.Pending pending : pendings) {
            for (String key : pending.unplaced()) {
                invalid++;
                out.printf(
                        "✗ override %s=%s matches no key in the pipeline's configs and no option of their "
                                + "connectors; use connector-name:%s=VALUE to add it to one connector%n",
                        key,
                        Overrides.isSecret(key) ? "[hidden]" : pending.values().get(key),
                        key);
            }
        }
        return invalid;
    }

    /** Adds the pending overrides this connector's plugin defines as options (reported on the config). */
    private void placePending(ConnectorConfig c) {
        if (c.pending().isEmpty()) {
            return;
        }
        Set<String> options = new HashSet<>();
        try {
            rest.get("/connector-plugins/" + encode(c.connectorClass()) + "/config")
                    .forEach(o -> options.add(o.path("name").asText()));
        } catch (ConnectRest.RestException e) {
            return; // an unknown plugin is reported by the validation itself
        }
        c.pending().values().forEach((key, value) -> {
            if (options.contains(key) && !c.config().containsKey(key)) {
                c.config().put(key, value);
                c.notes()
                        .add("added " + key + " (override " + key + "=" + (Overrides.isSecret(key) ? "[hidden]" : value)
                                + "; an option of " + simpleName(c.connectorClass()) + " not in the file)");
            }
            if (options.contains(key)) {
                c.pending().placed(key);
            }
        });
    }

    /** Fails unless the cluster answers and has discovered the plugin class of every config. */
    public void pluginsReady(List<ConnectorConfig> configs) {
        JsonNode plugins = rest.get("/connector-plugins?connectorsOnly=false");
        Set<String> classes = new HashSet<>();
        plugins.forEach(p -> classes.add(p.path("class").asText()));
        for (ConnectorConfig c : configs) {
            if (!classes.contains(c.connectorClass())) {
                throw new IllegalStateException("plugin " + c.connectorClass() + " not found on the worker");
            }
        }
    }

    /** What {@link #plan} found: connectors to create, to update, unchanged, and labelled ones the folder lacks. */
    public record Plan(
            List<String> added, Map<String, List<String>> changed, List<String> unchanged, List<String> orphaned) {
        public boolean changesNothing() {
            return added.isEmpty() && changed.isEmpty();
        }
    }

    /** Compares the configs with the running cluster and prints the differences, key by key. */
    public Plan plan(List<ConnectorConfig> configs) {
        List<String> added = new ArrayList<>();
        Map<String, List<String>> changed = new LinkedHashMap<>();
        List<String> unchanged = new ArrayList<>();
        Set<String> existing = new HashSet<>();
        rest.get("/connectors").forEach(n -> existing.add(n.asText()));
        for (ConnectorConfig c : configs) {
            Map<String, String> desired = c.labelled();
            if (!existing.contains(c.name())) {
                added.add(c.name());
                out.printf("+ %s: new connector (%d keys)%n", c.name(), desired.size());
                continue;
            }
            Map<String, String> running = new LinkedHashMap<>();
            rest.get("/connectors/" + encode(c.name()) + "/config")
                    .fields()
                    .forEachRemaining(e -> running.put(e.getKey(), e.getValue().asText()));
            running.remove("name");
            List<String> diff = diff(running, desired);
            if (diff.isEmpty()) {
                unchanged.add(c.name());
                out.printf("= %s: unchanged%n", c.name());
            } else {
                changed.put(c.name(), diff);
                out.printf("~ %s: %d key(s) differ%n", c.name(), diff.size());
                diff.forEach(line -> out.printf("    %s%n", line));
            }
        }
        List<String> orphaned = orphans(configs);
        orphaned.forEach(name -> out.printf(
                "- %s: in the cluster with %s=%s but not in the folder (--prune deletes " + "it)%n",
                name, PIPELINE_LABEL, configs.get(0).pipeline()));
        return new Plan(added, changed, unchanged, orphaned);
    }

    static List<String> diff(Map<String, String> running, Map<String, String> desired) {
        List<String> lines = new ArrayList<>();
        for (String key : new TreeSet<>(union(running.keySet(), desired.keySet()))) {
            String before = running.get(key);
            String after = desired.get(key);
            if (before == null) {
                lines.add("+ " + key + " = " + shown(key, after));
            } else if (after == null) {
                lines.add("- " + key + " (was " + shown(key, before) + ")");
            } else if (!before.equals(after)) {
                lines.add("~ " + key + ": " + shown(key, before) + " → " + shown(key, after));
            }
        }
        return lines;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static String shown(String key, String value) {
        if (Overrides.isSecret(key)) {
            return "[hidden]";
        }
        return value.length() > 80 ? value.substring(0, 60) + "… (" + value.length() + " chars)" : value;
    }

    /** Connectors in the cluster labelled with this pipeline that the folder does not have. */
    List<String> orphans(List<ConnectorConfig> configs) {
        if (configs.isEmpty()) {
            return List.of();
        }
        Set<String> inFolder = new HashSet<>();
        configs.forEach(c -> inFolder.add(c.name()));
        List<String> orphans = new ArrayList<>();
        for (String name : labelled(configs.get(0).pipeline())) {
            if (!inFolder.contains(name)) {
                orphans.add(name);
            }
        }
        return orphans;
    }

    /** Names of the connectors in the cluster whose config carries {@code cdp.pipeline=<pipeline>}. */
    List<String> labelled(String pipeline) {
        List<String> names = new ArrayList<>();
        JsonNode all = rest.get("/connectors?expand=info");
        all.fields().forEachRemaining(e -> {
            if (pipeline.equals(e.getValue()
                    .path("info")
                    .path("config")
                    .path(PIPELINE_LABEL)
                    .asText(null))) {
                names.add(e.getKey());
            }
        });
        names.sort(null);
        return names;
    }

    /** Deletes the connectors of this pipeline the folder no longer has. */
    public List<String> prune(List<ConnectorConfig> configs) {
        List<String> orphans = orphans(configs);
        for (String name : orphans) {
            rest.delete("/connectors/" + encode(name));
            out.printf("→ deleted %s (no longer in the folder)%n", name);
        }
        return orphans;
    }

    /** Creates or updates each connector, labelled with its pipeline; PUT makes re-applying a no-op. */
    public void apply(List<ConnectorConfig> configs) {
        for (ConnectorConfig c : configs) {
            rest.put("/connectors/" + encode(c.name()) + "/config", write(c.labelled()));
            out.printf("→ applied %s%n", c.name());
        }
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String simpleName(String className) {
        return className == null ? "?" : className.substring(className.lastIndexOf('.') + 1);
    }

    private static String write(Map<String, String> config) {
        ObjectNode node = JSON.createObjectNode();
        config.forEach(node::put);
        return node.toString();
    }

    /**
     * Runs {@code cdp-apply} with these arguments (see {@link CdpApply}) and returns its exit code: what
     * {@code bin/cdp-apply} does, for tests and embedding.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return CdpApply.run(args, out, err);
    }

    /** {@code cdp-apply}: see {@link CdpApply}. */
    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            // Before any logger exists: only warnings from libraries, the command's own lines on stdout.
            System.setProperty("log4j2.configurationFile", "classpath:cdp-apply-log4j2.properties");
        }
        System.exit(CdpApply.run(args, System.out, System.err));
    }
}
