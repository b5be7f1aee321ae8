/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the configuration reference of every plugin in a built bundle, straight from each plugin's
 * {@code ConfigDef}: one {@code doc/configuration.md} per plugin folder and one combined reference.
 *
 * <p>Each plugin folder is loaded in a class loader of its own, as Connect's plugin isolation does, and its
 * plugins are found through its {@code META-INF/services} manifests.
 *
 * <p>Usage: {@code ConfigReferenceGenerator <bundle-dir> <combined-output.md> [<another-copy.md>]}
 */
public final class ConfigReferenceGenerator {

    private ConfigReferenceGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ConfigReferenceGenerator <bundle-dir> <output.md> [copy.md]");
        }
        Path bundle = Path.of(args[0]);
        StringBuilder combined = new StringBuilder()
                .append("# cdp-connect configuration reference\n\n")
                .append("Generated from each plugin's `ConfigDef` by `ConfigReferenceGenerator` during the build; ")
                .append("do not edit by hand.\n");
        for (Path pluginFolder : pluginFolders(bundle)) {
            String reference = referenceOf(pluginFolder);
            Path doc = pluginFolder.resolve("doc").resolve("configuration.md");
            Files.createDirectories(doc.getParent());
            Files.writeString(
                    doc, "# " + pluginFolder.getFileName() + " configuration\n" + reference, StandardCharsets.UTF_8);
            combined.append("\n## ")
                    .append(pluginFolder.getFileName())
                    .append('\n')
                    .append(reference);
        }
        for (int i = 1; i < args.length; i++) {
            Path out = Path.of(args[i]);
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, combined.toString(), StandardCharsets.UTF_8);
        }
    }

    static List<Path> pluginFolders(Path bundle) throws IOException {
        try (Stream<Path> children = Files.list(bundle)) {
            return children.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                    .sorted()
                    .toList();
        }
    }

    /** The Markdown reference of every plugin class the folder's own jar declares. */
    static String referenceOf(Path pluginFolder) throws IOException {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> lib = Files.list(pluginFolder.resolve("lib"))) {
            for (Path jar :
                    lib.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        String folderName = pluginFolder.getFileName().toString();
        Path ownJar = findOwnJar(pluginFolder, folderName);
        try (URLClassLoader loader =
                new URLClassLoader(jars.toArray(URL[]::new), ConfigReferenceGenerator.class.getClassLoader())) {
            StringBuilder out = new StringBuilder();
            for (String pluginClass : PluginServices.declaredIn(ownJar)) {
                out.append(ConfigDefMarkdown.render(pluginClass, PluginServices.configDefOf(loader, pluginClass)));
            }
            return out.toString();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the ConfigDef of a plugin in " + pluginFolder, e);
        }
    }

    private static Path findOwnJar(Path pluginFolder, String folderName) {
        try (Stream<Path> lib = Files.list(pluginFolder.resolve("lib"))) {
            return lib.filter(p -> p.getFileName().toString().startsWith(folderName + "-")
                            && p.getFileName().toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + folderName + " jar in " + pluginFolder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
