/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DeprecatedNamesTest {

    private static final DeprecatedNames RENAMED = DeprecatedNames.of("x.path", "x.location");
    private static final ConfigDef DEF = new ConfigDef()
            .define(
                    "x.location",
                    ConfigDef.Type.STRING,
                    "",
                    Validators.parsedBy("an absolute path", (name, value) -> {
                        if (!value.startsWith("/")) {
                            throw new IllegalArgumentException("not absolute");
                        }
                    }),
                    ConfigDef.Importance.LOW,
                    "where" + RENAMED.note("x.location"));

    @Test
    void anOldNameIsReadAsTheNewOne() {
        Map<String, String> applied = RENAMED.apply(Map.of("x.path", "/a", "other", "1"));
        assertThat(applied).containsExactlyInAnyOrderEntriesOf(Map.of("x.location", "/a", "other", "1"));
        Map<String, String> untouched = Map.of("x.location", "/b");
        assertThat(RENAMED.apply(untouched)).isSameAs(untouched);
    }

    @Test
    void bothNamesWithTheSameValueAreFineDifferentValuesAreAnErrorOnTheNewName() {
        assertThat(RENAMED.apply(Map.of("x.path", "/a", "x.location", "/a"))).containsOnlyKeys("x.location");
        assertThatThrownBy(() -> RENAMED.apply(Map.of("x.path", "/a", "x.location", "/b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("x.location")
                .hasMessageContaining("x.path")
                .hasMessageNotContaining("/a")
                .hasMessageNotContaining("/b");
    }

    @Test
    void validateChecksTheOldNamesValueOnTheNewName() {
        Config config = RENAMED.validate(Map.of("x.path", "relative"), props -> new Config(DEF.validate(props)));
        assertThat(config.configValues().get(0).name()).isEqualTo("x.location");
        assertThat(config.configValues().get(0).errorMessages())
                .singleElement()
                .asString()
                .contains("not absolute");
        Config conflict =
                RENAMED.validate(Map.of("x.path", "/a", "x.location", "/b"), props -> new Config(DEF.validate(props)));
        assertThat(conflict.configValues().get(0).errorMessages())
                .singleElement()
                .asString()
                .contains("x.path");
    }

    @Test
    void theConfigReferenceNamesTheOldName() {
        assertThat(DEF.configKeys().get("x.location").documentation)
                .contains("Replaces x.path")
                .contains("deprecated");
        assertThat(RENAMED.note("other")).isEmpty();
    }
}
