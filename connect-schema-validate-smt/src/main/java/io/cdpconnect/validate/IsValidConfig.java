/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Configuration of the {@link IsValid} predicate. */
public final class IsValidConfig extends AbstractConfig {

    public static final String UNKNOWN_TYPE_VALID = "unknown.type.valid";
    public static final String VALIDATE_KEY = "validate.key";

    public static final ConfigDef CONFIG_DEF = ValidationSettings.addTo(new ConfigDef())
            .define(
                    UNKNOWN_TYPE_VALID,
                    ConfigDef.Type.BOOLEAN,
                    false,
                    ConfigDef.Importance.MEDIUM,
                    "Whether a record whose event type has no schema (or that has no event type and no default) "
                            + "counts as valid.",
                    "Predicate",
                    1,
                    ConfigDef.Width.SHORT,
                    "Unknown types are valid")
            .define(
                    VALIDATE_KEY,
                    ConfigDef.Type.BOOLEAN,
                    false,
                    ConfigDef.Importance.LOW,
                    "Validate the record key instead of the value.",
                    "Predicate",
                    2,
                    ConfigDef.Width.SHORT,
                    "Validate key");

    public IsValidConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }
}
