package io.cdpconnect.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdpconnect.testing.ConnectRest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Applies a pipeline folder to any Kafka Connect cluster: every {@code *.json} connector config in it (the
 * {@code {"name": ..., "config": {...}}} form Connect's REST API uses) is first validated with
 * {@code PUT /connector-plugins/{class}/config/validate}; only when all are valid are they applied, in file name
 * order, with the idempotent {@code PUT /connectors/{name}/config}.
 *
 * <p>Overrides ({@code key=value}) replace the value of that key in every config that has it, also where it
 * is an SMT's or predicate's option ({@code warehouse.url} and {@code definitions.jdbc.url} also match
 * {@code transforms.validate.definitions.jdbc.url}), so one folder serves the local runner and a production
 * cluster.
 */
public final class PipelineApplier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectRest rest;
    private final PrintStream out;

    public PipelineApplier(String connectUrl, PrintStream out) {
        this.rest = new ConnectRest(connectUrl);
        this.out = out;
    }

    /** A connector config read from a pipeline file. */
    public record ConnectorConfig(Path file, String name, Map<String, String> config) {
        String connectorClass() {
            return config.get("connector.class");
        }
    }

    public static List<ConnectorConfig> read(Path pipelineDir, Map<String, String> overrides) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(pipelineDir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no connector configs (*.json) in " + pipelineDir);
        }
        List<ConnectorConfig> configs = new ArrayList<>();
        for (Path file : files) {
            JsonNode root = JSON.readTree(file.toFile());
            if (!root.path("name").isTextual() || !root.path("config").isObject()) {
                throw new IllegalArgumentException(file + ": expected {\"name\": ..., \"config\": {...}}");
            }
            Map<String, String> config = new LinkedHashMap<>();
            root.get("config").fields().forEachRemaining(e ->
                    config.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            applyOverrides(config, overrides);
            configs.add(new ConnectorConfig(file, root.get("name").asText(), config));
        }
        return configs;
    }

    static void applyOverrides(Map<String, String> config, Map<String, String> overrides) {
        for (Map.Entry<String, String> entry : config.entrySet()) {
            String key = entry.getKey();
            overrides.forEach((overrideKey, value) -> {
                if (key.equals(overrideKey) || key.endsWith("." + overrideKey)) {
                    entry.setValue(value);
                }
            });
        }
    }

    /** Validates every config; prints each error; returns the number of configs with errors. */
    public int validate(List<ConnectorConfig> configs) {
        int invalid = 0;
        for (ConnectorConfig c : configs) {
            String pluginClass = c.connectorClass();
            if (pluginClass == null) {
                out.printf("✗ %s (%s): no connector.class%n", c.name(), c.file().getFileName());
                invalid++;
                continue;
            }
            // Connect validates the name too; PUT /connectors/{name}/config takes it from the path instead.
            Map<String, String> withName = new LinkedHashMap<>(c.config());
            withName.putIfAbsent("name", c.name());
            JsonNode answer = rest.put("/connector-plugins/" + encode(pluginClass) + "/config/validate",
                    write(withName));
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
                    out.printf("    %s = %s%n      %s%n", value.path("name").asText(),
                            config.path("definition").path("type").asText().equals("PASSWORD")
                                    ? "[hidden]" : value.path("value").asText(), error.asText());
                }
            }
        }
        return invalid;
    }

    /** Fails unless the cluster answers and has discovered the plugin class of every config. */
    public void pluginsReady(List<ConnectorConfig> configs) {
        JsonNode plugins = rest.get("/connector-plugins?connectorsOnly=false");
        java.util.Set<String> classes = new java.util.HashSet<>();
        plugins.forEach(p -> classes.add(p.path("class").asText()));
        for (ConnectorConfig c : configs) {
            if (!classes.contains(c.connectorClass())) {
                throw new IllegalStateException("plugin " + c.connectorClass() + " not found on the worker");
            }
        }
    }

    /** Creates or updates each connector; PUT makes re-applying the same folder a no-op. */
    public void apply(List<ConnectorConfig> configs) {
        for (ConnectorConfig c : configs) {
            rest.put("/connectors/" + encode(c.name()) + "/config", write(c.config()));
            out.printf("→ applied %s%n", c.name());
        }
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String write(Map<String, String> config) {
        ObjectNode node = JSON.createObjectNode();
        config.forEach(node::put);
        return node.toString();
    }

    /** {@code PipelineApplier <connect-url> <pipeline-dir> [key=value ...]} */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: cdp-apply <connect-url> <pipeline-dir> [key=value ...]");
            System.exit(2);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("override must be key=value: " + args[i]);
                System.exit(2);
            }
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        PipelineApplier applier = new PipelineApplier(args[0], System.out);
        List<ConnectorConfig> configs = read(Path.of(args[1]), overrides);
        int invalid = applier.validate(configs);
        if (invalid > 0) {
            System.out.printf("%d connector config(s) invalid; nothing applied%n", invalid);
            System.exit(1);
        }
        applier.apply(configs);
    }
}
