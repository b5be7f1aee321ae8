/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.testing.ConfigErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config mistakes found by Connect's validation (ConfigDef.validate, what PUT .../config/validate runs). */
class ConfigValidationTest {

    @TempDir
    Path dir;

    private static List<String> errors(Map<String, String> props, String name) {
        return ConfigErrors.of(new JsonSchemaValidation.Value<>().config().validate(props), name);
    }

    @Test
    void inlineSchemasThatDoNotCompileAreReportedByEventType() {
        List<String> errors = errors(
                Map.of(
                        "definitions.inline",
                        "{\"good\": {\"type\": \"object\"}," + " \"bad_ref\": {\"$ref\": \"cdp://schemas/missing\"}}"),
                "definitions.inline");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("bad_ref/1").doesNotContain("good/1");
        assertThat(new IsValid<>()
                                .config()
                                .validate(Map.of(
                                        "definitions.inline", "{\"bad_ref\": {\"$ref\": \"cdp://schemas/missing\"}}"))
                                .stream()
                                .filter(v -> v.name().equals("definitions.inline"))
                                .findFirst()
                                .orElseThrow()
                                .errorMessages())
                .hasSize(1);
    }

    @Test
    void jdbcWithoutUrlIsReportedOnTheUrl() {
        assertThat(errors(Map.of("definitions.source", "jdbc"), "definitions.jdbc.url"))
                .anySatisfy(e -> assertThat(e).contains("required"));
    }

    @Test
    void storedSchemasThatDoNotCompileFailTheStartUnlessSkipped() throws Exception {
        Files.writeString(dir.resolve("good.json"), "{\"type\": \"object\"}");
        Files.writeString(dir.resolve("broken.json"), "{\"type\": ");
        Map<String, Object> props = new HashMap<>(Map.of(
                "definitions.source",
                "directory",
                "definitions.directory",
                dir.toString(),
                "definitions.refresh.ms",
                "0"));
        JsonSchemaValidation<?> failing = new JsonSchemaValidation.Value<>();
        assertThatThrownBy(() -> failing.configure(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broken/1")
                .hasMessageContaining("definitions.on.invalid");
        props.put("definitions.on.invalid", "skip");
        JsonSchemaValidation<?> skipping = new JsonSchemaValidation.Value<>();
        skipping.configure(props);
        skipping.close();
    }
}
