/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/** The errors of a {@code validate()} result by option, as PUT /connector-plugins/{name}/config/validate shows them. */
public final class ConfigErrors {

    private ConfigErrors() {}

    /** Option name to its error messages, only the options that have any. */
    public static Map<String, List<String>> byOption(Config config) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ConfigValue v : config.configValues()) {
            if (!v.errorMessages().isEmpty()) {
                out.put(v.name(), v.errorMessages());
            }
        }
        return out;
    }

    /** The error messages of one option in a {@code ConfigDef.validate} result (empty when it has none). */
    public static List<String> of(List<ConfigValue> values, String option) {
        return values.stream()
                .filter(v -> v.name().equals(option))
                .findFirst()
                .map(ConfigValue::errorMessages)
                .orElseThrow(() -> new AssertionError("no option " + option + " in the validate() result"));
    }
}
