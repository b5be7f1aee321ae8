/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.OutputFormat;
import io.cdpconnect.common.RecordJson;
import io.cdpconnect.common.definitions.CompiledDefinition;
import io.cdpconnect.common.definitions.DefinitionStore;
import io.cdpconnect.common.definitions.DefinitionsConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * The validation engine shared by the SMT and the predicate: converts a record part to JSON, picks the schema
 * (event type, version, default), validates and counts. Thread-safe; one per plugin instance.
 */
final class RecordValidator implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecordValidator.class);

    private final DefinitionStore<CompiledSchema> schemas;
    private final EventTypeResolver types;
    private final ValidationCounters metrics;
    private final int maxErrors;
    private final RecordJson.StringFormat stringFormat;

    RecordValidator(
            DefinitionStore<CompiledSchema> schemas,
            EventTypeResolver types,
            ValidationCounters metrics,
            int maxErrors,
            RecordJson.StringFormat stringFormat) {
        this.schemas = schemas;
        this.types = types;
        this.metrics = metrics;
        this.maxErrors = maxErrors;
        this.stringFormat = stringFormat;
    }

    /** Opens the schema store and metrics the config names. */
    static RecordValidator open(String name, AbstractConfig config, int maxErrors) {
        return open(name, ValidationMetrics.TRANSFORM, config, maxErrors);
    }

    /** @param metricsType {@link ValidationMetrics#TRANSFORM} or {@link ValidationMetrics#PREDICATE} */
    static RecordValidator open(String name, String metricsType, AbstractConfig config, int maxErrors) {
        EventTypeResolver types = ValidationSettings.eventTypeResolver(config);
        // one store per worker for all tasks and instances with the same source and schema settings
        DefinitionStore<CompiledSchema> store = DefinitionsConfig.openSharedStore(
                name,
                config,
                ValidationSettings.KIND,
                ValidationSettings.compiler(config),
                ValidationSettings.compilerKey(config));
        // inline schemas are config: a broken one fails at once (and at /config/validate). Directory and database
        // schemas that do not compile at start: logged at ERROR, then definitions.on.invalid (fail | skip).
        DefinitionsConfig.checkRejected(store, config, ValidationSettings.KIND, LOG);
        ValidationCounters counters = new ValidationCounters(
                metricsType,
                ValidationMetrics.defaultScope(config.getString(ValidationSettings.METRICS_SCOPE)),
                config.getString(ValidationSettings.METRICS_ALIAS));
        counters.store(store);
        return new RecordValidator(store, types, counters, maxErrors, ValidationSettings.stringFormat(config));
    }

    /**
     * Validates one record part.
     *
     * @param record      the record (for header/topic based event types)
     * @param value       the key or value: Struct, Map, JSON text or bytes, ...
     * @param valueSchema its Connect schema, or null
     */
    Verdict validate(ConnectRecord<?> record, Object value, Schema valueSchema) {
        return validate(record, value, valueSchema, true);
    }

    /**
     * As {@link #validate(ConnectRecord, Object, Schema)}; with {@code detailed} false, validation stops at the first
     * error and invalid verdicts carry no error list (what a yes/no predicate needs).
     */
    Verdict validate(ConnectRecord<?> record, Object value, Schema valueSchema, boolean detailed) {
        JsonNode node;
        try {
            node = instance(value, valueSchema);
        } catch (DataException e) {
            String type = types.eventType(record, null);
            metrics.of(type).invalid();
            return Verdict.invalid(
                    type, EventTypeResolver.LATEST, List.of(new ValidationError("", "json", e.getMessage())), 1);
        }
        String type = types.eventType(record, node);
        int version = types.version(node);
        CompiledDefinition<CompiledSchema> entry;
        if (type == null) {
            if (types.defaultType() == null) {
                metrics.of(null).unknown();
                return Verdict.unknown(null, version, "record has no event type in its " + types.describeSource());
            }
            type = types.defaultType();
            entry = schemas.latestEntry(type);
        } else if (version == EventTypeResolver.MALFORMED) {
            metrics.of(type).unknown();
            return Verdict.unknown(type, version, "schema version is not a non-negative integer");
        } else {
            entry = version == EventTypeResolver.LATEST ? schemas.latestEntry(type) : schemas.entry(type, version);
        }
        ValidationCounters.EventCounts counters = metrics.of(type);
        if (entry == null) {
            counters.unknown();
            CompiledDefinition<CompiledSchema> latest = version >= 0 ? schemas.latestEntry(type) : null;
            return Verdict.unknown(
                    type,
                    version,
                    latest != null
                            ? "no schema version " + version + " for this event type (latest is " + latest.version()
                                    + ")"
                            : "no schema for this event type");
        }
        CompiledSchema schema = entry.compiled();
        if (!detailed) {
            if (schema.schema().validate(node, OutputFormat.BOOLEAN)) {
                counters.valid();
                return Verdict.VALID;
            }
            counters.invalid();
            return Verdict.invalid(type, schema.version(), List.of(), 1);
        }
        List<Error> errors = schema.schema().validate(node);
        if (errors.isEmpty()) {
            counters.valid();
            return Verdict.VALID;
        }
        counters.invalid();
        List<ValidationError> first = new ArrayList<>(Math.min(errors.size(), maxErrors));
        for (int i = 0; i < errors.size() && i < maxErrors; i++) {
            Error e = errors.get(i);
            first.add(new ValidationError(
                    e.getInstanceLocation() == null
                            ? ""
                            : e.getInstanceLocation().toString(),
                    e.getKeyword() == null ? "" : e.getKeyword(),
                    e.getMessage()));
        }
        return Verdict.invalid(type, schema.version(), first, errors.size());
    }

    /**
     * The record part as the JSON instance to validate: text read per {@code value.string.format} (exactly one
     * document, numbers exact), numbers canonical so that 12 from a Long equals the schema's 12.
     */
    private JsonNode instance(Object value, Schema valueSchema) {
        // one pass over the value; a JsonNode value (the record's own object) is copied, never canonicalised in place
        return RecordJson.toCanonicalJsonNode(value, valueSchema, stringFormat);
    }

    ValidationCounters metrics() {
        return metrics;
    }

    DefinitionStore<CompiledSchema> schemas() {
        return schemas;
    }

    @Override
    public void close() {
        try {
            schemas.close();
        } finally {
            metrics.close();
        }
    }
}
