/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class DefinitionsConfigTest {

    private static final ConfigDef SCHEMAS = DefinitionsConfig.addTo(new ConfigDef(), DefinitionKind.jsonSchemas());
    private static final ConfigDef TEMPLATES = DefinitionsConfig.addTo(new ConfigDef(), DefinitionKind.templates());

    @Test
    void everyKeyIsDocumentedAndGrouped() {
        assertThat(SCHEMAS.names())
                .containsExactlyInAnyOrder(
                        DefinitionsConfig.SOURCE,
                        DefinitionsConfig.INLINE,
                        DefinitionsConfig.DIRECTORY,
                        DefinitionsConfig.JDBC_URL,
                        DefinitionsConfig.JDBC_USER,
                        DefinitionsConfig.JDBC_PASSWORD,
                        DefinitionsConfig.JDBC_QUERY,
                        DefinitionsConfig.REFRESH_MS,
                        DefinitionsConfig.REMOVAL_MAX_PERCENT,
                        DefinitionsConfig.INITIAL_LOAD_TIMEOUT_MS,
                        DefinitionsConfig.ON_INVALID);
        SCHEMAS.configKeys().values().forEach(key -> {
            assertThat(key.documentation).isNotBlank();
            assertThat(key.group).isEqualTo(DefinitionsConfig.GROUP);
        });
        assertThat(SCHEMAS.configKeys().get(DefinitionsConfig.JDBC_PASSWORD).type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        // a URL may carry credentials (?password=...): hidden like a password in the REST API and logs
        assertThat(SCHEMAS.configKeys().get(DefinitionsConfig.JDBC_URL).type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(SCHEMAS.defaultValues().get(DefinitionsConfig.JDBC_QUERY)).isEqualTo(DefinitionKind.SCHEMAS_QUERY);
        assertThat(TEMPLATES.defaultValues().get(DefinitionsConfig.JDBC_QUERY))
                .isEqualTo(DefinitionKind.TEMPLATES_QUERY);
    }

    @Test
    void buildsEachSource() {
        assertThat(DefinitionsConfig.source(
                        new AbstractConfig(SCHEMAS, Map.of(DefinitionsConfig.INLINE, "{\"a\": {}}")),
                        DefinitionKind.jsonSchemas()))
                .isInstanceOf(InlineDefinitionSource.class);
        DefinitionSource dir = DefinitionsConfig.source(
                new AbstractConfig(
                        SCHEMAS,
                        Map.of(DefinitionsConfig.SOURCE, "DIRECTORY", DefinitionsConfig.DIRECTORY, "/etc/schemas")),
                DefinitionKind.jsonSchemas());
        assertThat(dir.describe()).isEqualTo("directory " + Path.of("/etc/schemas"));
        DefinitionSource jdbc = DefinitionsConfig.source(
                new AbstractConfig(
                        SCHEMAS,
                        Map.of(
                                DefinitionsConfig.SOURCE,
                                "jdbc",
                                DefinitionsConfig.JDBC_URL,
                                "jdbc:postgresql://db/cdp?password=s3cret",
                                DefinitionsConfig.JDBC_PASSWORD,
                                "s3cret")),
                DefinitionKind.jsonSchemas());
        assertThat(jdbc.describe()).isEqualTo("jdbc jdbc:postgresql://db/cdp").doesNotContain("s3cret");
    }

    @Test
    void missingOrInvalidSettingsAreConfigErrors() {
        assertThatThrownBy(() -> DefinitionsConfig.source(
                        new AbstractConfig(SCHEMAS, Map.of(DefinitionsConfig.SOURCE, "jdbc")),
                        DefinitionKind.jsonSchemas()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DefinitionsConfig.JDBC_URL);
        assertThatThrownBy(() -> DefinitionsConfig.source(
                        new AbstractConfig(SCHEMAS, Map.of(DefinitionsConfig.SOURCE, "directory")),
                        DefinitionKind.jsonSchemas()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DefinitionsConfig.DIRECTORY);
        assertThatThrownBy(() -> new AbstractConfig(SCHEMAS, Map.of(DefinitionsConfig.SOURCE, "s3")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new AbstractConfig(SCHEMAS, Map.of(DefinitionsConfig.INLINE, "[]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> new AbstractConfig(SCHEMAS, Map.of(DefinitionsConfig.JDBC_URL, "postgres://x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jdbc:");
        assertThatThrownBy(() -> new AbstractConfig(SCHEMAS, Map.of(DefinitionsConfig.REFRESH_MS, "-1")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void sourceSpecificKeysAreVisibleOnlyForTheirSource() {
        List<ConfigValue> values = SCHEMAS.validate(
                Map.of(DefinitionsConfig.SOURCE, "jdbc", DefinitionsConfig.JDBC_URL, "jdbc:postgresql://db/cdp"));
        Map<String, Boolean> visible = new java.util.HashMap<>();
        values.forEach(v -> visible.put(v.name(), v.visible()));
        assertThat(visible)
                .containsEntry(DefinitionsConfig.JDBC_URL, true)
                .containsEntry(DefinitionsConfig.JDBC_QUERY, true)
                .containsEntry(DefinitionsConfig.DIRECTORY, false)
                .containsEntry(DefinitionsConfig.INLINE, false);
    }

    @Test
    void inlineJsonIsOneExactDocument() {
        assertThatThrownBy(
                        () -> new AbstractConfig(SCHEMAS, Map.of(DefinitionsConfig.INLINE, "{\"a\": {}} {\"b\": {}}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid JSON");
        List<Definition> loaded = new InlineDefinitionSource(
                        "{\"a\": {\"maximum\": 12345678901234567.89, \"multipleOf\": 0.10}}",
                        DefinitionKind.jsonSchemas())
                .load();
        assertThat(loaded.get(0).body()).isEqualTo("{\"maximum\":12345678901234567.89,\"multipleOf\":0.10}");
    }

    @Test
    void theUrlAndInlineValidatorsRejectWhatTheSourcesCannotReadAndNeverShowTheUrl() {
        ConfigDef.Validator url = SCHEMAS.configKeys().get(DefinitionsConfig.JDBC_URL).validator;
        url.ensureValid(DefinitionsConfig.JDBC_URL, new Password("jdbc:postgresql://db/cdp"));
        url.ensureValid(DefinitionsConfig.JDBC_URL, null);
        assertThatThrownBy(
                        () -> url.ensureValid(DefinitionsConfig.JDBC_URL, new Password("postgres://u:secret@db/cdp")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be a JDBC URL")
                .hasMessageNotContaining("secret");
        assertThat(url.toString()).isEqualTo("a JDBC URL (jdbc:...)");

        ConfigDef.Validator inline = SCHEMAS.configKeys().get(DefinitionsConfig.INLINE).validator;
        inline.ensureValid(DefinitionsConfig.INLINE, "");
        inline.ensureValid(DefinitionsConfig.INLINE, "{\"order\": {\"type\": \"object\"}}");
        assertThatThrownBy(() -> inline.ensureValid(DefinitionsConfig.INLINE, "[1]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be a JSON object");
    }
}
