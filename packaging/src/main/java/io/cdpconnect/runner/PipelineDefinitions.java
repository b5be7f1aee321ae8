/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JSON Schemas and Jinja templates of a pipeline folder, kept as files so people can read and review them:
 * <pre>
 *   schemas/&lt;event_type&gt;.json          version 1 of the event type's schema
 *   schemas/&lt;event_type&gt;.v&lt;N&gt;.json     version N
 *   templates/&lt;event_type&gt;/&lt;name&gt;.j2    the named template (value, key, topic, headers.&lt;h&gt;)
 * </pre>
 * They reach the connectors one of two ways:
 * <ul>
 *   <li>{@link #inlineInto}: written into {@code definitions.inline} of every validation SMT / {@code IsValid}
 *       predicate (schemas) and template SMT (templates) whose {@code definitions.source} is {@code inline} (the
 *       default) and whose file does not carry its own non-empty {@code definitions.inline}, in the inline format of
 *       {@code connect-common}'s {@code InlineDefinitionSource}: {@code {"<type>": {"<version>": {...}}}} and
 *       {@code {"<type>": {"<name>": "<text>"}}};</li>
 *   <li>{@link #upsert} ({@code --definitions-jdbc}): upserted into the {@code event_schemas} /
 *       {@code event_templates} tables of the design notes, and those aliases pointed at that database
 *       ({@code definitions.source=jdbc}), so every worker reloads changed definitions without a restart.</li>
 * </ul>
 */
final class PipelineDefinitions {

    static final String SCHEMAS_DIR = "schemas";
    static final String TEMPLATES_DIR = "templates";

    static final List<String> SCHEMA_PLUGINS = List.of(
            "io.cdpconnect.validate.JsonSchemaValidation$Value",
            "io.cdpconnect.validate.JsonSchemaValidation$Key",
            "io.cdpconnect.validate.IsValid");
    static final List<String> TEMPLATE_PLUGINS = List.of("io.cdpconnect.template.TemplateTransform");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCHEMA_FILE = Pattern.compile("^(.+?)(?:\\.[vV](\\d{1,9}))?\\.json$");
    private static final Pattern TEMPLATE_FILE = Pattern.compile("^(.+)\\.(?:j2|jinja)$");

    /** One schema: event type, version, parsed JSON (so a broken file is reported with its name). */
    record Schema(String eventType, int version, JsonNode schema, Path file) {}

    /** One template: event type, name, text. */
    record Template(String eventType, String name, String text, Path file) {}

    /** Where the definitions of one alias go: its config prefix ({@code transforms.validate.}). */
    record Target(String prefix, boolean schemas) {}

    private final List<Schema> schemas;
    private final List<Template> templates;

    private PipelineDefinitions(List<Schema> schemas, List<Template> templates) {
        this.schemas = schemas;
        this.templates = templates;
    }

    static PipelineDefinitions read(Path pipelineDir) throws IOException {
        List<Schema> schemas = new ArrayList<>();
        Path schemaDir = pipelineDir.resolve(SCHEMAS_DIR);
        if (Files.isDirectory(schemaDir)) {
            for (Path file : sortedFiles(schemaDir)) {
                Matcher m = SCHEMA_FILE.matcher(file.getFileName().toString());
                if (!Files.isRegularFile(file) || file.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (!m.matches()) {
                    throw new IllegalArgumentException(
                            file + ": a schema file is named <event_type>.json or " + "<event_type>.v<N>.json");
                }
                JsonNode schema;
                try {
                    schema = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
                }
                if (schema == null || !(schema.isObject() || schema.isBoolean())) {
                    throw new IllegalArgumentException(file + ": a JSON Schema is an object (or true/false)");
                }
                schemas.add(
                        new Schema(m.group(1), m.group(2) == null ? 1 : Integer.parseInt(m.group(2)), schema, file));
            }
        }
        List<Template> templates = new ArrayList<>();
        Path templateDir = pipelineDir.resolve(TEMPLATES_DIR);
        if (Files.isDirectory(templateDir)) {
            for (Path typeDir : sortedFiles(templateDir)) {
                if (!Files.isDirectory(typeDir)) {
                    throw new IllegalArgumentException(
                            typeDir + ": templates live in templates/<event_type>/" + "<name>.j2");
                }
                for (Path file : sortedFiles(typeDir)) {
                    Matcher m = TEMPLATE_FILE.matcher(file.getFileName().toString());
                    if (file.getFileName().toString().startsWith(".")) {
                        continue;
                    }
                    if (!m.matches() || !Files.isRegularFile(file)) {
                        throw new IllegalArgumentException(file + ": a template file is named <name>.j2");
                    }
                    templates.add(new Template(
                            typeDir.getFileName().toString(),
                            m.group(1),
                            Files.readString(file, StandardCharsets.UTF_8),
                            file));
                }
            }
        }
        return new PipelineDefinitions(List.copyOf(schemas), List.copyOf(templates));
    }

    private static List<Path> sortedFiles(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }

    boolean isEmpty() {
        return schemas.isEmpty() && templates.isEmpty();
    }

    List<Schema> schemas() {
        return schemas;
    }

    List<Template> templates() {
        return templates;
    }

    /** {@code {"<type>": {"<version>": {...}}}}: the validation SMT's inline format with explicit versions. */
    String schemasInline() {
        ObjectNode root = JSON.createObjectNode();
        for (Schema s : schemas) {
            ObjectNode versions =
                    root.has(s.eventType()) ? (ObjectNode) root.get(s.eventType()) : root.putObject(s.eventType());
            versions.set(String.valueOf(s.version()), s.schema());
        }
        return root.toString();
    }

    /** {@code {"<type>": {"<name>": "<text>"}}}: the template SMT's inline format with explicit names. */
    String templatesInline() {
        ObjectNode root = JSON.createObjectNode();
        for (Template t : templates) {
            ObjectNode names =
                    root.has(t.eventType()) ? (ObjectNode) root.get(t.eventType()) : root.putObject(t.eventType());
            names.put(t.name(), t.text());
        }
        return root.toString();
    }

    /** The aliases ({@code transforms.<a>.} / {@code predicates.<p>.}) of a config that take schemas or templates. */
    static List<Target> targets(Map<String, String> config) {
        List<Target> targets = new ArrayList<>();
        for (String list : List.of("transforms", "predicates")) {
            for (String alias : aliases(config.get(list))) {
                String prefix = list + "." + alias + ".";
                String type = config.get(prefix + "type");
                if (SCHEMA_PLUGINS.contains(type)) {
                    targets.add(new Target(prefix, true));
                } else if (TEMPLATE_PLUGINS.contains(type)) {
                    targets.add(new Target(prefix, false));
                }
            }
        }
        return targets;
    }

    /** Whether a schema or template SMT of these configs reads its definitions from a database. */
    static boolean readsFromDatabase(List<PipelineApplier.ConnectorConfig> configs) {
        for (PipelineApplier.ConnectorConfig c : configs) {
            for (Target target : targets(c.config())) {
                if ("jdbc"
                        .equalsIgnoreCase(c.config()
                                .getOrDefault(target.prefix() + "definitions.source", "")
                                .trim())) {
                    return true;
                }
            }
        }
        return false;
    }

    static List<String> aliases(String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String alias : list.split(",")) {
                if (!alias.isBlank()) {
                    out.add(alias.trim());
                }
            }
        }
        return out;
    }

    /**
     * Puts the folder's definitions into the config. Without a JDBC target they are inlined; with one, the aliases
     * are pointed at the database (the caller upserts the rows). {@code offline} (the dry run) inlines them also
     * where the file reads them from a database, so the folder's own definitions are what is tested. Returns what
     * was done, for the report.
     */
    List<String> inlineInto(Map<String, String> config, JdbcTarget jdbc, boolean offline) {
        List<String> notes = new ArrayList<>();
        for (Target target : targets(config)) {
            boolean has = target.schemas() ? !schemas.isEmpty() : !templates.isEmpty();
            if (!has) {
                continue;
            }
            String what = target.schemas()
                    ? schemas.size() + " schema(s) from " + SCHEMAS_DIR + "/"
                    : templates.size() + " template(s) from " + TEMPLATES_DIR + "/";
            String sourceKey = target.prefix() + "definitions.source";
            String inlineKey = target.prefix() + "definitions.inline";
            String source = config.getOrDefault(sourceKey, "inline").trim().toLowerCase(Locale.ROOT);
            String ownInline = config.get(inlineKey);
            if (jdbc != null) {
                if ("inline".equals(source) && ownInline != null && !ownInline.isBlank()) {
                    notes.add(inlineKey + " is set in the file: kept, not switched to " + jdbc.url());
                    continue;
                }
                config.put(sourceKey, "jdbc");
                config.remove(inlineKey);
                config.put(target.prefix() + "definitions.jdbc.url", jdbc.url());
                if (jdbc.user() != null) {
                    config.put(target.prefix() + "definitions.jdbc.user", jdbc.user());
                }
                if (jdbc.password() != null) {
                    config.put(target.prefix() + "definitions.jdbc.password", jdbc.password());
                }
                notes.add(target.prefix() + "definitions.* → jdbc " + jdbc.describe() + " (" + what + " upserted)");
            } else if (offline && !"inline".equals(source)) {
                config.put(sourceKey, "inline");
                config.put(inlineKey, target.schemas() ? schemasInline() : templatesInline());
                notes.add("dry run: inlined " + what + " into " + inlineKey + " (the file reads them from " + source
                        + ")");
            } else if ("jdbc".equals(source)) {
                notes.add(what + " to be upserted into " + target.prefix() + "definitions.jdbc.url, the database "
                        + target.prefix() + " reads (--definitions-jdbc URL names another one)");
            } else if (!"inline".equals(source)) {
                notes.add(what + " not used by " + target.prefix() + " (definitions.source=" + source + ")");
            } else if (ownInline != null && !ownInline.isBlank()) {
                notes.add(inlineKey + " is set in the file: kept; " + what + " not inlined there");
            } else {
                config.put(inlineKey, target.schemas() ? schemasInline() : templatesInline());
                notes.add("inlined " + what + " into " + inlineKey);
            }
        }
        return notes;
    }

    /**
     * The databases the connectors read this folder's definitions from ({@code definitions.source=jdbc}), as their
     * configs name them once overrides are applied. Without {@code --definitions-jdbc} the folder's files go there:
     * left out, the store would start empty and every record would be "unknown" — dead-lettered, not validated.
     */
    List<JdbcTarget> databaseTargets(List<Map<String, String>> configs) {
        List<JdbcTarget> found = new ArrayList<>();
        for (Map<String, String> config : configs) {
            for (Target target : targets(config)) {
                boolean has = target.schemas() ? !schemas.isEmpty() : !templates.isEmpty();
                String source = config.getOrDefault(target.prefix() + "definitions.source", "inline");
                String url = config.get(target.prefix() + "definitions.jdbc.url");
                if (has && "jdbc".equalsIgnoreCase(source.trim()) && url != null && !url.isBlank()) {
                    JdbcTarget t = new JdbcTarget(
                            url.trim(),
                            config.get(target.prefix() + "definitions.jdbc.user"),
                            config.get(target.prefix() + "definitions.jdbc.password"));
                    if (!found.contains(t)) {
                        found.add(t);
                    }
                }
            }
        }
        return found;
    }

    /** The database definitions are upserted into ({@code --definitions-jdbc}). */
    record JdbcTarget(String url, String user, String password) {
        String describe() {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q); // parameters may carry credentials
        }
    }

    /**
     * Upserts every definition into {@code event_schemas} / {@code event_templates} (created when missing), in one
     * transaction; a row whose body is unchanged keeps its {@code updated_at}, so workers recompile only what
     * changed. Rows of definitions the folder does not have are left alone: other pipelines may share the tables.
     * Returns the number of rows inserted or changed.
     */
    int upsert(JdbcTarget target) throws SQLException {
        if (!target.url().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "--definitions-jdbc supports PostgreSQL (jdbc:postgresql://...), got " + target.describe());
        }
        int changed = 0;
        try (Connection c = DriverManager.getConnection(target.url(), target.user(), target.password())) {
            c.setAutoCommit(false);
            try (Statement ddl = c.createStatement()) {
                ddl.execute("CREATE TABLE IF NOT EXISTS event_schemas (event_type text, version int, schema jsonb, "
                        + "updated_at timestamptz, PRIMARY KEY (event_type, version))");
                ddl.execute("CREATE TABLE IF NOT EXISTS event_templates (event_type text, name text, template text, "
                        + "updated_at timestamptz, PRIMARY KEY (event_type, name))");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO event_schemas (event_type, version, schema, "
                    + "updated_at) VALUES (?, ?, ?::jsonb, now()) ON CONFLICT (event_type, version) DO UPDATE SET "
                    + "schema = EXCLUDED.schema, updated_at = now() WHERE event_schemas.schema IS DISTINCT FROM "
                    + "EXCLUDED.schema")) {
                for (Schema schema : schemas) {
                    s.setString(1, schema.eventType());
                    s.setInt(2, schema.version());
                    s.setString(3, schema.schema().toString());
                    changed += s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO event_templates (event_type, name, template, "
                    + "updated_at) VALUES (?, ?, ?, now()) ON CONFLICT (event_type, name) DO UPDATE SET "
                    + "template = EXCLUDED.template, updated_at = now() WHERE event_templates.template IS DISTINCT "
                    + "FROM EXCLUDED.template")) {
                for (Template template : templates) {
                    s.setString(1, template.eventType());
                    s.setString(2, template.name());
                    s.setString(3, template.text());
                    changed += s.executeUpdate();
                }
            }
            c.commit();
        }
        return changed;
    }
}
