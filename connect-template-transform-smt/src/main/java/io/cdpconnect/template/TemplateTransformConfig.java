/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import io.cdpconnect.common.config.EnumOptions;
import io.cdpconnect.common.definitions.DefinitionKind;
import io.cdpconnect.common.definitions.DefinitionsConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of {@link TemplateTransform}. The inline {@code *.template} settings are the default template set;
 * per-event-type sets come from the definition store ({@code definitions.*}, shared with the validation SMT).
 */
public final class TemplateTransformConfig extends AbstractConfig {

    public static final String VALUE_TEMPLATE = "value.template";
    public static final String KEY_TEMPLATE = "key.template";
    public static final String TOPIC_TEMPLATE = "topic.template";
    public static final String TOMBSTONE_TEMPLATE = "tombstone.template";
    /**
     * {@code {"<header name>": "<template>", ...}}: every header template in one declared option, so Connect's
     * validation ({@code PUT .../config/validate}) compiles them; it never shows a transform undeclared keys.
     */
    public static final String HEADERS_TEMPLATES = "headers.templates";
    /**
     * Deprecated {@code headers.<name>.template}: one setting per header, free-form names, so they cannot be
     * declared and are checked only when the task starts. Still applied, with a WARN.
     */
    public static final String HEADERS_PREFIX = "headers.";

    public static final String HEADERS_SUFFIX = ".template";
    public static final String VALUE_SCHEMA = "value.schema";
    public static final String VALUE_SCHEMA_INFER = "value.schema.infer";
    public static final String EVENT_TYPE_FIELD = "event.type.field";
    public static final String ON_UNDEFINED = "on.undefined";
    public static final String ON_MISSING_TEMPLATE = "on.missing.template";
    public static final String LIMITS_RENDER_TIMEOUT_MS = "limits.render.timeout.ms";
    public static final String LIMITS_OUTPUT_MAX_CHARS = "limits.output.max.chars";
    public static final String LIMITS_LOOP_ITERATIONS = "limits.loop.iterations";
    public static final String LIMITS_COLLECTION_MAX_ENTRIES = "limits.collection.max.entries";
    public static final String VALUE_NUMBER_FORMAT = "value.number.format";
    public static final String METRICS_ALIAS = "metrics.alias";
    public static final String TEMPLATE_COMPILE = "template.compile";
    public static final String TEMPLATE_COMPILE_AUTO = "auto";
    public static final String TEMPLATE_COMPILE_NEVER = "never";

    public static final String ON_UNDEFINED_FAIL = "fail";
    public static final String ON_UNDEFINED_EMPTY = "empty";
    public static final String ON_MISSING_FAIL = "fail";
    public static final String ON_MISSING_PASS = "pass";

    /** Template names inside a set, as the definition store names them. */
    public static final String NAME_VALUE = "value";

    public static final String NAME_KEY = "key";
    public static final String NAME_TOPIC = "topic";
    public static final String NAME_TOMBSTONE = "tombstone";
    public static final String NAME_HEADER_PREFIX = "headers.";

    private static final String GROUP_TEMPLATES = "Templates";
    private static final String GROUP_OUTPUT = "Output";
    private static final String GROUP_BEHAVIOUR = "Behaviour";
    private static final String GROUP_LIMITS = "Sandbox limits";

    public static final ConfigDef CONFIG_DEF =
            DefinitionsConfig.addTo(baseDef(), DefinitionKind.templates(), TemplateTransformConfig::inlineErrors);

    /** Parses inline templates for Connect's config validation: each one that does not, by event type and name. */
    static Map<String, String> inlineErrors(
            List<io.cdpconnect.common.definitions.Definition> definitions, Map<String, Object> parsed) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (io.cdpconnect.common.definitions.Definition d : definitions) {
            if (!TemplateSet.isKnownName(d.name())) {
                errors.put(
                        d.id(),
                        "unknown template name '" + d.name() + "' (value, key, topic, tombstone, " + "headers.<name>)");
                continue;
            }
            try {
                TemplateValidator.compile(d.id(), d.body(), TemplateSet.producesJson(d.name()));
            } catch (IllegalArgumentException e) {
                errors.put(d.id(), e.getMessage());
            }
        }
        return errors;
    }

    private static ConfigDef baseDef() {
        int t = 0;
        int o = 0;
        int b = 0;
        int l = 0;
        return new ConfigDef()
                .define(
                        VALUE_TEMPLATE,
                        ConfigDef.Type.STRING,
                        null,
                        new TemplateValidator(true),
                        ConfigDef.Importance.HIGH,
                        "Jinja template producing the new record value as JSON, e.g. "
                                + "{\"order\": {{ value.order_id }}, \"total\": {{ value.total }}}. "
                                + "An expression outside a JSON string is written as a JSON literal (a string is "
                                + "quoted and escaped, a number keeps its type, a map or list becomes JSON, a "
                                + "missing value becomes null); inside a JSON string it is escaped. The output "
                                + "must be valid JSON. Unset: the value is left as it is. This is the default "
                                + "set; the definition store can give event types their own 'value' template.",
                        GROUP_TEMPLATES,
                        ++t,
                        ConfigDef.Width.LONG,
                        "Value template",
                        List.of(),
                        new NoTemplatesRecommender())
                .define(
                        KEY_TEMPLATE,
                        ConfigDef.Type.STRING,
                        null,
                        new TemplateValidator(false),
                        ConfigDef.Importance.MEDIUM,
                        "Jinja template producing the new record key as text (trimmed), e.g. "
                                + "{{ value.customer_id }}. Unset: the key is left as it is.",
                        GROUP_TEMPLATES,
                        ++t,
                        ConfigDef.Width.LONG,
                        "Key template")
                .define(
                        TOPIC_TEMPLATE,
                        ConfigDef.Type.STRING,
                        null,
                        new TemplateValidator(false),
                        ConfigDef.Importance.MEDIUM,
                        "Jinja template producing the destination topic (trimmed), for routing, e.g. "
                                + "events.{{ value.event_type }}. Must render a legal topic name.",
                        GROUP_TEMPLATES,
                        ++t,
                        ConfigDef.Width.LONG,
                        "Topic template")
                .define(
                        HEADERS_TEMPLATES,
                        ConfigDef.Type.STRING,
                        "",
                        new HeaderTemplatesValidator(),
                        ConfigDef.Importance.MEDIUM,
                        "Header templates as one JSON object, header name to Jinja template producing its text "
                                + "(trimmed; it replaces a header of that name, empty output adds none), e.g. "
                                + "{\"event-type\": \"{{ value.event_type }}\", \"customer\": "
                                + "\"{{ value.customer_id }}\"}. Each template is compiled when Connect validates the "
                                + "config, and a broken one is reported here by header name and line. Replaces the "
                                + "deprecated headers.<name>.template settings (still applied, with a WARN, but only "
                                + "checked at task start: Connect's validation does not show a transform keys it "
                                + "does not declare); one header may not be set both ways.",
                        GROUP_TEMPLATES,
                        ++t,
                        ConfigDef.Width.LONG,
                        "Header templates")
                .define(
                        TOMBSTONE_TEMPLATE,
                        ConfigDef.Type.STRING,
                        null,
                        new TemplateValidator(true),
                        ConfigDef.Importance.LOW,
                        "Template for records whose value is null (tombstones). Unset: tombstones pass "
                                + "through unchanged. Set: it renders the new value (JSON; 'null' keeps the "
                                + "tombstone) and the key, topic and header templates apply too.",
                        GROUP_TEMPLATES,
                        ++t,
                        ConfigDef.Width.LONG,
                        "Tombstone template")
                .define(
                        VALUE_SCHEMA,
                        ConfigDef.Type.STRING,
                        null,
                        new SchemaValidator(),
                        ConfigDef.Importance.MEDIUM,
                        "Connect schema of the new value in the JSON form JsonConverter uses "
                                + "({\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"string\"}]}, "
                                + "logical types by name, e.g. org.apache.kafka.connect.data.Decimal). Set: the "
                                + "rendered JSON becomes a Struct of that schema. Unset: a schemaless Map.",
                        GROUP_OUTPUT,
                        ++o,
                        ConfigDef.Width.LONG,
                        "Value schema")
                .define(
                        VALUE_SCHEMA_INFER,
                        ConfigDef.Type.BOOLEAN,
                        false,
                        ConfigDef.Importance.LOW,
                        "When no value.schema is given: infer a Struct schema from the rendered JSON "
                                + "(strings, INT64, FLOAT64, BOOLEAN, nested structs and arrays, all optional).",
                        GROUP_OUTPUT,
                        ++o,
                        ConfigDef.Width.SHORT,
                        "Infer value schema")
                .define(
                        VALUE_NUMBER_FORMAT,
                        ConfigDef.Type.STRING,
                        "auto",
                        EnumOptions.validator(NumberFormat.values(), true),
                        ConfigDef.Importance.MEDIUM,
                        "How a schemaless value (no value.schema, no inference) holds numbers that are not "
                                + "integers: 'exact' (BigDecimal with the rendered digits and scale, integers beyond "
                                + "a long as BigInteger; for sinks that read Connect values, such as the cdp-connect "
                                + "sinks), 'double' (Double, which JsonConverter without schemas can write - it "
                                + "rejects BigDecimal; a number a double does not hold exactly, e.g. "
                                + "12345678901234567.89, fails the record instead of being rounded) or 'auto' "
                                + "(default: 'double' for source records, which go to a converter, 'exact' for sink "
                                + "records, which go to the sink). Integers are Integer or Long either way. With "
                                + "value.schema or value.schema.infer, FLOAT32/FLOAT64 fields likewise fail a number "
                                + "they would round.",
                        GROUP_OUTPUT,
                        ++o,
                        ConfigDef.Width.SHORT,
                        "Number format",
                        EnumOptions.recommender(NumberFormat.values(), true))
                .define(
                        EVENT_TYPE_FIELD,
                        ConfigDef.Type.STRING,
                        null,
                        ConfigDef.Importance.MEDIUM,
                        "Dotted path of the field holding the event type (e.g. event_type) which selects the "
                                + "template set from the definition store. Templates an event type's set does "
                                + "not define fall back to the inline *.template settings. Unset: every record "
                                + "uses the inline templates.",
                        GROUP_BEHAVIOUR,
                        ++b,
                        ConfigDef.Width.MEDIUM,
                        "Event type field")
                .define(
                        ON_UNDEFINED,
                        ConfigDef.Type.STRING,
                        ON_UNDEFINED_FAIL,
                        ConfigDef.CaseInsensitiveValidString.in(ON_UNDEFINED_FAIL, ON_UNDEFINED_EMPTY),
                        ConfigDef.Importance.MEDIUM,
                        "What a reference to a variable or field that does not exist does: 'fail' (the record "
                                + "fails through Connect's error handling, naming the template and line; "
                                + "'|default(...)' and 'is defined' still work) or 'empty' (it renders empty, "
                                + "or null in a JSON value position). A field present with a null value is "
                                + "never an error.",
                        GROUP_BEHAVIOUR,
                        ++b,
                        ConfigDef.Width.SHORT,
                        "On undefined",
                        EnumOptions.recommender(ON_UNDEFINED_FAIL, ON_UNDEFINED_EMPTY))
                .define(
                        ON_MISSING_TEMPLATE,
                        ConfigDef.Type.STRING,
                        ON_MISSING_FAIL,
                        ConfigDef.CaseInsensitiveValidString.in(ON_MISSING_FAIL, ON_MISSING_PASS),
                        ConfigDef.Importance.LOW,
                        "What a record gets when neither its event type nor the inline settings define any "
                                + "template: 'fail' (an error through Connect's error handling) or 'pass' "
                                + "(unchanged).",
                        GROUP_BEHAVIOUR,
                        ++b,
                        ConfigDef.Width.SHORT,
                        "On missing template",
                        EnumOptions.recommender(ON_MISSING_FAIL, ON_MISSING_PASS))
                .define(
                        METRICS_ALIAS,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.LOW,
                        "Value of the 'alias' tag of this transform's metrics (cdp.template:connector=<c>,task=<t>,"
                                + "alias=<alias>; connector and task come from Connect's logging context). Connect "
                                + "does not tell a transform its alias: set it to the alias to tell two template "
                                + "transforms of one connector apart. Empty: no alias tag (instances of one task add "
                                + "up).",
                        GROUP_BEHAVIOUR,
                        ++b,
                        ConfigDef.Width.SHORT,
                        "Metrics alias")
                .define(
                        LIMITS_RENDER_TIMEOUT_MS,
                        ConfigDef.Type.LONG,
                        1000L,
                        ConfigDef.Range.between(1, 600_000),
                        ConfigDef.Importance.LOW,
                        "Most CPU time, in milliseconds, one record may spend rendering its templates; beyond "
                                + "it the record fails as a template error. CPU time of the task thread, not "
                                + "wall-clock time, so a loaded worker or a pause never fails a valid record. "
                                + "Checked every few template nodes.",
                        GROUP_LIMITS,
                        ++l,
                        ConfigDef.Width.SHORT,
                        "Render time limit (ms)")
                .define(
                        LIMITS_OUTPUT_MAX_CHARS,
                        ConfigDef.Type.LONG,
                        1_048_576L,
                        ConfigDef.Range.between(1, 100_000_000),
                        ConfigDef.Importance.LOW,
                        "Longest output, in characters, of one template (and longest string a template may "
                                + "build); beyond it the record fails.",
                        GROUP_LIMITS,
                        ++l,
                        ConfigDef.Width.SHORT,
                        "Output size limit")
                .define(
                        LIMITS_LOOP_ITERATIONS,
                        ConfigDef.Type.INT,
                        10_000,
                        ConfigDef.Range.between(1, 10_000_000),
                        ConfigDef.Importance.LOW,
                        "Most loop iterations ({% for %} bodies, all loops together) while rendering one "
                                + "record; also caps range(). Beyond it the record fails. It bounds what a template "
                                + "iterates, not what the record holds: a record with a 50,000-entry list renders "
                                + "as long as no template loops over all of it.",
                        GROUP_LIMITS,
                        ++l,
                        ConfigDef.Width.SHORT,
                        "Loop iteration limit")
                .define(
                        LIMITS_COLLECTION_MAX_ENTRIES,
                        ConfigDef.Type.INT,
                        10_000,
                        ConfigDef.Range.between(1, 10_000_000),
                        ConfigDef.Importance.LOW,
                        "Most entries of a list or dict a template builds (literals, append(), update()); beyond "
                                + "it the record fails. The record's own lists and maps are not limited.",
                        GROUP_LIMITS,
                        ++l,
                        ConfigDef.Width.SHORT,
                        "Built collection size limit")
                .define(
                        TEMPLATE_COMPILE,
                        ConfigDef.Type.STRING,
                        TEMPLATE_COMPILE_AUTO,
                        ConfigDef.CaseInsensitiveValidString.in(TEMPLATE_COMPILE_AUTO, TEMPLATE_COMPILE_NEVER),
                        ConfigDef.Importance.LOW,
                        "Whether templates made only of literal text, field paths (value.a.b[0]), literals, "
                                + "== / != with a string and the filters upper, lower, trim, length, tojson, to_iso, "
                                + "to_epoch_millis and default(none|'text') render without Jinjava: 'auto' "
                                + "(default; the output, errors, limits and metrics are the same, a record the "
                                + "compiled form cannot render exactly - a missing field, an unexpected type - goes "
                                + "through Jinjava) or 'never' (every template renders through Jinjava). Which path "
                                + "each template takes is logged at DEBUG when it is compiled.",
                        GROUP_BEHAVIOUR,
                        ++b,
                        ConfigDef.Width.SHORT,
                        "Template compilation",
                        EnumOptions.recommender(TEMPLATE_COMPILE_AUTO, TEMPLATE_COMPILE_NEVER));
    }

    private final Map<String, String> headerTemplates;
    private final List<String> deprecatedHeaderSettings;

    public TemplateTransformConfig(Map<String, ?> originals) {
        super(CONFIG_DEF, originals);
        Map<String, String> declared = parseHeaderTemplates(getString(HEADERS_TEMPLATES), HEADERS_TEMPLATES);
        Map<String, String> deprecated = deprecatedHeaderTemplates(originals);
        for (String name : deprecated.keySet()) {
            if (declared.containsKey(name)) {
                throw new ConfigException(
                        HEADERS_PREFIX + name + HEADERS_SUFFIX,
                        "(template)",
                        "header '" + name
                                + "' is also set in " + HEADERS_TEMPLATES + ": keep it in one place ("
                                + HEADERS_TEMPLATES
                                + "; the per-header settings are deprecated)");
            }
        }
        this.headerTemplates = new LinkedHashMap<>(declared);
        this.headerTemplates.putAll(deprecated);
        this.deprecatedHeaderSettings = deprecated.keySet().stream()
                .map(n -> HEADERS_PREFIX + n + HEADERS_SUFFIX)
                .toList();
    }

    /**
     * The {@link #HEADERS_TEMPLATES} object by header name, in its order.
     *
     * @throws ConfigException on {@code setting} when it is not a JSON object of non-blank names to strings
     */
    static Map<String, String> parseHeaderTemplates(String json, String setting) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return headers;
        }
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = io.cdpconnect.common.RecordJson.MAPPER.readTree(json); // strict: nothing may follow the object
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(setting, "(header templates)", "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(
                    setting,
                    "(header templates)",
                    "must be a JSON object of header name to "
                            + "template, e.g. {\"event-type\": \"{{ value.event_type }}\"}");
        }
        root.fields().forEachRemaining(e -> {
            if (e.getKey().isBlank()) {
                throw new ConfigException(setting, "(header templates)", "a header name is blank");
            }
            if (!e.getValue().isTextual()) {
                throw new ConfigException(
                        setting,
                        "(header templates)",
                        "header '" + e.getKey()
                                + "': the template must be a JSON string, not "
                                + e.getValue().getNodeType().toString().toLowerCase(Locale.ROOT));
            }
            headers.put(e.getKey(), e.getValue().textValue());
        });
        return headers;
    }

    /** Deprecated {@code headers.<name>.template} settings by header name, in a stable order. */
    static Map<String, String> deprecatedHeaderTemplates(Map<String, ?> originals) {
        Map<String, String> headers = new LinkedHashMap<>();
        originals.keySet().stream().sorted().forEach(key -> {
            if (key.startsWith(HEADERS_PREFIX)
                    && key.endsWith(HEADERS_SUFFIX)
                    && key.length() > HEADERS_PREFIX.length() + HEADERS_SUFFIX.length()) {
                String name = key.substring(HEADERS_PREFIX.length(), key.length() - HEADERS_SUFFIX.length());
                Object value = originals.get(key);
                if (value != null && !value.toString().isBlank()) {
                    headers.put(name, value.toString());
                }
            }
        });
        return headers;
    }

    /** The deprecated {@code headers.<name>.template} settings this config uses (for the WARN at start). */
    public List<String> deprecatedHeaderSettings() {
        return deprecatedHeaderSettings;
    }

    /**
     * The setting a template of the inline set comes from, as errors name it: {@code value.template},
     * {@code headers.templates[<name>]}, or the deprecated {@code headers.<name>.template}.
     */
    public String settingOf(String name) {
        if (!name.startsWith(NAME_HEADER_PREFIX)) {
            return name + HEADERS_SUFFIX;
        }
        String header = name.substring(NAME_HEADER_PREFIX.length());
        String deprecated = HEADERS_PREFIX + header + HEADERS_SUFFIX;
        return deprecatedHeaderSettings.contains(deprecated) ? deprecated : headerSetting(header);
    }

    static String headerSetting(String header) {
        return HEADERS_TEMPLATES + "[" + header + "]";
    }

    /** The inline (default) template set by store name: value, key, topic, tombstone, headers.&lt;name&gt;. */
    public Map<String, String> inlineTemplates() {
        Map<String, String> templates = new LinkedHashMap<>();
        putIfSet(templates, NAME_VALUE, getString(VALUE_TEMPLATE));
        putIfSet(templates, NAME_KEY, getString(KEY_TEMPLATE));
        putIfSet(templates, NAME_TOPIC, getString(TOPIC_TEMPLATE));
        putIfSet(templates, NAME_TOMBSTONE, getString(TOMBSTONE_TEMPLATE));
        headerTemplates.forEach((name, template) -> templates.put(NAME_HEADER_PREFIX + name, template));
        return templates;
    }

    private static void putIfSet(Map<String, String> map, String name, String value) {
        if (value != null && !value.isBlank()) {
            map.put(name, value);
        }
    }

    public boolean failOnUndefined() {
        return ON_UNDEFINED_FAIL.equals(getString(ON_UNDEFINED).toLowerCase(Locale.ROOT));
    }

    public boolean failOnMissingTemplate() {
        return ON_MISSING_FAIL.equals(getString(ON_MISSING_TEMPLATE).toLowerCase(Locale.ROOT));
    }

    public String eventTypeField() {
        String field = getString(EVENT_TYPE_FIELD);
        return field == null || field.isBlank() ? null : field.trim();
    }

    /** A directory or database source, or inline definitions that hold at least one template. */
    public boolean usesDefinitionStore() {
        String source = getString(DefinitionsConfig.SOURCE).toLowerCase(Locale.ROOT);
        if (!DefinitionsConfig.SOURCE_INLINE.equals(source)) {
            return true;
        }
        return inlineSet() && inlineHoldsTemplates(getString(DefinitionsConfig.INLINE));
    }

    /** Whether {@code definitions.inline} is set (it may still define no template: see {@link #usesDefinitionStore}). */
    public boolean inlineSet() {
        String inline = getString(DefinitionsConfig.INLINE);
        return inline != null && !inline.isBlank();
    }

    public RenderLimits limits() {
        return new RenderLimits(
                getLong(LIMITS_RENDER_TIMEOUT_MS),
                getLong(LIMITS_OUTPUT_MAX_CHARS),
                getInt(LIMITS_LOOP_ITERATIONS),
                getInt(LIMITS_COLLECTION_MAX_ENTRIES));
    }

    /** {@code template.compile=auto}: templates that allow it render without Jinjava. */
    public boolean compileTemplates() {
        return TEMPLATE_COMPILE_AUTO.equals(getString(TEMPLATE_COMPILE).toLowerCase(Locale.ROOT));
    }

    public NumberFormat numberFormat() {
        return NumberFormat.of(getString(VALUE_NUMBER_FORMAT));
    }

    /** Parses a template setting, so Connect's config validation (REST {@code /config/validate}) reports syntax errors. */
    private static final class TemplateValidator implements ConfigDef.Validator {
        private static TemplateEngine engine;
        private final boolean json;

        TemplateValidator(boolean json) {
            this.json = json;
        }

        private static synchronized TemplateEngine engine() {
            if (engine == null) {
                engine = new TemplateEngine(RenderLimits.DEFAULT, true);
            }
            return engine;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().isBlank()) {
                return;
            }
            try {
                compile(name, value.toString(), json);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        static void compile(String name, String source, boolean json) {
            synchronized (TemplateValidator.class) {
                engine().compile(name, source, json);
            }
        }

        @Override
        public String toString() {
            return "a Jinja template";
        }
    }

    /** Compiles every header template of {@link #HEADERS_TEMPLATES}, reporting each broken one by header name. */
    private static final class HeaderTemplatesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            Map<String, String> headers = parseHeaderTemplates((String) value, name);
            StringBuilder errors = new StringBuilder();
            int broken = 0;
            for (Map.Entry<String, String> header : headers.entrySet()) {
                try {
                    TemplateValidator.compile(headerSetting(header.getKey()), header.getValue(), false);
                } catch (IllegalArgumentException e) {
                    broken++;
                    errors.append(errors.length() == 0 ? "" : "; ")
                            .append("header '")
                            .append(header.getKey())
                            .append("': ")
                            .append(e.getMessage());
                }
            }
            if (broken > 0) {
                throw new ConfigException(
                        name, "(header templates)", broken + " header template(s) do not " + "parse: " + errors);
            }
        }

        @Override
        public String toString() {
            return "a JSON object of header name to Jinja template";
        }
    }

    /**
     * Reports, on {@link #VALUE_TEMPLATE}, a transform that has no template at all: none of the inline settings and,
     * with {@code definitions.source=inline}, none in {@code definitions.inline}. Recommenders see the whole parsed
     * config, so Connect's validation finds it, not the task start. A directory or database may hold templates the
     * config does not show: checked at start. (Deprecated headers.&lt;name&gt;.template settings are invisible here.)
     */
    private static final class NoTemplatesRecommender implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsed) {
            for (String option :
                    List.of(VALUE_TEMPLATE, KEY_TEMPLATE, TOPIC_TEMPLATE, TOMBSTONE_TEMPLATE, HEADERS_TEMPLATES)) {
                Object value = parsed.get(option);
                if (value != null && !value.toString().isBlank()) {
                    return List.of();
                }
            }
            Object source = parsed.get(DefinitionsConfig.SOURCE);
            if (source != null
                    && !DefinitionsConfig.SOURCE_INLINE.equalsIgnoreCase(
                            source.toString().trim())) {
                return List.of();
            }
            Object inline = parsed.get(DefinitionsConfig.INLINE);
            boolean inlineSet = inline != null && !inline.toString().isBlank();
            if (inlineSet && inlineHoldsTemplates(inline.toString())) {
                return List.of();
            }
            throw new ConfigException(name, null, noTemplatesMessage(inlineSet));
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsed) {
            return true;
        }
    }

    /** Whether {@code definitions.inline} defines a template; true when it is not valid (its validator says why). */
    static boolean inlineHoldsTemplates(String inline) {
        try {
            return !new io.cdpconnect.common.definitions.InlineDefinitionSource(inline, DefinitionKind.templates())
                    .load()
                    .isEmpty();
        } catch (ConfigException notJson) {
            return true;
        }
    }

    static String noTemplatesMessage(boolean inlineSet) {
        return "no templates: " + (inlineSet ? DefinitionsConfig.INLINE + " defines none for any event type, and " : "")
                + "none of " + VALUE_TEMPLATE + ", " + KEY_TEMPLATE + ", " + TOPIC_TEMPLATE + ", "
                + TOMBSTONE_TEMPLATE + ", " + HEADERS_TEMPLATES
                + (inlineSet
                        ? ""
                        : ", " + DefinitionsConfig.INLINE + " or a " + DefinitionsConfig.SOURCE
                                + " of directory or jdbc")
                + " is set";
    }

    /** Rejects a value.schema that is not a Connect schema in JsonConverter's JSON form. */
    private static final class SchemaValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().isBlank()) {
                return;
            }
            try {
                ConnectSchemaJson.parse(value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "a Connect schema as JSON (JsonConverter's schema form)";
        }
    }
}
