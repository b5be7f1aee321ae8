/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class CrossOptionChecksTest {

    private static final ConfigDef DEF = new ConfigDef()
            .define(
                    "insert.mode",
                    ConfigDef.Type.STRING,
                    "insert",
                    EnumOptions.validator(Mode.values(), true),
                    ConfigDef.Importance.HIGH,
                    "mode")
            .define("pk.fields", ConfigDef.Type.LIST, "", ConfigDef.Importance.HIGH, "keys");

    enum Mode {
        INSERT,
        UPSERT
    }

    private static Config validate(Map<String, String> props) {
        return new Config(DEF.validate(props));
    }

    private static List<String> errorsOf(Config config, String name) {
        return config.configValues().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .map(ConfigValue::errorMessages)
                .orElseThrow();
    }

    private static void upsertNeedsKeys(Map<String, String> props) {
        if ("upsert".equals(props.get("insert.mode"))
                && props.getOrDefault("pk.fields", "").isEmpty()) {
            throw CrossOptionChecks.problem("pk.fields", "", "upsert needs primary key fields");
        }
    }

    @Test
    void crossOptionErrorIsShownOnTheOptionItNames() {
        Map<String, String> props = Map.of("insert.mode", "upsert");
        Config config = CrossOptionChecks.addTo(validate(props), () -> upsertNeedsKeys(props), "insert.mode");
        assertThat(errorsOf(config, "pk.fields")).singleElement().asString().contains("upsert needs primary key");
        assertThat(errorsOf(config, "insert.mode")).isEmpty();
    }

    @Test
    void errorNamingNoOptionGoesToTheFallback() {
        Config config = CrossOptionChecks.addTo(
                validate(Map.of()),
                () -> {
                    throw new ConfigException("something is off");
                },
                "insert.mode");
        assertThat(errorsOf(config, "insert.mode")).containsExactly("something is off");
    }

    @Test
    void theOptionComesFromTheProblemNotFromTheMessageText() {
        Config config = CrossOptionChecks.addTo(
                validate(Map.of()),
                () -> {
                    throw new ConfigException("pk.fields", "", "names an option only in its text");
                },
                "insert.mode");
        assertThat(errorsOf(config, "pk.fields")).isEmpty();
        assertThat(errorsOf(config, "insert.mode")).singleElement().asString().contains("only in its text");
    }

    @Test
    void aProblemKeepsKafkasMessageAndItsOwnText() {
        CrossOptionChecks.OptionProblem problem = CrossOptionChecks.problem("pk.fields", "", "needs keys");
        assertThat(problem.option()).isEqualTo("pk.fields");
        assertThat(problem.problem()).isEqualTo("needs keys");
        assertThat(problem.getMessage()).isEqualTo(new ConfigException("pk.fields", "", "needs keys").getMessage());
    }

    @Test
    void crossChecksWaitUntilEveryOptionIsValidAlone() {
        Map<String, String> props = Map.of("insert.mode", "sideways");
        Config config = CrossOptionChecks.addTo(
                validate(props),
                () -> {
                    throw new AssertionError("must not run");
                },
                null);
        assertThat(errorsOf(config, "insert.mode")).isNotEmpty();
        assertThat(EnumOptions.names(Mode.values(), true)).containsExactly("insert", "upsert");
    }
}
