package io.cdpconnect.runner;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The servers a pipeline talks to: the ones the user named, or embedded defaults where one exists (a DuckDB
 * file for the warehouse, the in-memory MongoDB-compatible server as a demo source). It turns them into config
 * overrides for the pipeline's connector configs.
 */
final class DemoSources implements AutoCloseable {

    private MongoServer embeddedMongo;
    private MongoClient mongo;
    private String warehouseDescription;

    static DemoSources start(RunnerOptions options, List<PipelineApplier.ConnectorConfig> configs,
                             Map<String, String> overrides) {
        DemoSources sources = new DemoSources();
        if (options.pgUrl != null) {
            for (String prefix : List.of("warehouse", "definitions.jdbc")) {
                overrides.put(prefix + ".url", options.pgUrl);
                overrides.put(prefix + ".user", options.pgUser);
                overrides.put(prefix + ".password", options.pgPassword);
            }
            sources.warehouseDescription = "PostgreSQL " + options.pgUrl;
        } else {
            String duckdb = options.dataDir.resolve("warehouse.duckdb").toAbsolutePath().toString();
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
        }
        if (options.aerospikeHosts != null) {
            overrides.put("aerospike.hosts", options.aerospikeHosts);
        }
        return sources;
    }

    private static boolean uses(List<PipelineApplier.ConnectorConfig> configs, String key) {
        return configs.stream().anyMatch(c -> c.config().containsKey(key));
    }

    /** A client of the demo or given MongoDB, when the pipeline reads from MongoDB. */
    MongoClient mongo() {
        return mongo;
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
    }
}
