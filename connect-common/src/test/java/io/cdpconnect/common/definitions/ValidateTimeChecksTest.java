/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** What Connect's {@code PUT .../config/validate} runs (ConfigDef.validate) reports two-option mistakes. */
class ValidateTimeChecksTest {

    private static final ConfigDef SCHEMAS = DefinitionsConfig.addTo(new ConfigDef(), DefinitionKind.jsonSchemas());

    static List<String> errors(ConfigDef def, Map<String, String> props, String name) {
        return def.validate(props).stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .map(ConfigValue::errorMessages)
                .orElseThrow();
    }

    @Test
    void aSourceWithoutItsLocationIsReportedOnTheMissingOption() {
        assertThat(errors(SCHEMAS, Map.of("definitions.source", "jdbc"), "definitions.jdbc.url"))
                .anySatisfy(e -> assertThat(e).contains("required when definitions.source=jdbc"));
        assertThat(errors(SCHEMAS, Map.of("definitions.source", "directory"), "definitions.directory"))
                .anySatisfy(e -> assertThat(e).contains("required when definitions.source=directory"));
        assertThat(errors(
                        SCHEMAS,
                        Map.of("definitions.source", "jdbc", "definitions.jdbc.url", "jdbc:postgresql://db/cdp"),
                        "definitions.jdbc.url"))
                .isEmpty();
        assertThat(errors(SCHEMAS, Map.of("definitions.source", "inline"), "definitions.jdbc.url"))
                .isEmpty();
    }
}
