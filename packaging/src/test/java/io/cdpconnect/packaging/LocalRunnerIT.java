package io.cdpconnect.packaging;

import io.cdpconnect.runner.LocalRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "run the main job" command, run for a while: Kafka and a Connect worker on the bundle, the
 * default pipeline (event-routing into an embedded DuckDB file) applied, demo traffic sent, then a clean stop.
 */
class LocalRunnerIT {

    @Test
    void defaultPipelineRunsOnTheEmbeddedWarehouseAndStopsCleanly() throws Exception {
        Path dataDir = Path.of("target", "runner-it-" + System.nanoTime());
        int exit = LocalRunner.run(LocalRunner.options(
                "--pipelines-dir", "pipelines",
                "--bundle", BundlePlugins.bundleDir(),
                "--data-dir", dataDir.toString(),
                "--port", String.valueOf(freePort()),
                "--rate", "50",
                "--duration", "40"));
        assertThat(exit).isZero();

        Path duckdb = dataDir.resolve("warehouse.duckdb");
        assertThat(duckdb).exists();
        long rows = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet tables = s.executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'events_%'")) {
            java.util.List<String> names = new java.util.ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            assertThat(names).as("one table per event type").hasSizeGreaterThanOrEqualTo(3);
            for (String table : names) {
                try (Statement q = c.createStatement(); ResultSet r = q.executeQuery("SELECT count(*) FROM " + table)) {
                    r.next();
                    rows += r.getLong(1);
                }
            }
        }
        assertThat(rows).as("demo events written by the pipeline").isGreaterThan(100);
        assertThat(Files.list(dataDir).count()).isPositive();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
