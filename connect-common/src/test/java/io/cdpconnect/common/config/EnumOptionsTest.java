/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class EnumOptionsTest {

    enum Policy {
        FAIL,
        KEY_ONLY,
        CDP_MONGO
    }

    @Test
    void valuesAreLowerCaseWithTheOptionsSeparator() {
        assertThat(EnumOptions.names(Policy.values(), '_')).containsExactly("fail", "key_only", "cdp_mongo");
        assertThat(EnumOptions.names(Policy.values(), '.')).containsExactly("fail", "key.only", "cdp.mongo");
        assertThat(EnumOptions.recommender(Policy.values(), '-').validValues("x", Map.of()))
                .containsExactly("fail", "key-only", "cdp-mongo");
    }

    @Test
    void theValidatorIgnoresCaseAndRejectsOtherValues() {
        ConfigDef.Validator validator = EnumOptions.validator(Policy.values(), '.');
        validator.ensureValid("on.oversized", "KEY.ONLY");
        validator.ensureValid("on.oversized", "key.only");
        assertThatThrownBy(() -> validator.ensureValid("on.oversized", "key_only"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> validator.ensureValid("on.oversized", "skip")).isInstanceOf(ConfigException.class);
    }

    @Test
    void parseReadsEverySpelling() {
        assertThat(EnumOptions.parse(Policy.class, " key.only ")).isEqualTo(Policy.KEY_ONLY);
        assertThat(EnumOptions.parse(Policy.class, "Cdp-Mongo")).isEqualTo(Policy.CDP_MONGO);
        assertThat(EnumOptions.parse(Policy.class, "KEY_ONLY")).isEqualTo(Policy.KEY_ONLY);
    }

    @Test
    void nonBlankRejectsEmptyStringsAndPasswordsWithoutShowingThePassword() {
        Validators.nonBlank().ensureValid("url", "jdbc:x");
        assertThatThrownBy(() -> Validators.nonBlank().ensureValid("url", " ")).hasMessageContaining("url");
        assertThatThrownBy(() -> Validators.nonBlank().ensureValid("url", null)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Validators.nonBlankPassword().ensureValid("uri", new Password("  ")))
                .hasMessageContaining("[hidden]");
        Validators.nonBlankPassword().ensureValid("uri", new Password("mongodb://h"));
    }

    @Test
    void parsedByReportsTheParsersErrorOnTheOption() {
        ConfigDef.Validator validator = Validators.parsedBy("a number", (name, value) -> Integer.parseInt(value));
        validator.ensureValid("n", "12");
        validator.ensureValid("n", "");
        assertThatThrownBy(() -> validator.ensureValid("n", "x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value x for configuration n");
        assertThat(validator).hasToString("a number");
    }
}
