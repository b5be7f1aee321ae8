/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.common.FieldPath;
import io.cdpconnect.common.RecordJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * {@code cdp-apply --dry-run SAMPLES.jsonl PIPELINE}: runs each connector's converters and transform chain — our
 * SMTs and Kafka's built-ins, loaded from the bundle through Connect's own plugin isolation and configured exactly
 * as the pipeline's JSON says, predicates, {@code negate} and {@code errors.tolerance} included — on sample
 * records, offline, and prints per record and connector: each stage's verdict (valid, or invalid with the JSON
 * pointers and messages), the rendered output, where it would land (table, topic, Aerospike key) or that it
 * would go to the DLQ, be dropped, or fail the task.
 *
 * <p>One sample per line: {@code {"topic": "events.raw", "key": "u-1", "value": {...}, "headers": {"h": "v"},
 * "expect": "written"}}. {@code value} and {@code key} are what a producer wrote (a JSON string is sent as its
 * text to a {@code StringConverter}, as JSON otherwise). Sink connectors reading the topic process the sample;
 * {@code "connector": "name"} sends it to that connector only (for a source connector's chain). {@code expect} is
 * the outcome the sample must have: {@code written} (default), {@code dropped}, {@code dlq} or {@code failed} — or an
 * object of those by connector name ({@code "*"} for the rest). A sample whose outcome differs fails the run.
 *
 * <p>What the dry run does not see: the sink's own write (a value that does not fit its column is dead-lettered by
 * the sink at run time) and definitions kept in a database ({@code definitions.source=jdbc}).
 */
@SuppressWarnings({"rawtypes", "unchecked"}) // Connect's plugin interfaces are generic in the record type
final class DryRun implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What happens to a record in one connector. */
    enum Outcome {
        WRITTEN,
        DROPPED,
        DLQ,
        FAILED,
        SKIPPED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record Result(int samples, int failed) {}

    private final Plugins plugins;
    private final PrintStream out;

    private DryRun(Plugins plugins, PrintStream out) {
        this.plugins = plugins;
        this.out = out;
    }

    /** Loads the bundle's plugins the way a worker does (plugin.path = the bundle). */
    static DryRun open(Path bundle, PrintStream out) {
        if (!Files.isDirectory(bundle)) {
            throw new IllegalArgumentException("no bundle folder " + bundle + " (build it, or pass --bundle DIR)");
        }
        Map<String, String> worker = Map.of(
                "plugin.path",
                bundle.toAbsolutePath().toString(),
                "plugin.discovery",
                "service_load"); // every bundled plugin has ServiceLoader manifests
        return new DryRun(new Plugins(worker), out);
    }

    Result run(PipelineApplier.Pipeline pipeline, Path samplesFile) throws IOException {
        List<Chain> chains = new ArrayList<>();
        int failed = 0;
        try {
            failed += unplacedOverrides(pipeline);
            for (PipelineApplier.ConnectorConfig c : pipeline.connectors()) {
                c.notes().forEach(note -> out.printf("  %s: %s%n", c.name(), note));
                chains.add(new Chain(c));
            }
            List<String> lines = Files.readAllLines(samplesFile, StandardCharsets.UTF_8);
            int samples = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty() || line.startsWith("//")) {
                    continue;
                }
                samples++;
                if (!sample(i + 1, line, chains)) {
                    failed++;
                }
            }
            out.printf("dry run of %s: %d sample(s), %d failed%n", pipeline.name(), samples, failed);
            return new Result(samples, failed);
        } finally {
            chains.forEach(Chain::close);
        }
    }

    /** Overrides no file key matched: placed on connectors whose plugin defines the option, else an error. */
    private int unplacedOverrides(PipelineApplier.Pipeline pipeline) {
        Overrides.Pending pending = pipeline.pending();
        if (pending.isEmpty()) {
            return 0;
        }
        for (PipelineApplier.ConnectorConfig c : pipeline.connectors()) {
            Connector connector = plugins.newConnector(c.connectorClass());
            Set<String> options = connector.config().names();
            pending.values().forEach((key, value) -> {
                if (options.contains(key)) {
                    c.config().putIfAbsent(key, value);
                    pending.placed(key);
                }
            });
        }
        List<String> unplaced = pending.unplaced();
        unplaced.forEach(key -> out.printf(
                "✗ override %s matches no key in the pipeline's configs and no option of " + "their connectors%n",
                key));
        return unplaced.size();
    }

    private boolean sample(int lineNo, String line, List<Chain> chains) {
        JsonNode sample;
        try {
            sample = JSON.readTree(line);
        } catch (IOException e) {
            out.printf("sample line %d: ✗ not JSON: %s%n", lineNo, e.getMessage());
            return false;
        }
        String topic = sample.path("topic").asText(null);
        String only = sample.path("connector").asText(null);
        String label = sample.path("note")
                .asText(sample.path("value").path("event_type").asText(""));
        out.printf("sample line %d: topic %s%s%n", lineNo, topic, label.isEmpty() ? "" : " (" + label + ")");
        if (topic == null && only == null) {
            out.println("  ✗ a sample needs \"topic\" (or \"connector\")");
            return false;
        }
        boolean ok = true;
        int ran = 0;
        for (Chain chain : chains) {
            if (only != null ? !only.equals(chain.name) : !chain.reads(topic)) {
                continue;
            }
            ran++;
            Outcome outcome = chain.run(sample, lineNo, topic != null ? topic : chain.name);
            String expected = expected(sample.path("expect"), chain.name);
            boolean as = expected.equals(outcome.label());
            out.printf(
                    "  %s %s: %s%s%n",
                    as ? "✓" : "✗", chain.name, outcome.label(), as ? "" : " — expected " + expected);
            ok &= as;
        }
        if (ran == 0) {
            out.printf("  ✗ no connector of the pipeline reads %s%n", only != null ? "for " + only : "topic " + topic);
            return false;
        }
        return ok;
    }

    private static String expected(JsonNode expect, String connector) {
        if (expect.isTextual()) {
            return expect.asText().toLowerCase(Locale.ROOT);
        }
        if (expect.isObject()) {
            return expect.path(connector)
                    .asText(expect.path("*").asText("written"))
                    .toLowerCase(Locale.ROOT);
        }
        return "written";
    }

    @Override
    public void close() {
        // Plugins holds class loaders only; nothing to stop.
    }

    /** One connector's converters, transforms and predicates, configured from its JSON. */
    private final class Chain implements AutoCloseable {
        final String name;
        final Map<String, String> config;
        final boolean sink;
        final Set<String> topics = new HashSet<>();
        final java.util.regex.Pattern topicsRegex;
        final Converter keyConverter;
        final Converter valueConverter;
        final List<Stage> stages = new ArrayList<>();
        final Map<String, Predicate> predicates = new HashMap<>();
        final boolean tolerateAll;
        final String dlq;
        /** The warehouse sink's own table naming, for a warehouse sink; null otherwise. */
        final WarehouseTables warehouseTables;

        Chain(PipelineApplier.ConnectorConfig c) {
            this.name = c.name();
            this.config = c.config();
            Class<? extends Connector> connectorClass = plugins.connectorClass(c.connectorClass());
            this.sink = SinkConnector.class.isAssignableFrom(connectorClass);
            topics.addAll(PipelineDefinitions.aliases(config.get("topics")));
            String regex = config.get("topics.regex");
            this.topicsRegex = regex == null || regex.isBlank() ? null : java.util.regex.Pattern.compile(regex);
            this.keyConverter = converter("key.converter", true);
            this.valueConverter = converter("value.converter", false);
            for (String alias : PipelineDefinitions.aliases(config.get("predicates"))) {
                predicates.put(alias, configured("predicates." + alias + ".", Set.of()));
            }
            for (String alias : PipelineDefinitions.aliases(config.get("transforms"))) {
                String prefix = "transforms." + alias + ".";
                Transformation t = configured(prefix, Set.of("predicate", "negate"));
                String predicate = config.get(prefix + "predicate");
                if (predicate != null && !predicates.containsKey(predicate)) {
                    throw new IllegalArgumentException(
                            name + ": " + prefix + "predicate names '" + predicate + "', which is not in predicates");
                }
                stages.add(new Stage(
                        alias,
                        t,
                        predicate,
                        Boolean.parseBoolean(config.get(prefix + "negate")),
                        PipelineDefinitions.SCHEMA_PLUGINS.contains(config.get(prefix + "type")),
                        config.getOrDefault(prefix + "validation.header.prefix", "cdp.validation.")));
            }
            this.tolerateAll = "all"
                    .equalsIgnoreCase(
                            config.getOrDefault("errors.tolerance", "none").trim());
            String dlqTopic = config.get("errors.deadletterqueue.topic.name");
            this.dlq = sink && dlqTopic != null && !dlqTopic.isBlank() ? dlqTopic.trim() : null;
            this.warehouseTables = c.connectorClass().endsWith(".WarehouseSinkConnector")
                    ? warehouseTables(connectorClass.getClassLoader())
                    : null;
        }

        private WarehouseTables warehouseTables(ClassLoader sinkLoader) {
            try (LoaderSwap swap = plugins.withClassLoader(sinkLoader)) {
                return new WarehouseTables(sinkLoader, config);
            } catch (IllegalArgumentException refused) {
                throw new IllegalArgumentException(name + ": " + refused.getMessage(), refused);
            }
        }

        boolean reads(String topic) {
            return sink
                    && (topics.contains(topic)
                            || (topicsRegex != null
                                    && topicsRegex.matcher(topic).matches()));
        }

        private Converter converter(String key, boolean isKey) {
            String className = config.get(key);
            Map<String, String> props = subset(key + ".", Set.of());
            if (className == null) {
                className = "org.apache.kafka.connect.json.JsonConverter";
                props.putIfAbsent("schemas.enable", "false");
                out.printf("  (%s has no %s: the dry run assumes JsonConverter, schemas.enable=false)%n", name, key);
            }
            Converter converter = instance(className);
            try (LoaderSwap swap = plugins.withClassLoader(converter.getClass().getClassLoader())) {
                converter.configure(props, isKey);
            }
            return converter;
        }

        @SuppressWarnings("unchecked")
        private <T> T configured(String prefix, Set<String> runtimeKeys) {
            String type = config.get(prefix + "type");
            if (type == null) {
                throw new IllegalArgumentException(name + ": " + prefix + "type is missing");
            }
            Object plugin = instance(type);
            Map<String, String> props = subset(prefix, runtimeKeys);
            props.remove("type");
            try (LoaderSwap swap = plugins.withClassLoader(plugin.getClass().getClassLoader())) {
                if (plugin instanceof Transformation<?> t) {
                    t.configure(props);
                } else if (plugin instanceof Predicate<?> p) {
                    p.configure(props);
                } else {
                    throw new IllegalArgumentException(name + ": " + type + " is not a transformation or predicate");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        name + ": " + prefix + "* do not configure " + type + ": " + e.getMessage(), e);
            }
            return (T) plugin;
        }

        @SuppressWarnings("unchecked")
        private <T> T instance(String className) {
            try {
                Class<?> c = plugins.pluginClass(className);
                return (T) c.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(
                        name + ": cannot load " + className + " from the bundle or the " + "worker's classpath: " + e,
                        e);
            }
        }

        private Map<String, String> subset(String prefix, Set<String> excluded) {
            Map<String, String> props = new LinkedHashMap<>();
            config.forEach((k, v) -> {
                if (k.startsWith(prefix) && !excluded.contains(k.substring(prefix.length()))) {
                    props.put(k.substring(prefix.length()), v);
                }
            });
            return props;
        }

        Outcome run(JsonNode sample, int offset, String topic) {
            ConnectRecord<?> record;
            try {
                record = toRecord(sample, offset, topic);
            } catch (RuntimeException e) {
                out.printf("    converter  ✗ %s%n", oneLine(e));
                return tolerated(e);
            }
            for (Stage stage : stages) {
                if (stage.predicate() != null) {
                    boolean test = test(predicates.get(stage.predicate()), record);
                    boolean applies = test != stage.negate();
                    out.printf(
                            "    %-10s predicate %s is %s%s: %s%n",
                            stage.alias(),
                            stage.predicate(),
                            test,
                            stage.negate() ? " (negate)" : "",
                            applies ? "applied" : "skipped");
                    if (!applies) {
                        continue;
                    }
                }
                ConnectRecord<?> next;
                try (LoaderSwap swap =
                        plugins.withClassLoader(stage.transform().getClass().getClassLoader())) {
                    next = stage.transform().apply(record);
                } catch (RuntimeException e) {
                    out.printf("    %-10s ✗ %s%n", stage.alias(), stage.validation() ? "invalid" : "error");
                    explain(e);
                    return tolerated(e);
                }
                if (next == null) {
                    out.printf("    %-10s dropped the record%n", stage.alias());
                    return Outcome.DROPPED;
                }
                if (stage.validation()) {
                    Header errors = next.headers().lastWithName(stage.headerPrefix() + "errors");
                    if (errors != null) {
                        out.printf("    %-10s ✗ invalid, routed to %s%n", stage.alias(), next.topic());
                        printErrors(String.valueOf(errors.value()));
                    } else {
                        out.printf("    %-10s ✓ valid%n", stage.alias());
                    }
                } else {
                    out.printf(
                            "    %-10s → %s%s%n",
                            stage.alias(),
                            json(next),
                            next.topic().equals(record.topic()) ? "" : "  (topic " + next.topic() + ")");
                }
                record = next;
            }
            if (!sink) {
                out.printf("    output     topic %s: %s%n", record.topic(), json(record));
                return Outcome.WRITTEN;
            }
            out.printf("    output     %s%n", abbreviated(json(record)));
            try {
                out.printf("    target     %s%n", target(record));
            } catch (RuntimeException e) {
                out.printf("    target     ✗ %s%n", oneLine(e));
                return tolerated(e);
            }
            return Outcome.WRITTEN;
        }

        private boolean test(Predicate predicate, ConnectRecord<?> record) {
            try (LoaderSwap swap = plugins.withClassLoader(predicate.getClass().getClassLoader())) {
                return predicate.test(record);
            }
        }

        /** What Connect's error handling does with a failed stage. */
        private Outcome tolerated(RuntimeException e) {
            if (!tolerateAll) {
                out.printf("    outcome    the task FAILS (errors.tolerance=none)%n");
                return Outcome.FAILED;
            }
            if (dlq != null) {
                out.printf("    outcome    DLQ %s%n", dlq);
                return Outcome.DLQ;
            }
            out.printf(
                    "    outcome    SKIPPED: errors.tolerance=all and no dead letter queue%s%n",
                    sink ? " (set errors.deadletterqueue.topic.name)" : " (source connectors have none)");
            return Outcome.SKIPPED;
        }

        private void explain(RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int errors = message.indexOf(" | errors: ");
            out.printf("               %s%n", errors < 0 ? oneLine(e) : message.substring(0, errors));
            if (errors >= 0) {
                printErrors(message.substring(errors + " | errors: ".length()));
            }
        }

        private void printErrors(String json) {
            try {
                for (JsonNode error : JSON.readTree(json)) {
                    String path = error.path("path").asText();
                    out.printf(
                            "               %s  %s: %s%n",
                            path.isEmpty() ? "(root)" : path,
                            error.path("keyword").asText(),
                            error.path("message").asText());
                }
            } catch (IOException notJson) {
                out.printf("               %s%n", json);
            }
        }

        private ConnectRecord<?> toRecord(JsonNode sample, int offset, String topic) {
            SchemaAndValue key = convert(keyConverter, topic, sample.get("key"));
            SchemaAndValue value = convert(valueConverter, topic, sample.get("value"));
            ConnectHeaders headers = new ConnectHeaders();
            sample.path("headers")
                    .fields()
                    .forEachRemaining(h -> headers.addString(
                            h.getKey(),
                            h.getValue().isTextual()
                                    ? h.getValue().asText()
                                    : h.getValue().toString()));
            long timestamp = sample.path("timestamp").asLong(System.currentTimeMillis());
            if (sink) {
                return new SinkRecord(
                        topic,
                        0,
                        key.schema(),
                        key.value(),
                        value.schema(),
                        value.value(),
                        offset,
                        timestamp,
                        TimestampType.CREATE_TIME,
                        headers);
            }
            return new SourceRecord(
                    Map.of(),
                    Map.of(),
                    topic,
                    null,
                    key.schema(),
                    key.value(),
                    value.schema(),
                    value.value(),
                    timestamp,
                    headers);
        }

        private SchemaAndValue convert(Converter converter, String topic, JsonNode node) {
            if (node == null || node.isNull()) {
                return SchemaAndValue.NULL;
            }
            String text = node.isTextual() && converter instanceof StringConverter ? node.asText() : node.toString();
            try (LoaderSwap swap = plugins.withClassLoader(converter.getClass().getClassLoader())) {
                return converter.toConnectData(topic, text.getBytes(StandardCharsets.UTF_8));
            }
        }

        /** Where the sink would write the record, from its own routing options. */
        private String target(ConnectRecord<?> record) {
            String connectorClass = config.get("connector.class");
            if (warehouseTables != null) {
                try (LoaderSwap swap = plugins.withClassLoader(warehouseTables.loader())) {
                    return "table " + warehouseTables.route(record.topic(), record.value());
                }
            }
            if (connectorClass.endsWith(".AerospikeSinkConnector")) {
                String keyField = config.getOrDefault("key.field", "");
                Object key = keyField.isBlank()
                        ? record.key()
                        : FieldPath.of(keyField).get(record.value());
                if (key == null) {
                    throw new org.apache.kafka.connect.errors.DataException("no Aerospike key: "
                            + (keyField.isBlank()
                                    ? "the record key is null"
                                    : "key.field " + keyField + " is missing"));
                }
                return "aerospike " + config.get("aerospike.namespace") + "/" + config.get("aerospike.set")
                        + " key " + key + " ("
                        + config.getOrDefault("write.mode", "?").toLowerCase(Locale.ROOT)
                        + ")";
            }
            return "topic " + record.topic() + " via " + connectorClass;
        }

        @Override
        public void close() {
            for (Stage stage : stages) {
                stage.transform().close();
            }
            predicates.values().forEach(Predicate::close);
        }
    }

    private record Stage(
            String alias,
            Transformation transform,
            String predicate,
            boolean negate,
            boolean validation,
            String headerPrefix) {}

    private static String json(ConnectRecord<?> record) {
        try {
            return RecordJson.toJsonNode(record.value(), record.valueSchema(), false)
                    .toString();
        } catch (RuntimeException e) {
            return String.valueOf(record.value());
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "… (" + text.length() + " chars)";
    }

    private static String oneLine(Throwable e) {
        StringBuilder s =
                new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            s.append(" ← ").append(cause.getMessage());
        }
        return s.toString().replace('\n', ' ');
    }
}
