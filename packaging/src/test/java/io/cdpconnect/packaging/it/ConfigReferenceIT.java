/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed docs/config-reference.md is what the build generates from the plugins' ConfigDefs; a change to
 * a ConfigDef without regenerating it fails here. Regenerate: {@code cp packaging/target/config-reference.md docs/}
 * after {@code ./mvnw -B package -DskipTests}.
 */
class ConfigReferenceIT {

    @Test
    void committedReferenceMatchesTheConfigDefs() throws IOException {
        Path generated = Path.of("target", "config-reference.md");
        Path committed = Path.of("..", "docs", "config-reference.md");
        assertThat(generated).exists();
        assertThat(Files.readString(generated)).as("generated reference").contains("### `io.cdpconnect.");
        assertThat(Files.readString(committed))
                .as("docs/config-reference.md is stale: copy packaging/target/config-reference.md over it")
                .isEqualTo(Files.readString(generated));
    }

    @Test
    void everyPluginFolderCarriesItsOwnReference() throws IOException {
        Path bundle = Path.of(BundlePlugins.bundleDir());
        try (var folders = Files.list(bundle)) {
            folders.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                    .forEach(folder -> assertThat(folder.resolve("doc").resolve("configuration.md"))
                            .exists());
        }
    }
}
