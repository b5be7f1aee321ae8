/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.policy.Policy;
import io.cdpconnect.aerospike.client.AerospikeClients;
import io.cdpconnect.aerospike.client.ResultCodes;
import io.cdpconnect.aerospike.mapping.KeyResolver;
import io.cdpconnect.aerospike.write.BatchExecutor;
import io.cdpconnect.aerospike.write.BinsPlanner;
import io.cdpconnect.aerospike.write.CounterPlanner;
import io.cdpconnect.aerospike.write.ExpressionSelfCheck;
import io.cdpconnect.aerospike.write.IndexManager;
import io.cdpconnect.aerospike.write.OffsetRegressionCheck;
import io.cdpconnect.aerospike.write.RecordFailure;
import io.cdpconnect.aerospike.write.SegmentPlanner;
import io.cdpconnect.aerospike.write.SetRef;
import io.cdpconnect.aerospike.write.WritePlan;
import io.cdpconnect.aerospike.write.WritePlanner;
import io.cdpconnect.aerospike.write.WritePolicies;
import io.cdpconnect.common.ErrantReporting;
import io.cdpconnect.common.PluginVersion;
import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.MetricsScope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@code put} synchronously (batch operate), so the offsets Connect commits afterwards are always
 * covered by data in Aerospike. Bad records go to the errant record reporter (DLQ); transient cluster errors
 * become {@link RetriableException} and Connect redelivers the batch.
 */
public class AerospikeSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(AerospikeSinkTask.class);
    static final String METRICS_PLUGIN = "aerospike-sink";

    private final Clock clock;
    private final Function<AerospikeSinkConfig, IAerospikeClient> clients;
    private AerospikeSinkConfig config;
    private WritePlanner planner;
    private IAerospikeClient client;
    private BatchExecutor executor;
    private IndexManager indexes;
    private ErrantRecordReporter reporter;
    private OffsetRegressionCheck regressions;
    private CdpMetrics metrics;
    private SinkStats stats;
    private Set<String> topics;
    private boolean retrying;

    public AerospikeSinkTask() {
        this(Clock.systemUTC(), AerospikeClients::connect);
    }

    /** For tests: a fixed clock and a client factory. */
    AerospikeSinkTask(Clock clock, Function<AerospikeSinkConfig, IAerospikeClient> clients) {
        this.clock = clock;
        this.clients = clients;
    }

    @Override
    public String version() {
        return PluginVersion.of(AerospikeSinkTask.class);
    }

    @Override
    public void start(Map<String, String> props) {
        config = new AerospikeSinkConfig(props);
        topics = topics(props);
        metrics = CdpMetrics.open(MetricsScope.fromLoggingContext(METRICS_PLUGIN, null, props.get("name")));
        metrics.bindPluginMetrics(context);
        stats = new SinkStats(metrics);
        KeyResolver keys = new KeyResolver(config);
        boolean segments = config.writeMode() == AerospikeSinkConfig.WriteMode.SEGMENTS;
        WritePolicies policies = new WritePolicies(config, segments);
        planner = switch (config.writeMode()) {
            case SEGMENTS -> new SegmentPlanner(config, keys, policies);
            case COUNTERS -> new CounterPlanner(config, keys, policies);
            case BINS -> new BinsPlanner(config, keys, policies);
        };
        ExpressionSelfCheck.run(SegmentPlanner.layout(config), config.countersOffsetsBin());
        reporter = ErrantReporting.reporterOf(context);
        try {
            connect();
        } catch (RetriableException e) {
            // Starting without the cluster is fine: put() connects and Connect retries until it is back.
            LOG.warn("Aerospike is not reachable yet ({}); will retry on the first batch", e.getMessage());
        }
    }

    private void connect() {
        if (client != null) {
            return;
        }
        try {
            client = clients.apply(config);
        } catch (AerospikeException e) {
            if (ResultCodes.isTransient(e.getResultCode()) || e.getResultCode() == -1) {
                throw new RetriableException(
                        "cannot connect to Aerospike at " + config.hosts() + ": " + e.getMessage(), e);
            }
            throw new ConnectException("cannot connect to Aerospike: " + e.getMessage(), e);
        }
        executor = new BatchExecutor(
                client, AerospikeClients.batchPolicy(config), config.batchSize(), config.batchMaxInFlight());
        if (config.writeMode() == AerospikeSinkConfig.WriteMode.COUNTERS) {
            regressions = new OffsetRegressionCheck(
                    client,
                    AerospikeClients.batchPolicy(config),
                    config.countersOffsetsBin(),
                    config.offsetRegression(),
                    config.countersOffsetRegressionToleranceMs());
        }
        if (config.writeMode() == AerospikeSinkConfig.WriteMode.SEGMENTS && config.segmentsIndexCreate()) {
            indexes = new IndexManager(
                    client,
                    AerospikeClients.applyTimeouts(new Policy(), config),
                    SegmentPlanner.layout(config),
                    config.segmentsIndexName(),
                    config.segmentsIndexWaitMs());
            Set<SetRef> known = knownSets();
            indexes.announce(
                    known,
                    !config.namespaceField().isBlank()
                            ? "namespaces come from field " + config.namespaceField()
                            : config.setSource() == AerospikeSinkConfig.SetSource.FIELD
                                    ? "set names come from field " + config.setField()
                                    : "topics are matched by topics.regex");
            if (known != null) {
                indexes.ensure(known);
            }
        }
    }

    /** The sets this task will write, when the config tells; null when records decide. */
    private Set<SetRef> knownSets() {
        if (!config.namespaceField().isBlank()) {
            return null;
        }
        String namespace = config.namespace();
        return switch (config.setSource()) {
            case FIXED -> Set.of(new SetRef(namespace, config.set().trim()));
            case TOPIC ->
                topics == null
                        ? null
                        : topics.stream()
                                .map(t -> new SetRef(namespace, t))
                                .collect(java.util.stream.Collectors.toSet());
            case FIELD -> null;
        };
    }

    private static Set<String> topics(Map<String, String> props) {
        String list = props.get(SinkTask.TOPICS_CONFIG);
        if (list == null || list.isBlank()) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        for (String topic : list.split(",")) {
            if (!topic.isBlank()) {
                out.add(topic.trim());
            }
        }
        return out;
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            connect();
            if (indexes != null) {
                indexes.throwIfFailed();
            }
            WritePlan plan = planner.plan(records, clock.millis());
            if (indexes != null) {
                indexes.ensure(plan.sets()); // returns at once: the builds run in the background
            }
            BatchExecutor.Result result = executor.execute(plan);
            if (regressions != null) {
                OffsetRegressionCheck.Outcome replays = regressions.inspect(result.filtered());
                stats.counterReplays(replays.replays(), replays.regressionsSkipped());
            }
            // Reported only once the whole batch is through: a retried batch must not report a record twice.
            List<RecordFailure> failures = new ArrayList<>(plan.rejected());
            failures.addAll(result.failures());
            report(failures);
            stats.batch(
                    records.size(),
                    result.applied(),
                    result.noOps(),
                    result.missingDeletes(),
                    plan.skipped(),
                    failures.size());
            if (result.missingDeletes() > 0) {
                LOG.debug("{} tombstone(s) deleted records that did not exist", result.missingDeletes());
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "{} records: {} writes applied, {} no-ops (replays), {} stale skipped, {} failed",
                        records.size(),
                        result.applied(),
                        result.noOps(),
                        plan.skipped(),
                        failures.size());
            }
            if (retrying) {
                LOG.info("Aerospike writes succeed again");
                retrying = false;
            }
        } catch (RetriableException e) {
            stats.retried();
            // Loud once per outage, quiet while Connect keeps redelivering every retry.backoff.ms.
            if (!retrying) {
                LOG.warn(
                        "Writes to Aerospike fail transiently, retrying every {} ms until they succeed: {}",
                        config.retryBackoffMs(),
                        e.getMessage());
                retrying = true;
            } else {
                LOG.debug("Still retrying: {}", e.getMessage());
            }
            context.timeout(config.retryBackoffMs());
            throw e;
        } finally {
            stats.putTook(start);
        }
    }

    private void report(List<RecordFailure> failures) {
        if (failures.isEmpty()) {
            return;
        }
        if (reporter == null) {
            RecordFailure first = failures.get(0);
            throw new ConnectException(
                    "cannot write record " + first.record().topic() + "-"
                            + first.record().kafkaPartition() + "@"
                            + first.record().kafkaOffset()
                            + " and no errant record reporter is configured: "
                            + first.error().getMessage(),
                    first.error());
        }
        List<Future<Void>> futures = new ArrayList<>(failures.size());
        for (RecordFailure failure : failures) {
            LOG.warn(
                    "Record {}-{}@{} not written: {}",
                    failure.record().topic(),
                    failure.record().kafkaPartition(),
                    failure.record().kafkaOffset(),
                    failure.error().getMessage());
            futures.add(reporter.report(failure.record(), failure.error()));
        }
        ErrantReporting.awaitAll(futures);
    }

    SinkStats stats() {
        return stats;
    }

    @Override
    public void stop() {
        if (indexes != null) {
            indexes.close();
            indexes = null;
        }
        if (executor != null) {
            executor.close();
            executor = null;
        }
        if (client != null) {
            try {
                client.close();
            } finally {
                client = null;
            }
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }
}
