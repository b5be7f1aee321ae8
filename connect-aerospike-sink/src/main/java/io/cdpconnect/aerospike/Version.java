package io.cdpconnect.aerospike;

import java.io.InputStream;
import java.util.Properties;

/** The plugin version, from the Maven-filtered {@code aerospike-sink-version.properties}. */
public final class Version {

    private static final String VERSION = load();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/io/cdpconnect/aerospike/aerospike-sink-version.properties")) {
            Properties props = new Properties();
            if (in != null) {
                props.load(in);
            }
            String v = props.getProperty("version");
            return v == null || v.startsWith("${") ? "unknown" : v;
        } catch (Exception e) {
            return "unknown";
        }
    }
}
