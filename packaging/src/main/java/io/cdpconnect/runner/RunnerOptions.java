/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line options of the local runner. */
public final class RunnerOptions {

    String pipeline = "event-routing";
    Path pipelinesDir = Path.of("packaging", "pipelines");
    Path bundleDir;
    Path dataDir = Path.of(".cdp-runner");
    String host = "127.0.0.1";
    int port = 8083;
    String pgUrl;
    String pgUser = "postgres";
    String pgPassword = "";
    String mongoUri;
    String aerospikeHosts;
    int eventsPerSecond = 20;
    long durationSeconds = 0;
    boolean traffic = true;
    boolean verbose = false;
    final Map<String, String> overrides = new LinkedHashMap<>();

    static final String USAGE = """
            usage: cdp-local [options]
              --pipeline NAME|DIR      pipeline to apply: a folder name under packaging/pipelines or a path;
                                       'none' starts a plain dev cluster (default: event-routing)
              --port N                 Connect REST port (default 8083, on 127.0.0.1)
              --pg-url JDBC_URL        use this PostgreSQL instead of the embedded DuckDB warehouse
              --pg-user USER --pg-password PASSWORD
              --mongo-uri URI          use this MongoDB replica set instead of the in-memory demo server
              --aerospike-hosts H:P    Aerospike seed hosts for the segments and counters pipelines
              --set KEY=VALUE          override KEY in every connector config of the pipeline that has it
                                       (NAME:KEY=VALUE: in connector NAME only; matching nothing is an error)
              --rate N                 demo events per second (default 20); --no-traffic to send none
              --duration SECONDS       stop by itself after this long (default: run until Ctrl-C)
              --data-dir DIR           where the DuckDB file and runner state live (default .cdp-runner)
              --bundle DIR             the built bundle (default packaging/target/cdp-connect-<version>)
              --verbose                show Kafka's and Connect's own logs (by default only the runner's lines)
            """;

    static RunnerOptions parse(String[] args) {
        RunnerOptions o = new RunnerOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--pipeline" -> o.pipeline = value(args, ++i, arg);
                case "--pipelines-dir" -> o.pipelinesDir = Path.of(value(args, ++i, arg));
                case "--bundle" -> o.bundleDir = Path.of(value(args, ++i, arg));
                case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, arg));
                case "--port" -> o.port = Integer.parseInt(value(args, ++i, arg));
                case "--pg-url" -> o.pgUrl = value(args, ++i, arg);
                case "--pg-user" -> o.pgUser = value(args, ++i, arg);
                case "--pg-password" -> o.pgPassword = value(args, ++i, arg);
                case "--mongo-uri" -> o.mongoUri = value(args, ++i, arg);
                case "--aerospike-hosts" -> o.aerospikeHosts = value(args, ++i, arg);
                case "--rate" -> o.eventsPerSecond = Integer.parseInt(value(args, ++i, arg));
                case "--no-traffic" -> o.traffic = false;
                case "--verbose" -> o.verbose = true;
                case "--duration" -> o.durationSeconds = Long.parseLong(value(args, ++i, arg));
                case "--set" -> {
                    String kv = value(args, ++i, arg);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set takes KEY=VALUE, got " + kv);
                    }
                    o.overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        return o;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    /** The pipeline folder, or null for a plain dev cluster. */
    Path pipelineDir() {
        if ("none".equals(pipeline)) {
            return null;
        }
        Path asPath = Path.of(pipeline);
        return asPath.toFile().isDirectory() && pipeline.contains("/") ? asPath : pipelinesDir.resolve(pipeline);
    }
}
