/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import io.cdpconnect.common.PluginVersion;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates each record's value ({@link Value}) or key ({@link Key}) against the JSON Schema of its event type,
 * with the schemas kept in the config, a directory or a database table and reloaded without restart.
 *
 * <p>Valid records pass unchanged. Invalid ones follow {@code on.invalid} (fail, drop, route); records whose event
 * type has no schema follow {@code on.unknown.type}. Tombstones (null) pass unchanged: they delete, they do not
 * carry an event.
 */
public abstract class JsonSchemaValidation<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    private static final Logger log = LoggerFactory.getLogger(JsonSchemaValidation.class);

    private RecordValidator validator;
    private ErrorHeaders errorHeaders;
    private JsonSchemaValidationConfig.OnInvalid onInvalid;
    private JsonSchemaValidationConfig.OnUnknownType onUnknownType;
    private String invalidTopic;
    private DropLog dropLog;

    @Override
    public void configure(Map<String, ?> props) {
        JsonSchemaValidationConfig config = new JsonSchemaValidationConfig(props);
        this.onInvalid = config.onInvalid();
        this.onUnknownType = config.onUnknownType();
        this.invalidTopic = config.getString(JsonSchemaValidationConfig.ON_INVALID_TOPIC);
        this.errorHeaders = new ErrorHeaders(
                config.getString(JsonSchemaValidationConfig.HEADER_PREFIX),
                config.getInt(JsonSchemaValidationConfig.ERRORS_HEADER_MAX_BYTES));
        this.dropLog = new DropLog(log);
        this.validator =
                RecordValidator.open("schema-validation", config, config.getInt(JsonSchemaValidationConfig.ERRORS_MAX));
    }

    @Override
    public R apply(R record) {
        Object part = operatingValue(record);
        if (part == null) {
            return record;
        }
        Verdict verdict = validator.validate(record, part, operatingSchema(record));
        return switch (verdict.status()) {
            case VALID -> record;
            case INVALID -> onInvalid(record, verdict);
            case UNKNOWN_TYPE -> onUnknownType(record, verdict);
        };
    }

    private R onInvalid(R record, Verdict verdict) {
        switch (onInvalid) {
            case DROP:
                validator.metrics().of(verdict.eventType()).dropped();
                dropLog.dropped("invalid", where(record) + ": " + errorHeaders.summary(verdict));
                return null;
            case ROUTE:
                validator.metrics().of(verdict.eventType()).routed();
                Headers headers = record.headers().duplicate();
                errorHeaders.addTo(headers, verdict);
                return record.newRecord(
                        invalidTopic.replace("${topic}", record.topic()),
                        record.kafkaPartition(),
                        record.keySchema(),
                        record.key(),
                        record.valueSchema(),
                        record.value(),
                        record.timestamp(),
                        headers);
            case FAIL:
            default:
                throw new DataException("record " + where(record) + " is invalid against schema "
                        + errorHeaders.summary(verdict) + " | errors: " + errorHeaders.errorsJson(verdict));
        }
    }

    private R onUnknownType(R record, Verdict verdict) {
        switch (onUnknownType) {
            case PASS:
                return record;
            case DROP:
                validator.metrics().of(verdict.eventType()).dropped();
                dropLog.dropped("unknown event type", where(record) + ": " + verdict.summary());
                return null;
            case FAIL:
            default:
                throw new DataException("record " + where(record) + " has no schema: " + verdict.summary());
        }
    }

    private static String where(ConnectRecord<?> record) {
        String at = "topic " + record.topic() + (record.kafkaPartition() == null ? "" : "-" + record.kafkaPartition());
        return record instanceof SinkRecord sink ? at + "@" + sink.kafkaOffset() : at;
    }

    protected abstract Object operatingValue(R record);

    protected abstract Schema operatingSchema(R record);

    @Override
    public ConfigDef config() {
        return JsonSchemaValidationConfig.CONFIG_DEF;
    }

    @Override
    public void close() {
        if (validator != null) {
            validator.close();
            validator = null;
        }
    }

    /** Version of the plugin (Connect shows it in the plugin list). */
    @Override
    public String version() {
        return PluginVersion.of(JsonSchemaValidation.class);
    }

    /** Validates record values. */
    public static final class Value<R extends ConnectRecord<R>> extends JsonSchemaValidation<R> {
        @Override
        protected Object operatingValue(R record) {
            return record.value();
        }

        @Override
        protected Schema operatingSchema(R record) {
            return record.valueSchema();
        }
    }

    /** Validates record keys. */
    public static final class Key<R extends ConnectRecord<R>> extends JsonSchemaValidation<R> {
        @Override
        protected Object operatingValue(R record) {
            return record.key();
        }

        @Override
        protected Schema operatingSchema(R record) {
            return record.keySchema();
        }
    }
}
