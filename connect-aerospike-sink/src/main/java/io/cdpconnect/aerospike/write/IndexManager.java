/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.Policy;
import com.aerospike.client.query.IndexCollectionType;
import com.aerospike.client.query.IndexType;
import com.aerospike.client.task.IndexTask;
import com.aerospike.client.task.Task;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.client.ResultCodes;
import io.cdpconnect.aerospike.read.SegmentLayout;
import io.cdpconnect.common.ConnectorThreads;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the MAPKEYS string secondary index on the membership bin of every set written, so "users in segment S"
 * is one secondary-index query — on a background thread, never inside {@code put()}: writes do not need the
 * index, and waiting for a long build there would exceed the consumer's poll interval and trigger a rebalance
 * loop. Each build is awaited for at most {@code segments.index.wait.ms}, with a progress line every
 * {@link #PROGRESS_EVERY_MS}; past that the server keeps building and the sink stops waiting. An index that
 * already exists (another task, a previous run, an operator) is success; a transient failure is retried; a
 * systemic one (role violation, ...) is kept and fails the next {@code put()} with its cause.
 *
 * <p>The thread logs with the task's MDC (Connect's {@code connector.context}), captured at construction.
 */
public final class IndexManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IndexManager.class);
    static final long PROGRESS_EVERY_MS = 10_000;
    private static final long POLL_MS = 500;
    private static final long RETRY_MS = 5_000;

    /** Starts a build and returns its status (Task.COMPLETE / IN_PROGRESS / NOT_FOUND); throws AerospikeException. */
    public interface Builds {
        IntSupplier create(String namespace, String set, String name, String bin);
    }

    private final Builds builds;
    private final SegmentLayout layout;
    private final String nameTemplate;
    private final long waitMillis;
    private final LongSupplier clock;
    private final Set<SetRef> requested = ConcurrentHashMap.newKeySet();
    private final ExecutorService thread;
    private volatile ConnectException failure;
    private volatile boolean closed;

    public IndexManager(
            IAerospikeClient client, Policy policy, SegmentLayout layout, String nameTemplate, long waitMillis) {
        this(
                (ns, set, name, bin) -> {
                    IndexTask task = client.createIndex(
                            policy, ns, set, name, bin, IndexType.STRING, IndexCollectionType.MAPKEYS);
                    return task::queryStatus;
                },
                layout,
                nameTemplate,
                waitMillis,
                System::currentTimeMillis);
    }

    IndexManager(Builds builds, SegmentLayout layout, String nameTemplate, long waitMillis, LongSupplier clock) {
        this.builds = builds;
        this.layout = layout;
        this.nameTemplate = nameTemplate == null ? "" : nameTemplate.trim();
        this.waitMillis = waitMillis;
        this.clock = clock;
        // Created on the task thread: the factory hands Connect's connector.context MDC to the index thread.
        this.thread = Executors.newSingleThreadExecutor(ConnectorThreads.daemonFactory("cdp-aerospike-index"));
    }

    /** Logs how many indexes will be created: {@code knownSets} for a fixed set or topic sets, null if unknown. */
    public void announce(Set<SetRef> knownSets, String unknownBecause) {
        if (knownSets != null) {
            LOG.info(
                    "Segments: {} MAPKEYS secondary index(es) on bin '{}' will be created in the background if "
                            + "missing: {}",
                    knownSets.size(),
                    layout.membershipBin(),
                    knownSets.stream()
                            .map(s -> s + " as " + indexName(s.set().isEmpty() ? null : s.set()))
                            .toList());
        } else {
            LOG.info(
                    "Segments: one MAPKEYS secondary index on bin '{}' will be created in the background for each "
                            + "set written ({}); each new set is logged when its index is requested",
                    layout.membershipBin(),
                    unknownBecause);
        }
    }

    /** Requests the index of each set; returns at once. */
    public void ensure(Set<SetRef> sets) {
        for (SetRef set : sets) {
            if (requested.add(set)) {
                thread.execute(() -> build(set.namespace(), set.set().isEmpty() ? null : set.set()));
            }
        }
    }

    /** Fails the caller (put) with the cause of a systemic index failure, if one happened. */
    public void throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
    }

    public String indexName(String set) {
        return nameTemplate.isEmpty()
                ? layout.defaultIndexName(set)
                : SegmentLayout.indexName(nameTemplate.replace("{set}", set == null ? "null" : set));
    }

    private void build(String namespace, String set) {
        String name = indexName(set);
        String where =
                namespace + "." + (set == null ? "<null set>" : set) + " MAPKEYS(" + layout.membershipBin() + ")";
        IntSupplier status = null;
        while (!closed && status == null) {
            try {
                LOG.info("Creating secondary index {} on {}", name, where);
                status = builds.create(namespace, set, name, layout.membershipBin());
            } catch (AerospikeException e) {
                if (e.getResultCode() == ResultCode.INDEX_ALREADY_EXISTS) {
                    LOG.info("Secondary index on {} already exists", where);
                    return;
                }
                if (!ResultCodes.isTransient(e.getResultCode()) && e.getResultCode() != ResultCode.CLIENT_ERROR) {
                    failure = new ConnectException(
                            "cannot create the MAPKEYS secondary index " + name + " on " + where
                                    + ": result code " + ResultCodes.describe(e.getResultCode()) + ": " + e.getMessage()
                                    + (ResultCodes.isSystemic(e.getResultCode())
                                            ? "; " + ResultCodes.fix(e.getResultCode())
                                            : "")
                                    + " (or create it yourself and set " + AerospikeSinkConfig.SEGMENTS_INDEX_CREATE
                                    + "=false)",
                            e);
                    LOG.error(failure.getMessage());
                    return;
                }
                LOG.warn(
                        "Cannot create secondary index {} now ({}); retrying in {} ms", name, e.getMessage(), RETRY_MS);
                if (!pause(RETRY_MS)) {
                    return;
                }
            }
        }
        long start = clock.getAsLong();
        long nextProgress = start + PROGRESS_EVERY_MS;
        while (!closed) {
            int state;
            try {
                state = status.getAsInt();
            } catch (AerospikeException e) {
                state = Task.IN_PROGRESS; // a node busy or gone: ask again
            }
            long now = clock.getAsLong();
            if (state == Task.COMPLETE) {
                LOG.info("Secondary index {} on {} is ready after {} ms", name, where, now - start);
                return;
            }
            if (now - start >= waitMillis) {
                LOG.warn(
                        "Secondary index {} on {} is still building after {} ms ({}); no longer waiting, the server "
                                + "goes on building it and 'users in segment' queries may miss records until it is done",
                        name,
                        where,
                        now - start,
                        AerospikeSinkConfig.SEGMENTS_INDEX_WAIT_MS);
                return;
            }
            if (now >= nextProgress) {
                LOG.info(
                        "Secondary index {} on {} still building, {} s so far (waiting up to {} s)",
                        name,
                        where,
                        (now - start) / 1000,
                        waitMillis / 1000);
                nextProgress = now + PROGRESS_EVERY_MS;
            }
            if (!pause(POLL_MS)) {
                return;
            }
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
