/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import io.cdpconnect.common.Bytes;
import io.cdpconnect.common.FieldPath;
import io.cdpconnect.common.PluginVersion;
import io.cdpconnect.common.RecordJson;
import io.cdpconnect.common.definitions.DefinitionKind;
import io.cdpconnect.common.definitions.DefinitionStore;
import io.cdpconnect.common.definitions.DefinitionsConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Maps, routes and enriches records with sandboxed Jinja templates (Jinjava): a new value (JSON, as a Map or a
 * Struct), key, topic and headers, per event type.
 *
 * <p>Templates see {@code value}, {@code key}, {@code topic}, {@code partition}, {@code offset} (sink side),
 * {@code timestamp} and {@code headers}; the record value is converted once (Struct, Map or JSON text to
 * plain maps and lists) and shared by all of a record's templates. Templates are parsed once; each record
 * renders the parsed trees. Every template problem fails the record with a {@link DataException} naming the
 * template and line, so Connect's {@code errors.tolerance} / dead letter queue decide what happens to it.
 */
public class TemplateTransform<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TemplateTransform.class);
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private TemplateEngine engine;
    private TemplateSets sets;
    private FieldPath eventTypeField;
    /** For sink records; {@link #sourceValueOutput} for source records (they differ only for value.number.format=auto). */
    private ValueOutput valueOutput;

    private ValueOutput sourceValueOutput;
    private boolean failOnMissingTemplate;
    private TemplateMetrics metrics;

    @Override
    public void configure(Map<String, ?> props) {
        TemplateTransformConfig config = new TemplateTransformConfig(props);
        RenderLimits limits = config.limits();
        boolean compile = config.compileTemplates();
        engine = new TemplateEngine(limits, config.failOnUndefined(), compile);
        Map<String, CompiledTemplate> defaults = new LinkedHashMap<>();
        for (String setting : config.deprecatedHeaderSettings()) {
            LOG.warn(
                    "{} is deprecated: move it into {} (one JSON object, header name to template), which Connect's "
                            + "config validation checks; this setting is checked only when the task starts",
                    setting,
                    TemplateTransformConfig.HEADERS_TEMPLATES);
        }
        config.inlineTemplates().forEach((name, source) -> {
            String setting = config.settingOf(name);
            try {
                defaults.put(name, logPath(engine.compile(setting, source, TemplateSet.producesJson(name))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(setting, source, e.getMessage());
            }
        });
        String eventField = config.eventTypeField();
        eventTypeField = eventField == null ? null : FieldPath.of(eventField);
        DefinitionStore<CompiledTemplate> store = null;
        if (config.usesDefinitionStore()) {
            if (eventTypeField == null) {
                throw new ConfigException(
                        TemplateTransformConfig.EVENT_TYPE_FIELD,
                        null,
                        "required when templates come from the definition store (" + DefinitionsConfig.SOURCE + ")");
            }
            // Compiled on the store's refresh thread: a separate engine, so no Jinjava state is shared with
            // the task thread rendering records.
            TemplateEngine storeEngine = new TemplateEngine(limits, config.failOnUndefined(), compile);
            // shared by every task and instance of the worker with the same source and template settings
            store = DefinitionsConfig.openSharedStore(
                    "template-smt",
                    config,
                    DefinitionKind.templates(),
                    (definition, resolver) -> {
                        if (!TemplateSet.isKnownName(definition.name())) {
                            throw new IllegalArgumentException("unknown template name '" + definition.name()
                                    + "' (value, key, topic, tombstone, headers.<name>)");
                        }
                        return logPath(storeEngine.compile(
                                definition.id(), definition.body(), TemplateSet.producesJson(definition.name())));
                    },
                    limits + "|" + config.failOnUndefined() + "|" + compile);
            // templates that do not compile at start: logged at ERROR; inline ones fail, stored ones follow
            // definitions.on.invalid (fail | skip)
            DefinitionsConfig.checkRejected(store, config, DefinitionKind.templates(), LOG);
        }
        if (defaults.isEmpty() && store == null) {
            throw new ConfigException(TemplateTransformConfig.noTemplatesMessage(config.inlineSet()));
        }
        sets = new TemplateSets(defaults, store);
        valueOutput = valueOutput(config, NumberFormat.EXACT);
        sourceValueOutput =
                config.numberFormat() == NumberFormat.AUTO ? valueOutput(config, NumberFormat.DOUBLE) : valueOutput;
        failOnMissingTemplate = config.failOnMissingTemplate();
        metrics = new TemplateMetrics(config.getString(TemplateTransformConfig.METRICS_ALIAS));
        if (store != null) {
            metrics.store(store);
        }
    }

    /** Which path a template renders through, at DEBUG: at configure and at each (re)load from the store. */
    private static CompiledTemplate logPath(CompiledTemplate template) {
        if (LOG.isDebugEnabled()) {
            if (template.fast() != null) {
                LOG.debug(
                        "template '{}' is compiled: it renders without Jinjava ({} parts; a record it cannot "
                                + "render exactly goes through Jinjava)",
                        template.name(),
                        template.fast().parts());
            } else {
                LOG.debug("template '{}' renders through Jinjava: {}", template.name(), template.jinjavaReason());
            }
        }
        return template;
    }

    /**
     * How a template renders, for tests and diagnostics: the template {@code name} (value, key, topic, tombstone,
     * headers.&lt;name&gt;) of the set an event type gets (null: the inline templates); null if there is none.
     */
    CompiledTemplate.RenderPath renderPath(String eventType, String name) {
        CompiledTemplate template = sets.forType(eventType).named(name);
        return template == null ? null : template.path();
    }

    /** @param auto what {@code value.number.format=auto} means for this output */
    private static ValueOutput valueOutput(TemplateTransformConfig config, NumberFormat auto) {
        String schema = config.getString(TemplateTransformConfig.VALUE_SCHEMA);
        if (schema != null && !schema.isBlank()) {
            return ValueOutput.of(ConnectSchemaJson.parse(schema));
        }
        return config.getBoolean(TemplateTransformConfig.VALUE_SCHEMA_INFER)
                ? ValueOutput.inferred()
                : ValueOutput.schemaless(config.numberFormat() == NumberFormat.AUTO ? auto : config.numberFormat());
    }

    @Override
    public R apply(R record) {
        long start = System.nanoTime();
        try {
            R out = render(record);
            metrics.rendered(start);
            return out;
        } catch (NoTemplateException e) {
            throw e;
        } catch (DataException e) {
            metrics.failed(TemplateMetrics.Cause.of(e));
            throw e;
        }
    }

    private R render(R record) {
        Object rawValue = record.value();
        boolean tombstone = rawValue == null;
        Object value = tombstone ? null : plain(rawValue, record.valueSchema());
        String eventType = tombstone || eventTypeField == null ? null : eventTypeField.getString(value);
        TemplateSet set = sets.forType(eventType);
        if (tombstone && set.tombstone() == null) {
            return record;
        }
        if (set.isEmpty()) {
            if (failOnMissingTemplate) {
                metrics.failed(TemplateMetrics.Cause.NO_TEMPLATE);
                throw new NoTemplateException("no template for event type '" + eventType + "' (field " + eventTypeField
                        + ") and no inline templates (on.missing.template=fail)");
            }
            return record;
        }
        CompiledTemplate valueTemplate = tombstone ? set.tombstone() : set.value();

        Map<String, Object> variables = new HashMap<>(16);
        // wrapped in Jinjava's types by the session, only if a template needs Jinjava
        variables.put("value", value);
        variables.put("key", set.usesKey() ? plain(record.key(), record.keySchema()) : null);
        variables.put("topic", record.topic());
        variables.put("partition", record.kafkaPartition());
        variables.put("offset", record instanceof SinkRecord sink ? sink.kafkaOffset() : null);
        variables.put("timestamp", record.timestamp());
        variables.put("headers", set.usesHeaders() ? headers(record.headers()) : Map.of());

        String topic = record.topic();
        Schema keySchema = record.keySchema();
        Object key = record.key();
        Headers headers = record.headers();
        Schema valueSchema = record.valueSchema();
        Object newValue = rawValue;
        try (RenderSession session = engine.begin(variables)) {
            if (set.topic() != null) {
                topic = topic(session.render(set.topic()).trim(), set.topic());
            }
            if (set.key() != null) {
                String text = session.render(set.key()).trim();
                keySchema = Schema.OPTIONAL_STRING_SCHEMA;
                key = text.isEmpty() ? null : text;
            }
            if (set.headerCount() > 0) {
                headers = headers.duplicate();
                for (int i = 0; i < set.headerCount(); i++) {
                    String text = session.render(set.headerTemplate(i)).trim();
                    headers.remove(set.headerName(i));
                    if (!text.isEmpty()) {
                        headers.addString(set.headerName(i), text);
                    }
                }
            }
            if (valueTemplate != null) {
                SchemaAndValue output = (record instanceof SinkRecord ? valueOutput : sourceValueOutput)
                        .convert(session.render(valueTemplate), valueTemplate.name());
                valueSchema = output.schema();
                newValue = output.value();
            }
        }
        return record.newRecord(
                topic, record.kafkaPartition(), keySchema, key, valueSchema, newValue, record.timestamp(), headers);
    }

    private static String topic(String topic, CompiledTemplate template) {
        if (!LEGAL_TOPIC.matcher(topic).matches()) {
            throw new DataException("template '" + template.name() + "' rendered '"
                    + (topic.length() > 60 ? topic.substring(0, 60) + "..." : topic)
                    + "', not a legal topic name ([a-zA-Z0-9._-], 1 to 249 characters)");
        }
        return topic;
    }

    /**
     * Record data as templates see it: plain maps, lists and scalars; text that is a JSON object or array is parsed
     * once here (exactly one document, numbers exact: 129.90 stays the BigDecimal 129.90).
     */
    static Object plain(Object value, Schema schema) {
        if (value instanceof String text) {
            return RecordJson.looksLikeJsonContainer(text)
                    ? RecordJson.fromJsonNode(RecordJson.parseExact(text))
                    : text;
        }
        if (value instanceof byte[] bytes) {
            return plainBytes(bytes, schema);
        }
        if (value instanceof ByteBuffer buffer) {
            return plainBytes(Bytes.copyOf(buffer), schema);
        }
        return RecordJson.toPlain(value, schema, false);
    }

    private static Object plainBytes(byte[] bytes, Schema schema) {
        return RecordJson.looksLikeJsonContainer(bytes)
                ? RecordJson.fromJsonNode(RecordJson.parseExact(bytes))
                : new String(bytes, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> headers(Headers headers) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Header header : headers) {
            map.put(header.key(), plain(header.value(), header.schema()));
        }
        return map;
    }

    @Override
    public ConfigDef config() {
        return TemplateTransformConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.of(TemplateTransform.class);
    }

    @Override
    public void close() {
        if (sets != null) {
            sets.close();
            sets = null;
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }

    TemplateMetrics metrics() {
        return metrics;
    }

    /** Counted as {@code no-template} where it is thrown, not again by {@link #apply}. */
    private static final class NoTemplateException extends DataException {
        NoTemplateException(String message) {
            super(message);
        }
    }
}
