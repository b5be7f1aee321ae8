package io.cdpconnect.template;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.cdpconnect.template.Records.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Config mistakes found by Connect's validation (ConfigDef.validate, what PUT .../config/validate runs). */
class ConfigValidationTest {

    @TempDir
    Path dir;

    private static List<String> errors(Map<String, String> props, String name) {
        return new TemplateTransform<>().config().validate(props).stream().filter(v -> v.name().equals(name))
                .findFirst().map(ConfigValue::errorMessages).orElseThrow();
    }

    @Test
    void inlineTemplatesThatDoNotParseAreReportedByEventTypeAndLine() {
        List<String> errors = errors(Map.of("event.type.field", "event_type", "definitions.inline",
                "{\"page_view\": {\"value\": \"{\\\"a\\\": 1,\\n \\\"b\\\": {{ value.x \"}, \"ok\": \"{}\","
                        + " \"odd\": {\"body\": \"x\"}}"), "definitions.inline");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("page_view/value").contains("line 2").contains("odd/body")
                .doesNotContain("ok/value");
    }

    @Test
    void jdbcWithoutUrlIsReportedOnTheUrl() {
        assertThat(errors(Map.of("event.type.field", "event_type", "definitions.source", "jdbc"),
                "definitions.jdbc.url")).anySatisfy(e -> assertThat(e).contains("required"));
    }

    @Test
    void storedTemplatesThatDoNotParseFailTheStartUnlessSkipped() throws Exception {
        Files.writeString(dir.resolve("page_view.j2"), "{\"a\": {{ value.a }}}");
        Files.writeString(dir.resolve("broken.j2"), "{% for x in value.items %}");
        assertThatThrownBy(() -> transform("event.type.field", "event_type", "definitions.source", "directory",
                "definitions.directory", dir.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("broken/value")
                .hasMessageContaining("definitions.on.invalid");
        TemplateTransform<?> started = transform("event.type.field", "event_type", "definitions.source", "directory",
                "definitions.directory", dir.toString(), "definitions.on.invalid", "skip");
        started.close();
    }
}
