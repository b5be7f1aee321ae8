package io.cdpconnect.validate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin version, filtered into {@code version.properties} at build time. */
final class PluginVersion {

    private static final String VERSION = load();

    private PluginVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = PluginVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
