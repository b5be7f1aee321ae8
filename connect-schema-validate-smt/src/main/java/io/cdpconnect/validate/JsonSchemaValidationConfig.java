/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import io.cdpconnect.common.config.EnumOptions;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Configuration of {@link JsonSchemaValidation}. */
public final class JsonSchemaValidationConfig extends AbstractConfig {

    static final String GROUP_INVALID = "Invalid records";

    public static final String ON_INVALID = "on.invalid";
    public static final String ON_INVALID_TOPIC = "on.invalid.topic";
    public static final String ON_UNKNOWN_TYPE = "on.unknown.type";
    public static final String ERRORS_MAX = "validation.errors.max";
    public static final String ERRORS_HEADER_MAX_BYTES = "validation.errors.header.max.bytes";
    public static final String HEADER_PREFIX = "validation.header.prefix";

    /** What to do with a record that breaks its schema. */
    public enum OnInvalid {
        FAIL,
        DROP,
        ROUTE
    }

    /** What to do with a record whose event type has no schema. */
    public enum OnUnknownType {
        FAIL,
        PASS,
        DROP
    }

    public static final ConfigDef CONFIG_DEF = configDef();

    public JsonSchemaValidationConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    private static ConfigDef configDef() {
        ConfigDef def = ValidationSettings.addTo(new ConfigDef());
        int order = 0;
        return def.define(
                        ON_INVALID,
                        ConfigDef.Type.STRING,
                        "fail",
                        ConfigDef.CaseInsensitiveValidString.in("fail", "drop", "route"),
                        ConfigDef.Importance.HIGH,
                        "What happens to a record that breaks its schema: 'fail' throws a DataException (Connect's "
                                + "errors.tolerance and dead letter queue apply; the message names the event type, "
                                + "schema version and first errors), 'drop' removes it (counted in JMX and logged), "
                                + "'route' sends it to " + ON_INVALID_TOPIC + " with the error headers.",
                        GROUP_INVALID,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "On invalid")
                .define(
                        ON_INVALID_TOPIC,
                        ConfigDef.Type.STRING,
                        "${topic}.invalid",
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.MEDIUM,
                        "Topic of routed invalid records; ${topic} is replaced by the record's topic.",
                        GROUP_INVALID,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Invalid topic")
                .define(
                        ON_UNKNOWN_TYPE,
                        ConfigDef.Type.STRING,
                        "fail",
                        ConfigDef.CaseInsensitiveValidString.in("fail", "pass", "drop"),
                        ConfigDef.Importance.HIGH,
                        "What happens to a record whose event type (or requested version) has no schema, or that "
                                + "has no event type and no default: 'fail' throws a DataException, 'pass' lets it "
                                + "through unvalidated, 'drop' removes it (counted and logged).",
                        GROUP_INVALID,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "On unknown type")
                .define(
                        ERRORS_MAX,
                        ConfigDef.Type.INT,
                        10,
                        ConfigDef.Range.between(1, 1000),
                        ConfigDef.Importance.LOW,
                        "Most errors reported per invalid record (in headers and exception messages).",
                        GROUP_INVALID,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Errors reported")
                .define(
                        ERRORS_HEADER_MAX_BYTES,
                        ConfigDef.Type.INT,
                        4096,
                        ConfigDef.Range.between(256, 1 << 20),
                        ConfigDef.Importance.LOW,
                        "Size cap of the errors header (and of the exception message's error list); longer lists "
                                + "are cut at a whole error.",
                        GROUP_INVALID,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Errors header size")
                .define(
                        HEADER_PREFIX,
                        ConfigDef.Type.STRING,
                        "cdp.validation.",
                        ConfigDef.Importance.LOW,
                        "Prefix of the headers added to invalid records: <prefix>errors (JSON array of {path, "
                                + "keyword, message}), <prefix>error.count, <prefix>event.type, "
                                + "<prefix>schema.version.",
                        GROUP_INVALID,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Header prefix");
    }

    OnInvalid onInvalid() {
        return EnumOptions.parse(OnInvalid.class, getString(ON_INVALID));
    }

    OnUnknownType onUnknownType() {
        return EnumOptions.parse(OnUnknownType.class, getString(ON_UNKNOWN_TYPE));
    }
}
