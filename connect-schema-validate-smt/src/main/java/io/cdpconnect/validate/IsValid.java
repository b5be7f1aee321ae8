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
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * A predicate (KIP-585) that is true for records valid against their event type's JSON Schema, so validity can
 * drive Kafka's built-in SMTs, e.g. {@code Filter} with {@code negate=true} to drop invalid records, or any SMT
 * applied only to valid ones. Same schema settings as {@link JsonSchemaValidation}; tombstones are valid.
 */
public final class IsValid<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {

    private RecordValidator validator;
    private boolean unknownTypeValid;
    private boolean validateKey;

    @Override
    public void configure(Map<String, ?> props) {
        IsValidConfig config = new IsValidConfig(props);
        this.unknownTypeValid = config.getBoolean(IsValidConfig.UNKNOWN_TYPE_VALID);
        this.validateKey = config.getBoolean(IsValidConfig.VALIDATE_KEY);
        this.validator = RecordValidator.open("is-valid", ValidationMetrics.PREDICATE, config, 1);
    }

    @Override
    public boolean test(R record) {
        Object part = validateKey ? record.key() : record.value();
        if (part == null) {
            return true;
        }
        Verdict verdict =
                validator.validate(record, part, validateKey ? record.keySchema() : record.valueSchema(), false);
        return switch (verdict.status()) {
            case VALID -> true;
            case INVALID -> false;
            case UNKNOWN_TYPE -> unknownTypeValid;
        };
    }

    @Override
    public ConfigDef config() {
        return IsValidConfig.CONFIG_DEF;
    }

    @Override
    public void close() {
        if (validator != null) {
            validator.close();
            validator = null;
        }
    }

    @Override
    public String version() {
        return PluginVersion.of(IsValid.class);
    }
}
