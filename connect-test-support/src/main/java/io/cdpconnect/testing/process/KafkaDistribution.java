/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The jars of one Apache Kafka version, as a distribution's {@code libs/} folder holds them: the broker, the
 * Connect worker and the logging binding that version ships, resolved from Kafka's own artifacts (packaging's
 * build fills {@code target/kafka-dist/kafka-<version>/libs}). Broker and worker JVMs run with this folder as their
 * only class path, never the test class path, so a plugin folder that misses a jar fails here as it would for a
 * user.
 */
public final class KafkaDistribution {

    /** System property naming the folder that holds {@code kafka-<version>/libs}. */
    public static final String DIST_DIR_PROPERTY = "cdp.kafka.dist.dir";
    /** System property with the Kafka version tests run by default. */
    public static final String VERSION_PROPERTY = "cdp.kafka.version";

    private final String version;
    private final Path libs;

    private KafkaDistribution(String version, Path libs) {
        this.version = version;
        this.libs = libs;
    }

    /** The distribution of {@code version} under {@code -Dcdp.kafka.dist.dir} (default {@code target/kafka-dist}). */
    public static KafkaDistribution of(String version) {
        Path dir = Path.of(System.getProperty(DIST_DIR_PROPERTY, "target/kafka-dist"))
                .toAbsolutePath();
        Path libs = dir.resolve("kafka-" + version).resolve("libs");
        if (!Files.isDirectory(libs) || !Files.exists(libs.resolve("connect-runtime-" + version + ".jar"))) {
            throw new IllegalStateException("no Kafka " + version + " jars in " + libs
                    + "; packaging's build resolves them in the package phase (./mvnw -pl packaging -am package)");
        }
        return new KafkaDistribution(version, libs);
    }

    /** The default version: {@code -Dcdp.kafka.version}, else 4.3.1. */
    public static KafkaDistribution defaultVersion() {
        return of(System.getProperty(VERSION_PROPERTY, "4.3.1"));
    }

    public String version() {
        return version;
    }

    public Path libs() {
        return libs;
    }

    /** {@code libs/*}: the JVM expands the wildcard to every jar of the folder, as Kafka's scripts do. */
    public String classPath() {
        return libs + "/*";
    }

    /** Kafka 4.x ships log4j2; 3.x reload4j (log4j 1.2 configuration). */
    public boolean usesLog4j2() {
        try (Stream<Path> jars = Files.list(libs)) {
            return jars.anyMatch(p -> p.getFileName().toString().startsWith("log4j-core-"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a logging configuration (INFO to stdout, which the harness keeps in the process's log file) and
     * returns the JVM option that points the process at it.
     */
    public String loggingOption(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (usesLog4j2()) {
            Path file = dir.resolve("log4j2.properties");
            Files.writeString(
                    file,
                    String.join(
                            "\n",
                            "status = warn",
                            "appender.out.type = Console",
                            "appender.out.name = OUT",
                            "appender.out.layout.type = PatternLayout",
                            "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                            "rootLogger.level = info",
                            "rootLogger.appenderRef.out.ref = OUT",
                            "logger.kafka.name = org.apache.kafka",
                            "logger.kafka.level = info",
                            "logger.reflections.name = org.reflections",
                            "logger.reflections.level = error",
                            "logger.jetty.name = org.eclipse.jetty",
                            "logger.jetty.level = warn",
                            ""));
            return "-Dlog4j2.configurationFile=" + file.toUri();
        }
        Path file = dir.resolve("log4j.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "log4j.rootLogger=INFO, stdout",
                        "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
                        "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
                        "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
                        "log4j.logger.org.reflections=ERROR",
                        "log4j.logger.org.eclipse.jetty=WARN",
                        ""));
        return "-Dlog4j.configuration=" + file.toUri();
    }

    @Override
    public String toString() {
        return "Kafka " + version;
    }
}
