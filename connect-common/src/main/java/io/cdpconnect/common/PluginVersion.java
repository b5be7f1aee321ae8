/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version a plugin reports to Connect ({@code version()}), read once from the {@code version.properties}
 * resource that Maven filters into the plugin's own package. Reading it relative to the plugin class keeps each
 * plugin folder's version its own under Connect's plugin isolation.
 */
public final class PluginVersion {

    private static final ClassValue<String> VERSIONS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> anchor) {
            return load(anchor);
        }
    };

    private PluginVersion() {}

    /** The {@code version} property of {@code version.properties} in the package of {@code anchor}. */
    public static String of(Class<?> anchor) {
        return VERSIONS.get(anchor);
    }

    private static String load(Class<?> anchor) {
        try (InputStream in = anchor.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
