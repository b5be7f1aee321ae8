/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The built bundle against Confluent Hub's component archive rules and what Strimzi's {@code build.plugins} need:
 * manifests with the required fields and valid values, a LICENSE at the bundle root and in every plugin folder, one
 * {@code <owner>-<name>-<version>.zip} per plugin whose single top folder has the same name, the bundle zip, and a
 * {@code .sha512} file next to each zip that matches it.
 */
class BundleArchiveIT {

    /** Confluent Hub: owner names are 2-255 lowercase letters, digits and underscores. */
    private static final Pattern OWNER = Pattern.compile("^[a-z0-9_]{2,255}$");
    /** Component names: lowercase letters, digits, '-' and '_'. */
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{1,254}$");
    /** The documented component types. */
    private static final Set<String> COMPONENT_TYPES = Set.of("sink", "source", "transform", "converter");

    private static final Set<String> OWNER_TYPES = Set.of("user", "organization");
    private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path bundle() {
        return Path.of(BundlePlugins.bundleDir());
    }

    private static List<Path> pluginFolders() throws IOException {
        try (var children = Files.list(bundle())) {
            return children.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyManifestFollowsConfluentHubsRules() throws IOException {
        List<Path> plugins = pluginFolders();
        assertThat(plugins).hasSize(5);
        for (Path plugin : plugins) {
            JsonNode m = JSON.readTree(plugin.resolve("manifest.json").toFile());
            String where = plugin.getFileName() + "/manifest.json ";
            assertThat(m.path("name").asText()).as(where + "name").matches(NAME);
            assertThat(m.path("version").asText()).as(where + "version").isEqualTo(BundlePlugins.version());
            for (String field : List.of("title", "description", "documentation_url", "docs_url", "source_url")) {
                assertThat(m.path(field).asText()).as(where + field).isNotBlank();
            }
            assertThat(m.path("owner").path("username").asText())
                    .as(where + "owner.username")
                    .matches(OWNER);
            assertThat(m.path("owner").path("type").asText())
                    .as(where + "owner.type")
                    .isIn(OWNER_TYPES);
            assertThat(m.path("owner").path("name").asText())
                    .as(where + "owner.name")
                    .isNotBlank();
            assertThat(m.path("support").path("summary").asText())
                    .as(where + "support.summary")
                    .isNotBlank();
            assertThat(m.path("support").path("provider_name").asText())
                    .as(where + "support.provider_name")
                    .isNotBlank();
            assertThat(m.path("support").path("url").asText())
                    .as(where + "support.url")
                    .startsWith("https://");
            assertThat(m.path("release_date").asText())
                    .as(where + "release_date")
                    .matches(DATE);
            assertThat(m.path("component_types").isArray()
                            && !m.path("component_types").isEmpty())
                    .as(where + "component_types")
                    .isTrue();
            m.path("component_types")
                    .forEach(t ->
                            assertThat(t.asText()).as(where + "component_types").isIn(COMPONENT_TYPES));
            assertThat(m.path("license").isArray() && !m.path("license").isEmpty())
                    .as(where + "license")
                    .isTrue();
            m.path("license").forEach(l -> {
                assertThat(l.path("name").asText()).as(where + "license.name").isNotBlank();
                assertThat(l.path("url").asText()).as(where + "license.url").startsWith("https://");
            });
            assertThat(plugin.resolve("LICENSE")).as(plugin + " LICENSE").isRegularFile();
            assertThat(plugin.resolve("lib")).as(plugin + " lib/").isDirectory();
        }
        assertThat(bundle().resolve("LICENSE")).as("LICENSE at the bundle root").isRegularFile();
        assertThat(Files.readString(bundle().resolve("LICENSE"))).contains("Apache License", "Version 2.0");
    }

    /** doc/README.md is the module's README as it is in the source tree (copied by the build, never committed twice). */
    @Test
    void everyPluginFolderCarriesItsModulesReadmeAsDoc() throws IOException {
        for (Path plugin : pluginFolders()) {
            Path moduleReadme = Path.of("..", plugin.getFileName().toString(), "README.md");
            assertThat(moduleReadme)
                    .as("module README of " + plugin.getFileName())
                    .isRegularFile();
            assertThat(plugin.resolve("doc").resolve("README.md"))
                    .as(plugin.getFileName() + "/doc/README.md")
                    .isRegularFile()
                    .hasSameTextualContentAs(moduleReadme);
        }
    }

    @Test
    void onePluginZipPerPluginAndTheBundleZipEachWithItsSha512() throws Exception {
        Path target = bundle().getParent();
        List<Path> zips = new ArrayList<>();
        for (Path plugin : pluginFolders()) {
            JsonNode m = JSON.readTree(plugin.resolve("manifest.json").toFile());
            String archive = m.path("owner").path("username").asText() + "-"
                    + m.path("name").asText() + "-" + m.path("version").asText();
            Path zip = target.resolve(archive + ".zip");
            assertThat(zip).as("plugin archive").isRegularFile();
            try (ZipFile z = new ZipFile(zip.toFile())) {
                Set<String> tops = new java.util.HashSet<>();
                z.stream().map(ZipEntry::getName).forEach(n -> tops.add(n.substring(0, n.indexOf('/') + 1)));
                assertThat(tops).as(zip + " top folder").containsExactly(archive + "/");
                assertThat(z.getEntry(archive + "/manifest.json"))
                        .as(zip + " manifest")
                        .isNotNull();
                assertThat(z.getEntry(archive + "/LICENSE"))
                        .as(zip + " LICENSE")
                        .isNotNull();
                assertThat(z.stream()
                                .anyMatch(e -> e.getName().startsWith(archive + "/lib/")
                                        && e.getName().endsWith(".jar")))
                        .as(zip + " lib/*.jar")
                        .isTrue();
            }
            zips.add(zip);
        }
        Path bundleZip = target.resolve(bundle().getFileName() + ".zip");
        assertThat(bundleZip).isRegularFile();
        zips.add(bundleZip);
        for (Path zip : zips) {
            Path sum = zip.resolveSibling(zip.getFileName() + ".sha512");
            assertThat(sum).as("checksum of " + zip.getFileName()).isRegularFile();
            String[] line = Files.readString(sum).trim().split("\\s+");
            assertThat(line[0]).as(sum + " (sha512sum format)").isEqualTo(sha512(zip));
            assertThat(line[line.length - 1].replace("*", ""))
                    .isEqualTo(zip.getFileName().toString());
        }
    }

    private static String sha512(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-512");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
