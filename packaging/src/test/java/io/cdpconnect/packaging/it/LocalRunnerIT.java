/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "run the main job" command, run as its own process for a while: Kafka and a Connect worker on the
 * bundle, the default pipeline (event-routing into an embedded DuckDB file) applied, demo traffic sent, then a
 * clean stop. What a user sees is checked too: only the runner's own lines (no broker start-up dump, no WARN or
 * INFO lines of Kafka's internals), ending with the per-connector summary table; {@code --verbose} shows the logs.
 */
class LocalRunnerIT {

    private static final Pattern SUMMARY_ROW =
            Pattern.compile("^\\[cdp-local]\\s+event-routing\\s+sink\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");

    private record Run(int exit, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }
    }

    /**
     * The classpath bin/cdp-local runs with: the runner's classes and the runtime dependencies the build wrote to
     * target/runner-classpath.txt (main scope only, never this test's classpath with the harness on it).
     */
    private static String runnerClasspath() throws IOException {
        return Path.of("target", "classes").toAbsolutePath()
                + java.io.File.pathSeparator
                + Files.readString(Path.of("target", "runner-classpath.txt")).trim();
    }

    /** The runner and cdp-apply depend on main-scope artifacts only: no test jar, no test harness. */
    @Test
    void runnerClasspathHoldsNoTestJarsAndNoHarness() throws IOException {
        for (String entry : runnerClasspath().split(java.io.File.pathSeparator)) {
            String jar = Path.of(entry).getFileName().toString();
            assertThat(jar)
                    .as("runner classpath entry " + entry)
                    .doesNotMatch(".*-tests?\\.jar|connect-test-support.*|kafka-test-common.*");
        }
    }

    /** bin/cdp-local's java command, with its classpath (see {@link #runnerClasspath()}). */
    private static Run runner(Path dataDir, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                runnerClasspath(),
                "io.cdpconnect.runner.LocalRunner",
                "--pipelines-dir",
                "pipelines",
                "--bundle",
                BundlePlugins.bundleDir(),
                "--data-dir",
                dataDir.toString(),
                "--port",
                String.valueOf(freePort())));
        command.addAll(List.of(options));
        Path log = Files.createTempFile(Path.of("target"), "runner", ".out");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("runner did not stop by itself:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readAllLines(log, StandardCharsets.UTF_8));
    }

    @Test
    void defaultPipelineRunsQuietlyOnTheEmbeddedWarehouseAndEndsWithASummary() throws Exception {
        Path dataDir = Path.of("target", "runner-it-" + System.nanoTime());
        Run run = runner(dataDir, "--rate", "50", "--duration", "40");
        assertThat(run.exit()).as(run.text()).isZero();

        // Only the runner's own lines: its [cdp-local] progress and the applier's report of the pipeline.
        for (String line : run.lines()) {
            assertThat(line)
                    .as("a line of the runner's output:%n%s", run.text())
                    .matches("^(\\[cdp-local] .*|  event-routing: .*|✓ event-routing .*|→ applied event-routing)$");
        }
        assertThat(run.text()).doesNotContain(" WARN ", " INFO ", "KafkaConfig values", "ConsumerConfig values");

        long in = -1;
        long out = -1;
        long dlq = -1;
        for (String line : run.lines()) {
            Matcher row = SUMMARY_ROW.matcher(line);
            if (row.matches()) {
                in = Long.parseLong(row.group(1));
                out = Long.parseLong(row.group(2));
                dlq = Long.parseLong(row.group(3));
            }
        }
        assertThat(in).as("summary row of event-routing in:%n%s", run.text()).isGreaterThan(100);
        assertThat(dlq).as("invalid demo events dead-lettered").isPositive();
        assertThat(out).isEqualTo(in - dlq);

        Path duckdb = dataDir.resolve("warehouse.duckdb");
        assertThat(duckdb).exists();
        long rows = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet tables = s.executeQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'events_%'")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            assertThat(names).as("one table per event type").hasSizeGreaterThanOrEqualTo(3);
            for (String table : names) {
                try (Statement q = c.createStatement();
                        ResultSet r = q.executeQuery("SELECT count(*) FROM " + table)) {
                    r.next();
                    rows += r.getLong(1);
                }
            }
        }
        assertThat(rows)
                .as("rows written by the pipeline, at least what the summary counted")
                .isGreaterThanOrEqualTo(out);
    }

    @Test
    void verboseShowsTheLogsOfKafkaAndConnect() throws Exception {
        Run run = runner(
                Path.of("target", "runner-verbose-" + System.nanoTime()),
                "--pipeline",
                "none",
                "--duration",
                "5",
                "--verbose");
        assertThat(run.exit()).as(run.text()).isZero();
        assertThat(run.text()).contains(" INFO ", "[cdp-local] no pipeline applied");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
