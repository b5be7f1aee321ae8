/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.docs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.kafka.common.config.ConfigDef;

/** Finds the plugins a jar declares through META-INF/services and reads their ConfigDef. */
final class PluginServices {

    static final List<String> PLUGIN_SERVICES = List.of(
            "org.apache.kafka.connect.source.SourceConnector",
            "org.apache.kafka.connect.sink.SinkConnector",
            "org.apache.kafka.connect.transforms.Transformation",
            "org.apache.kafka.connect.transforms.predicates.Predicate");

    private PluginServices() {}

    static List<String> declaredIn(Path jar) throws IOException {
        List<String> classes = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (String service : PLUGIN_SERVICES) {
                JarEntry entry = file.getJarEntry("META-INF/services/" + service);
                if (entry == null) {
                    continue;
                }
                try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(file.getInputStream(entry), StandardCharsets.UTF_8))) {
                    reader.lines()
                            .map(line -> line.replaceAll("#.*", "").trim())
                            .filter(line -> !line.isEmpty())
                            .forEach(classes::add);
                }
            }
        }
        return classes;
    }

    /** Every Connect plugin type answers {@code config()}; no configuration is needed to ask. */
    static ConfigDef configDefOf(ClassLoader loader, String pluginClass) throws ReflectiveOperationException {
        Class<?> type = Class.forName(pluginClass, true, loader);
        Object plugin = type.getDeclaredConstructor().newInstance();
        ConfigDef def = (ConfigDef) type.getMethod("config").invoke(plugin);
        if (plugin instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // a plugin that was never configured has nothing to release
            }
        }
        return def;
    }
}
