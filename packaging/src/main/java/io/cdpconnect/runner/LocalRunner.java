/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The "run the main job" command: a single-node Kafka and a Connect worker (REST on 127.0.0.1:8083) in one JVM
 * with the built bundle on its plugin.path; embedded defaults for what is not given (a DuckDB warehouse file,
 * the in-memory MongoDB-compatible demo server); the chosen pipeline applied through the REST API; demo traffic
 * from the shared data model; live progress until Ctrl-C. With {@code --pipeline none} it is a plain dev
 * cluster for the user's own configs posted with curl.
 */
public final class LocalRunner {

    private LocalRunner() {}

    public static void main(String[] args) throws Exception {
        RunnerOptions options;
        try {
            options = RunnerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Before any logger exists: the runner's own logging, not the test harness's it shares a classpath with.
        // By default only errors of libraries (and warnings of the plugins); --verbose shows Kafka's and Connect's
        // INFO logs too.
        System.setProperty(
                "log4j2.configurationFile",
                options.verbose
                        ? "classpath:cdp-local-verbose-log4j2.properties"
                        : "classpath:cdp-local-log4j2.properties");
        System.exit(run(options));
    }

    /** Parses command-line options (for tests and embedding). */
    public static RunnerOptions options(String... args) {
        return RunnerOptions.parse(args);
    }

    public static int run(RunnerOptions options) throws Exception {
        Path bundle = options.bundleDir != null ? options.bundleDir : defaultBundle();
        Files.createDirectories(options.dataDir);
        Path pipelineDir = options.pipelineDir();
        List<PipelineApplier.ConnectorConfig> configs = List.of();
        Map<String, String> overrides = new LinkedHashMap<>();

        List<AutoCloseable> resources = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Progress> summary =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread shutdownHook = new Thread(
                () -> {
                    stopped.countDown();
                    Progress progress = summary.getAndSet(null);
                    if (progress != null) {
                        progress.printSummary(); // Ctrl-C: the table before the servers stop
                    }
                    closeAll(resources);
                },
                "cdp-local-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        log(
                "starting Kafka (KRaft) and a Connect worker on http://%s:%d with plugin.path=%s",
                options.host, options.port, bundle.toAbsolutePath());
        LocalKafkaConnect cluster = LocalKafkaConnect.start(bundle, options.host, options.port, options.verbose);
        resources.add(0, cluster);
        log("Kafka bootstrap servers: %s", cluster.bootstrapServers());
        log("Connect REST API:        %s  (try: curl %s/connector-plugins)", cluster.restUrl(), cluster.restUrl());

        DemoSources sources = null;
        if (pipelineDir != null) {
            PipelineApplier.Pipeline pipeline = PipelineApplier.load(pipelineDir, List.of(), null, false);
            configs = pipeline.connectors();
            sources = DemoSources.start(options, pipelineDir, configs, overrides);
            resources.add(sources); // stopped after the worker, so connectors never see their servers vanish
            for (PipelineApplier.ConnectorConfig c : configs) {
                // The runner's own connection settings apply where a connector has them.
                PipelineApplier.applyOverrides(c.config(), overrides);
            }
            // The user's --set KEY=VALUE: reported, and an error when it matches nothing (see Overrides).
            List<Overrides.Override> userOverrides = new ArrayList<>();
            options.overrides.forEach((k, v) -> userOverrides.add(Overrides.parse(k + "=" + v)));
            Overrides.apply(configs, userOverrides);
            if (sources.postgres() != null
                    && PipelineDefinitions.readsFromDatabase(configs)
                    && !pipeline.definitions().isEmpty()) {
                int rows = pipeline.definitions().upsert(sources.postgres());
                log(
                        "definitions of %s upserted into %s (%d row(s) changed)",
                        pipelineDir.getFileName(), sources.postgres().describe(), rows);
            }
            configs = withoutUnreachableServers(configs, options);
            for (String topic : PipelineTopics.inputTopics(configs)) {
                cluster.kafka().createTopic(topic, 3);
            }
            for (String topic : PipelineTopics.deadLetterTopics(configs)) {
                cluster.kafka().createTopic(topic, 1); // else Connect logs an ERROR when it creates one itself
            }
            PipelineApplier applier = new PipelineApplier(cluster.restUrl(), System.out);
            awaitRest(applier, configs);
            if (applier.validate(configs) > 0) {
                log("the pipeline in %s is not valid for this cluster; fix the errors above", pipelineDir);
                closeAll(resources);
                return 1;
            }
            applier.apply(configs);
            log("pipeline %s applied; Ctrl-C to stop", pipelineDir.getFileName());
        } else {
            log("no pipeline applied: a plain dev cluster. Ctrl-C to stop.");
        }

        Progress progress = new Progress(cluster, configs, sources);
        resources.add(0, progress);
        summary.set(progress);
        TrafficGenerator traffic = null;
        if (options.traffic && pipelineDir != null) {
            traffic = new TrafficGenerator(cluster.bootstrapServers(), configs, sources, options.eventsPerSecond);
            resources.add(0, traffic);
            traffic.start();
        }
        progress.start(traffic);

        if (options.durationSeconds > 0) {
            stopped.await(options.durationSeconds, TimeUnit.SECONDS);
            progress.printNow();
            if (summary.getAndSet(null) != null) {
                progress.printSummary();
            }
            closeAll(resources);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            return 0;
        }
        stopped.await();
        return 0;
    }

    /** Aerospike has no embedded server: its connectors run only when --aerospike-hosts names one. */
    static List<PipelineApplier.ConnectorConfig> withoutUnreachableServers(
            List<PipelineApplier.ConnectorConfig> configs, RunnerOptions options) {
        if (options.aerospikeHosts != null) {
            return configs;
        }
        List<PipelineApplier.ConnectorConfig> kept = new ArrayList<>();
        for (PipelineApplier.ConnectorConfig c : configs) {
            if (c.config().containsKey("aerospike.hosts")) {
                log("skipping %s: no Aerospike server given (--aerospike-hosts HOST:PORT runs it)", c.name());
            } else {
                kept.add(c);
            }
        }
        return kept;
    }

    private static void awaitRest(PipelineApplier applier, List<PipelineApplier.ConnectorConfig> configs)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try {
                applier.pluginsReady(configs);
                return;
            } catch (RuntimeException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }

    private static synchronized void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
        resources.clear();
    }

    /** The built bundle under packaging/target of the checkout ({@code -Dcdp.root}, set by bin/*, or the cwd). */
    static Path defaultBundle() throws IOException {
        Path target = Path.of(System.getProperty("cdp.root", "."), "packaging", "target");
        if (Files.isDirectory(target)) {
            try (var children = Files.list(target)) {
                var bundle = children.filter(
                                p -> p.getFileName().toString().startsWith("cdp-connect-") && Files.isDirectory(p))
                        .findFirst();
                if (bundle.isPresent()) {
                    return bundle.get();
                }
            }
        }
        throw new IllegalStateException("no built bundle under packaging/target; build it first "
                + "(./mvnw -B package -DskipTests) or pass --bundle DIR");
    }

    static void log(String format, Object... args) {
        System.out.printf("[cdp-local] " + format + "%n", args);
    }
}
