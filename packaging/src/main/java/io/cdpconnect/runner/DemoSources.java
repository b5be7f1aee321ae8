/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The servers a pipeline talks to: the ones the user named, or embedded defaults where one exists (a DuckDB
 * file for the warehouse, the in-memory MongoDB-compatible server as a demo source). It turns them into config
 * overrides for the pipeline's connector configs.
 */
final class DemoSources implements AutoCloseable {

    /** A pipeline folder holding this script needs PostgreSQL; the script prepares it. */
    static final String POSTGRES_SETUP = "postgres.sql";

    private EmbeddedPostgres embeddedPostgres;
    private MongoServer embeddedMongo;
    private MongoClient mongo;
    private String warehouseDescription;
    private PipelineDefinitions.JdbcTarget postgres;

    static DemoSources start(
            RunnerOptions options,
            Path pipelineDir,
            List<PipelineApplier.ConnectorConfig> configs,
            Map<String, String> overrides)
            throws IOException, SQLException {
        DemoSources sources = new DemoSources();
        Path postgresSetup = pipelineDir.resolve(POSTGRES_SETUP);
        String pgUrl = options.pgUrl;
        String pgUser = options.pgUser;
        String pgPassword = options.pgPassword;
        if (pgUrl == null && Files.isRegularFile(postgresSetup)) {
            // This pipeline needs PostgreSQL (e.g. partitions, a schema table): start an embedded one.
            sources.embeddedPostgres = EmbeddedPostgres.builder()
                    .setDataDirectory(options.dataDir.resolve("postgres"))
                    .setCleanDataDirectory(false)
                    .start();
            pgUrl = sources.embeddedPostgres.getJdbcUrl("postgres", "postgres");
            pgUser = "postgres";
            pgPassword = "";
            LocalRunner.log(
                    "started an embedded PostgreSQL at %s (data in %s)",
                    pgUrl, options.dataDir.resolve("postgres").toAbsolutePath());
        }
        if (pgUrl != null) {
            if (Files.isRegularFile(postgresSetup)) {
                runSql(pgUrl, pgUser, pgPassword, Files.readString(postgresSetup));
                LocalRunner.log("ran %s", postgresSetup);
            }
            for (String prefix : List.of("warehouse", "definitions.jdbc")) {
                overrides.put(prefix + ".url", pgUrl);
                overrides.put(prefix + ".user", pgUser);
                overrides.put(prefix + ".password", pgPassword);
            }
            sources.warehouseDescription = "PostgreSQL " + pgUrl;
            sources.postgres = new PipelineDefinitions.JdbcTarget(pgUrl, pgUser, pgPassword);
        } else {
            String duckdb =
                    options.dataDir.resolve("warehouse.duckdb").toAbsolutePath().toString();
            overrides.put("warehouse.url", "jdbc:duckdb:" + duckdb);
            sources.warehouseDescription = "DuckDB file " + duckdb;
        }
        if (uses(configs, "mongo.uri")) {
            String uri = options.mongoUri;
            if (uri == null) {
                MemoryBackend backend = new MemoryBackend();
                backend.enableOplog();
                sources.embeddedMongo = new MongoServer(backend);
                sources.embeddedMongo.bind("127.0.0.1", 0);
                InetSocketAddress address = sources.embeddedMongo.getLocalAddress();
                uri = "mongodb://127.0.0.1:" + address.getPort() + "/?directConnection=true";
                LocalRunner.log("started the in-memory MongoDB-compatible demo server at %s", uri);
            }
            overrides.put("mongo.uri", uri);
            sources.mongo = MongoClients.create(uri);
            // The demo orders collection exists before the connector starts, so the stream covers the first order.
            var shop = sources.mongo.getDatabase(TrafficGenerator.ORDERS_DATABASE);
            if (!shop.listCollectionNames()
                    .into(new java.util.ArrayList<>())
                    .contains(TrafficGenerator.ORDERS_COLLECTION)) {
                shop.createCollection(TrafficGenerator.ORDERS_COLLECTION);
            }
        }
        if (options.aerospikeHosts != null) {
            overrides.put("aerospike.hosts", options.aerospikeHosts);
        }
        return sources;
    }

    /** Runs a setup script of the pipeline (CREATE ... IF NOT EXISTS, idempotent inserts) as one statement batch. */
    static void runSql(String url, String user, String password, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static boolean uses(List<PipelineApplier.ConnectorConfig> configs, String key) {
        return configs.stream().anyMatch(c -> c.config().containsKey(key));
    }

    /** A client of the demo or given MongoDB, when the pipeline reads from MongoDB. */
    MongoClient mongo() {
        return mongo;
    }

    /** The PostgreSQL the pipeline uses (given or embedded), or null for DuckDB. */
    PipelineDefinitions.JdbcTarget postgres() {
        return postgres;
    }

    String warehouseDescription() {
        return warehouseDescription;
    }

    @Override
    public void close() {
        if (mongo != null) {
            mongo.close();
        }
        if (embeddedMongo != null) {
            embeddedMongo.shutdownNow();
        }
        if (embeddedPostgres != null) {
            try {
                embeddedPostgres.close();
            } catch (IOException e) {
                LocalRunner.log("could not stop the embedded PostgreSQL: %s", e.getMessage());
            }
        }
    }
}
