/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static io.cdpconnect.template.Records.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.testing.ConfigErrors;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return ConfigErrors.of(new TemplateTransform<>().config().validate(props), name);
    }

    @Test
    void inlineTemplatesThatDoNotParseAreReportedByEventTypeAndLine() {
        List<String> errors = errors(
                Map.of(
                        "event.type.field",
                        "event_type",
                        "definitions.inline",
                        "{\"page_view\": {\"value\": \"{\\\"a\\\": 1,\\n \\\"b\\\": {{ value.x \"}, \"ok\": \"{}\","
                                + " \"odd\": {\"body\": \"x\"}}"),
                "definitions.inline");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0))
                .contains("page_view/value")
                .contains("line 2")
                .contains("odd/body")
                .doesNotContain("ok/value");
    }

    @Test
    void jdbcWithoutUrlIsReportedOnTheUrl() {
        assertThat(errors(
                        Map.of("event.type.field", "event_type", "definitions.source", "jdbc"), "definitions.jdbc.url"))
                .anySatisfy(e -> assertThat(e).contains("required"));
    }

    @Test
    void directoryWithoutItsDirectoryIsReportedOnTheDirectory() {
        assertThat(errors(
                        Map.of("event.type.field", "event_type", "definitions.source", "directory"),
                        "definitions.directory"))
                .anySatisfy(e -> assertThat(e).contains("required"));
    }

    @Test
    void storedTemplatesThatDoNotParseFailTheStartUnlessSkipped() throws Exception {
        Files.writeString(dir.resolve("page_view.j2"), "{\"a\": {{ value.a }}}");
        Files.writeString(dir.resolve("broken.j2"), "{% for x in value.items %}");
        assertThatThrownBy(() -> transform(
                        "event.type.field",
                        "event_type",
                        "definitions.source",
                        "directory",
                        "definitions.directory",
                        dir.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broken/value")
                .hasMessageContaining("definitions.on.invalid");
        TemplateTransform<?> started = transform(
                "event.type.field",
                "event_type",
                "definitions.source",
                "directory",
                "definitions.directory",
                dir.toString(),
                "definitions.on.invalid",
                "skip");
        started.close();
    }

    // #13: header templates as one declared option, so /config/validate compiles them (free-form
    // headers.<name>.template keys never reach a transform's ConfigDef there)
    @Test
    void headerTemplatesThatDoNotParseAreReportedByHeaderNameAndLine() {
        List<String> errors = errors(
                Map.of(
                        "value.template",
                        "{}",
                        "headers.templates",
                        "{\"x-ok\": \"{{ value.a }}\", \"x-customer\": \"{{ value.a }}\\n{{ value.b \"}"),
                "headers.templates");
        assertThat(errors)
                .singleElement()
                .satisfies(e ->
                        assertThat(e).contains("x-customer").contains("line 2").doesNotContain("x-ok"));
    }

    @Test
    void headerTemplatesMustBeAJsonObjectOfStrings() {
        assertThat(errors(Map.of("value.template", "{}", "headers.templates", "[\"x\"]"), "headers.templates"))
                .singleElement()
                .satisfies(e -> assertThat(e).contains("JSON object"));
        assertThat(errors(Map.of("value.template", "{}", "headers.templates", "{\"x\": 1}"), "headers.templates"))
                .singleElement()
                .satisfies(e -> assertThat(e).contains("'x'").contains("string"));
        assertThat(errors(
                        Map.of("value.template", "{}", "headers.templates", "{\"x\": \"a\"} {}"), "headers.templates"))
                .isNotEmpty();
        assertThat(errors(Map.of("value.template", "{}", "headers.templates", "{\" \": \"a\"}"), "headers.templates"))
                .isNotEmpty();
    }

    @Test
    void aTransformWithoutAnyTemplateIsReportedAtValidation() {
        assertThat(errors(Map.of(), "value.template"))
                .singleElement()
                .satisfies(e -> assertThat(e).contains("no templates"));
        assertThat(errors(Map.of("headers.templates", "{\"x\": \"{{ value.a }}\"}"), "value.template"))
                .isEmpty();
        assertThat(errors(Map.of("topic.template", "t"), "value.template")).isEmpty();
        // a store outside the config may hold templates: checked at start
        assertThat(errors(
                        Map.of(
                                "event.type.field",
                                "e",
                                "definitions.source",
                                "directory",
                                "definitions.directory",
                                "/x"),
                        "value.template"))
                .isEmpty();
    }

    @Test
    void anInlineDefinitionSetWithoutTemplatesIsReportedAtValidationAndAtStart() {
        for (String empty : List.of("{}", " { } ")) {
            assertThat(errors(Map.of("event.type.field", "event_type", "definitions.inline", empty), "value.template"))
                    .singleElement()
                    .satisfies(e -> assertThat(e).contains("no templates").contains("definitions.inline"));
            assertThatThrownBy(() -> transform("event.type.field", "event_type", "definitions.inline", empty))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("no templates");
        }
        assertThat(errors(
                        Map.of(
                                "event.type.field",
                                "event_type",
                                "definitions.inline",
                                "{\"page_view\": {\"value\": \"{}\"}}"),
                        "value.template"))
                .isEmpty();
    }

    @Test
    void aValidConfigWithHeaderTemplatesHasNoErrors() {
        assertThat(new TemplateTransform<>()
                                .config()
                                .validate(Map.of(
                                        "value.template", "{}", "headers.templates", "{\"x-a\": \"{{ value.a }}\"}"))
                                .stream()
                                .flatMap(v -> v.errorMessages().stream()))
                .isEmpty();
    }
}
