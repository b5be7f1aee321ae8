/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import io.cdpconnect.common.RecordJson;
import io.cdpconnect.common.config.EnumOptions;
import io.cdpconnect.common.definitions.Definition;
import io.cdpconnect.common.definitions.DefinitionKind;
import io.cdpconnect.common.definitions.DefinitionSource;
import io.cdpconnect.common.definitions.DefinitionStore;
import io.cdpconnect.common.definitions.DefinitionsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings the validation SMT and the {@link IsValid} predicate share: how a record's event type and schema
 * version are found, how schemas are compiled, where they are stored (the {@code definitions.*} keys) and the
 * JMX metrics scope.
 */
final class ValidationSettings {

    static final String GROUP_EVENT_TYPE = "Event type";
    static final String GROUP_SCHEMA = "Schema";

    static final String EVENT_TYPE_SOURCE = "event.type.source";
    static final String EVENT_TYPE_FIELD = "event.type.field";
    static final String EVENT_TYPE_HEADER = "event.type.header";
    static final String SCHEMA_VERSION_FIELD = "schema.version.field";
    static final String DEFAULT_EVENT_TYPE = "schema.default.event.type";
    static final String SCHEMA_DRAFT = "schema.draft";
    static final String FORMAT_ASSERTIONS = "schema.format.assertions";
    static final String REMOTE_REFS_ALLOWED = "schema.remote.refs.allowed";
    static final String METRICS_SCOPE = "metrics.scope";
    /** Same option, same meaning as the template SMT's. */
    static final String METRICS_ALIAS = "metrics.alias";

    static final String VALUE_STRING_FORMAT = "value.string.format";

    static final DefinitionKind KIND = DefinitionKind.jsonSchemas();

    private ValidationSettings() {}

    /** Where the event type of a record is read from. */
    enum EventTypeSource {
        FIELD,
        HEADER,
        TOPIC;

        static EventTypeSource of(String value) {
            return EnumOptions.parse(EventTypeSource.class, value);
        }
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        def.define(
                        EVENT_TYPE_SOURCE,
                        ConfigDef.Type.STRING,
                        "field",
                        ConfigDef.CaseInsensitiveValidString.in("field", "header", "topic"),
                        ConfigDef.Importance.HIGH,
                        "Where the event type that selects the schema is read: 'field' (" + EVENT_TYPE_FIELD
                                + " in the record), 'header' (" + EVENT_TYPE_HEADER + ") or 'topic' (the topic name).",
                        GROUP_EVENT_TYPE,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Event type source")
                .define(
                        EVENT_TYPE_FIELD,
                        ConfigDef.Type.STRING,
                        "event_type",
                        new FieldPathValidator(false),
                        ConfigDef.Importance.HIGH,
                        "Dotted path of the event type in the record (e.g. event_type, meta.type); used when "
                                + EVENT_TYPE_SOURCE + "=field.",
                        GROUP_EVENT_TYPE,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Event type field")
                .define(
                        EVENT_TYPE_HEADER,
                        ConfigDef.Type.STRING,
                        "event_type",
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.MEDIUM,
                        "Header holding the event type; used when " + EVENT_TYPE_SOURCE + "=header.",
                        GROUP_EVENT_TYPE,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Event type header")
                .define(
                        SCHEMA_VERSION_FIELD,
                        ConfigDef.Type.STRING,
                        "",
                        new FieldPathValidator(true),
                        ConfigDef.Importance.MEDIUM,
                        "Optional dotted path of the schema version (an integer) in the record. Empty, or absent in "
                                + "a record: the latest version of the event type's schema applies.",
                        GROUP_EVENT_TYPE,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Schema version field")
                .define(
                        DEFAULT_EVENT_TYPE,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "Event type whose latest schema validates records that carry no event type. Empty: such "
                                + "records are handled like an unknown event type.",
                        GROUP_EVENT_TYPE,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Default event type")
                .define(
                        VALUE_STRING_FORMAT,
                        ConfigDef.Type.STRING,
                        "auto",
                        EnumOptions.validator(RecordJson.StringFormat.values(), true),
                        ConfigDef.Importance.MEDIUM,
                        "How a text value (a String, or bytes as UTF-8) is read: 'auto' parses text that is a JSON "
                                + "object or array (first non-blank character '{' or '[') and validates anything else "
                                + "as the JSON string it is (JsonConverter turns the JSON datum \"foo\" into the "
                                + "text foo); 'json' parses every text as one JSON document (StringConverter, "
                                + "ByteArrayConverter); 'string' never parses. Parsed text must be exactly one JSON "
                                + "document: anything after it makes the record invalid.",
                        GROUP_EVENT_TYPE,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Text value format",
                        EnumOptions.recommender(RecordJson.StringFormat.values(), true));
        order = 0;
        def.define(
                        SCHEMA_DRAFT,
                        ConfigDef.Type.STRING,
                        "2020-12",
                        ConfigDef.CaseInsensitiveValidString.in("7", "2019-09", "2020-12"),
                        ConfigDef.Importance.MEDIUM,
                        "JSON Schema draft used for schemas that do not declare one with $schema: 7, 2019-09 or "
                                + "2020-12.",
                        GROUP_SCHEMA,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Default draft")
                .define(
                        FORMAT_ASSERTIONS,
                        ConfigDef.Type.BOOLEAN,
                        true,
                        ConfigDef.Importance.MEDIUM,
                        "Whether 'format' (date-time, email, uuid, ...) is asserted: a value that does not match "
                                + "makes the record invalid. Drafts 2019-09 and 2020-12 treat 'format' as an "
                                + "annotation only unless assertions are enabled; set false for that behaviour.",
                        GROUP_SCHEMA,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Assert formats")
                .define(
                        REMOTE_REFS_ALLOWED,
                        ConfigDef.Type.BOOLEAN,
                        false,
                        ConfigDef.Importance.MEDIUM,
                        "Whether $ref may load schemas from http(s) URLs. Off by default: a record path must not "
                                + "depend on a remote server, and fetching URLs named in stored schemas is a "
                                + "server-side request risk. References within a schema (#/$defs/...) and to other "
                                + "stored schemas (cdp://schemas/<event_type>[/<version>]) always work.",
                        GROUP_SCHEMA,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Allow remote $ref")
                .define(
                        METRICS_SCOPE,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.LOW,
                        "Value of the 'scope' key of the JMX metrics under the names this SMT shipped with "
                                + "(io.cdpconnect.validate:type=JsonSchemaValidation for the transform, type=IsValid "
                                + "for the predicate, scope=<scope>,event_type=<type>; kept for existing dashboards, "
                                + "deprecated in favour of cdp.validation, see " + METRICS_ALIAS + "). Empty "
                                + "(default): the connector's name, as Connect sets it in the logging context. Tasks "
                                + "of one scope add up; set it per transform alias to tell two validation transforms "
                                + "of one connector apart.",
                        GROUP_SCHEMA,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Metrics scope")
                .define(
                        METRICS_ALIAS,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.LOW,
                        "Value of the 'alias' tag of this plugin's metrics (cdp.validation:connector=<c>,task=<t>,"
                                + "alias=<alias>[,event_type=<type>] for the transform, cdp.validation-predicate for "
                                + "the IsValid predicate; connector and task come from Connect's logging context). "
                                + "Connect does not tell a transform or predicate its alias: set it to the alias to "
                                + "tell two validation transforms of one connector apart. Empty (default): no alias "
                                + "tag (instances of one task add up). The same option as the template SMT's.",
                        GROUP_SCHEMA,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Metrics alias");
        return DefinitionsConfig.addTo(def, KIND, ValidationSettings::inlineErrors);
    }

    /**
     * Compiles inline schemas with the draft and switches as parsed, for Connect's config validation: each schema
     * that does not compile, by event type and version (a JSON syntax error names its line and column).
     */
    static Map<String, String> inlineErrors(List<Definition> definitions, Map<String, Object> parsed) {
        SchemaCompiler compiler;
        try {
            compiler = new SchemaCompiler(
                    SchemaCompiler.Draft.of(String.valueOf(parsed.getOrDefault(SCHEMA_DRAFT, "2020-12"))),
                    !Boolean.FALSE.equals(parsed.get(FORMAT_ASSERTIONS)),
                    Boolean.TRUE.equals(parsed.get(REMOTE_REFS_ALLOWED)));
        } catch (IllegalArgumentException badDraft) {
            return Map.of(); // reported on schema.draft
        }
        DefinitionSource source = new DefinitionSource() {
            @Override
            public List<Definition> load() {
                return definitions;
            }

            @Override
            public String describe() {
                return "inline config";
            }
        };
        try (DefinitionStore<CompiledSchema> store =
                DefinitionStore.open("config-validation", KIND, source, compiler, Duration.ZERO)) {
            return store.errors();
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static SchemaCompiler compiler(AbstractConfig config) {
        return new SchemaCompiler(
                SchemaCompiler.Draft.of(config.getString(SCHEMA_DRAFT)),
                config.getBoolean(FORMAT_ASSERTIONS),
                config.getBoolean(REMOTE_REFS_ALLOWED));
    }

    static RecordJson.StringFormat stringFormat(AbstractConfig config) {
        return RecordJson.StringFormat.of(config.getString(VALUE_STRING_FORMAT));
    }

    /** The settings a compiled schema depends on, for sharing a store between plugin instances. */
    static String compilerKey(AbstractConfig config) {
        return SchemaCompiler.Draft.of(config.getString(SCHEMA_DRAFT)) + "|" + config.getBoolean(FORMAT_ASSERTIONS)
                + "|" + config.getBoolean(REMOTE_REFS_ALLOWED);
    }

    static EventTypeResolver eventTypeResolver(AbstractConfig config) {
        return new EventTypeResolver(
                EventTypeSource.of(config.getString(EVENT_TYPE_SOURCE)),
                config.getString(EVENT_TYPE_FIELD),
                config.getString(EVENT_TYPE_HEADER),
                blankToNull(config.getString(SCHEMA_VERSION_FIELD)),
                blankToNull(config.getString(DEFAULT_EVENT_TYPE)));
    }

    private record FieldPathValidator(boolean optional) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String path = (String) value;
            if (path == null || path.isBlank()) {
                if (optional) {
                    return;
                }
                throw new ConfigException(name, value, "must not be empty");
            }
            try {
                io.cdpconnect.common.FieldPath.of(path);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return optional ? "empty or a dotted field path" : "a dotted field path (a.b.0.c)";
        }
    }
}
