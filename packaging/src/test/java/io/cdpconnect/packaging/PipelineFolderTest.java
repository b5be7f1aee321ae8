/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.runner.PipelineApplier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped pipeline folders as {@code cdp-apply} reads them, offline: schema and template files put into the
 * configs in the SMTs' inline format, overrides reporting what they did, and no JSON escaped inside JSON strings.
 */
class PipelineFolderTest {

    private static final Path PIPELINES = Path.of("pipelines");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void schemaAndTemplateFilesAreInlinedIntoTheSmtsThatTakeThem() throws Exception {
        PipelineApplier.ConnectorConfig c = PipelineApplier.read(PIPELINES.resolve("event-routing"), Map.of())
                .get(0);
        JsonNode schemas = JSON.readTree(c.config().get("transforms.validate.definitions.inline"));
        JsonNode templates = JSON.readTree(c.config().get("transforms.map.definitions.inline"));
        try (var files = Files.list(PIPELINES.resolve("event-routing/schemas"))) {
            List<Path> schemaFiles = files.toList();
            assertThat(schemaFiles).hasSize(6);
            for (Path file : schemaFiles) {
                String type = file.getFileName().toString().replace(".json", "");
                assertThat(schemas.path(type).path("1")).as(type).isEqualTo(JSON.readTree(file.toFile()));
                Path template = PIPELINES
                        .resolve("event-routing/templates")
                        .resolve(type)
                        .resolve("value.j2");
                assertThat(templates.path(type).path("value").asText()).isEqualTo(Files.readString(template));
            }
        }
        assertThat(c.notes())
                .contains(
                        "inlined 6 schema(s) from schemas/ into transforms.validate.definitions.inline",
                        "inlined 6 template(s) from templates/ into transforms.map.definitions.inline");
    }

    @Test
    void aFileThatReadsDefinitionsFromADatabaseKeepsItAndSaysTheFilesGoThere() throws Exception {
        PipelineApplier.ConnectorConfig c =
                PipelineApplier.read(PIPELINES.resolve("event-store"), Map.of()).get(0);
        assertThat(c.config())
                .doesNotContainKey("transforms.validate.definitions.inline")
                .containsEntry("transforms.validate.definitions.source", "jdbc");
        assertThat(c.notes())
                .anyMatch(n -> n.contains(
                        "6 schema(s) from schemas/ to be upserted into " + "transforms.validate.definitions.jdbc.url"));
    }

    @Test
    void overridesSayWhatTheyReplacedAndConnectorScopedOnesAdd() throws Exception {
        PipelineApplier.ConnectorConfig c = PipelineApplier.read(
                        PIPELINES.resolve("event-store"),
                        Map.of("jdbc.url", "jdbc:postgresql://db/cdp", "event-store:batch.size", "7"))
                .get(0);
        assertThat(c.config())
                .containsEntry("transforms.validate.definitions.jdbc.url", "jdbc:postgresql://db/cdp")
                .containsEntry("batch.size", "7");
        assertThat(c.notes())
                .contains(
                        "replaced transforms.validate.definitions.jdbc.url (override jdbc.url=jdbc:postgresql://db/cdp)",
                        "added batch.size (override event-store:batch.size=7)");
        assertThat(PipelineApplier.read(PIPELINES.resolve("event-store"), Map.of("warehouse.password", "s3cret"))
                        .get(0)
                        .notes())
                .contains("replaced warehouse.password (override warehouse.password=[hidden])");
        assertThatThrownBy(() -> PipelineApplier.read(PIPELINES.resolve("event-store"), Map.of("nosuch:a", "b")))
                .hasMessageContaining("no connector named 'nosuch'");
    }

    @Test
    void noShippedPipelineCarriesJsonEscapedInsideJson() throws Exception {
        try (var files = Files.walk(PIPELINES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                assertThat(text)
                        .as(file + " holds an escaped quote: JSON inside a JSON string")
                        .doesNotContain("\\\"");
            }
        }
    }

    @Test
    void everyPipelineShipsSamplesForTheDryRun() throws Exception {
        try (var dirs = Files.list(PIPELINES)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Path samples = dir.resolve("samples.jsonl");
                assertThat(samples).as(dir + " samples").exists();
                for (String line : Files.readAllLines(samples)) {
                    assertThat(JSON.readTree(line).has("topic")).as(line).isTrue();
                }
            }
        }
    }
}
