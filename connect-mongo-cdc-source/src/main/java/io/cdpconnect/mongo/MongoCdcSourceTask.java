/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.cdpconnect.common.PluginVersion;
import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.MetricsScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.bson.BsonTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the collections this task owns ({@link TaskOwnership}). Each collection has its own source partition (see
 * {@link SourceOffsets}) and its own cursor, or with {@code stream.scope=database} a view of its database's shared
 * cursor ({@link DatabaseFeed}); one poll loop serves them in turn, so a busy collection cannot starve the others,
 * and a poll never waits longer than {@code poll.await.ms} in total.
 *
 * <p>The task lists the collections in scope every {@code collections.refresh.interval.ms}. A collection found
 * after the first listing, without a stored position, streams from the cluster time taken before the previous
 * listing, which is before it was created: its first writes are not lost, whatever {@code startup.mode} says.
 */
public class MongoCdcSourceTask extends SourceTask {
    private static final Logger log = LoggerFactory.getLogger(MongoCdcSourceTask.class);

    /** The plugin part of the metric names: cdp.mongo-cdc-source.* */
    static final String METRICS_PLUGIN = "mongo-cdc-source";

    private MongoCdcSourceConfig config;
    private CdpMetrics metrics;
    private MongoClient client;
    private RecordHandler handler;
    private TopicNamer topics;
    private final Map<String, CollectionStream> streams = new LinkedHashMap<>();
    /** stream.scope=database: the shared change stream of each database. */
    private final Map<String, DatabaseFeed> feeds = new LinkedHashMap<>();

    private final List<CollectionStream> order = new ArrayList<>();
    private int next;
    /** Cluster time taken before the last successful listing; null before the first. */
    private BsonTimestamp listedSince;

    private long nextListingNanos;
    private int listingFailures;
    private final OplogWindow oplog = new OplogWindow();
    private volatile boolean stopping;

    @Override
    public String version() {
        return PluginVersion.of(MongoCdcSourceTask.class);
    }

    @Override
    public void start(Map<String, String> props) {
        config = new MongoCdcSourceConfig(props);
        metrics = CdpMetrics.open(MetricsScope.fromLoggingContext(METRICS_PLUGIN, null, props.get("name")));
        metrics.bindPluginMetrics(context);
        metrics.longGauge("collections", "collections streamed by this task", () -> order.size());
        client = MongoClientFactory.create(
                config, "cdp-connect-mongo-cdc-source-task", MongoClientFactory.taskServerSelectionTimeoutMs(config));
        handler = new RecordHandler(config).countInto(metrics);
        topics = new TopicNamer(config.topicPrefix(), config.namespaceMap());
        // The first listing happens in the first poll, where an unreachable server is retried, not a failed start.
        nextListingNanos = System.nanoTime();
        log.info("task {} of {} started", config.taskIndex(), config.taskCount());
    }

    /** Lists the collections in scope, adds the owned ones not streamed yet, drops those gone after an invalidate. */
    private void refresh() {
        BsonTimestamp before = StreamStartCapture.clusterTime(client, "collection listing");
        List<String> inScope = CollectionDiscovery.discover(client, config);
        topics.checkDistinct(inScope);
        Set<String> owned = new HashSet<>();
        List<String> added = new ArrayList<>();
        for (String ns : inScope) {
            if (TaskOwnership.owns(config.taskIndex(), config.taskCount(), ns)) {
                owned.add(ns);
                if (!streams.containsKey(ns)) {
                    added.add(ns);
                }
            }
        }
        if (!added.isEmpty()) {
            List<Map<String, String>> partitions = new ArrayList<>(added.size());
            for (String ns : added) {
                partitions.add(SourceOffsets.partition(ns));
            }
            Map<Map<String, String>, Map<String, Object>> stored =
                    context.offsetStorageReader().offsets(partitions);
            // Collections of the first listing start by startup.mode; later ones from before they were discovered.
            StartPoint discovered = listedSince == null ? null : StartPoint.at(listedSince);
            for (String ns : added) {
                MongoNamespace namespace = new MongoNamespace(ns);
                CollectionSource source = new CollectionSource.Mongo(client, namespace, config);
                if (config.streamScope() == MongoCdcSourceConfig.StreamScope.DATABASE) {
                    source = feeds.computeIfAbsent(
                                    namespace.getDatabaseName(), db -> DatabaseFeed.of(client, db, config))
                            .member(namespace.getCollectionName(), source);
                }
                CollectionStream stream = new CollectionStream(
                        namespace,
                        source,
                        config,
                        handler,
                        SourceOffsets.read(stored.get(SourceOffsets.partition(ns))),
                        discovered,
                        new StreamMetrics(metrics.tagged("collection", ns)));
                streams.put(ns, stream);
                order.add(stream);
            }
            log.info(
                    listedSince == null
                            ? "task {} of {} streams: {}"
                            : "task {} of {}: new collection(s) in scope, " + "now streamed: {}",
                    config.taskIndex(),
                    config.taskCount(),
                    added);
        }
        // A dropped collection's stream goes once it has read its invalidate (its drop events are delivered) or,
        // on a database stream, which is not invalidated by a collection's drop, its drop or rename event; if the
        // collection comes back, it is found again and resumes from its stored position.
        boolean databaseScope = config.streamScope() == MongoCdcSourceConfig.StreamScope.DATABASE;
        streams.values().removeIf(stream -> {
            boolean gone = !owned.contains(stream.namespace().getFullName())
                    && (stream.invalidated() || (databaseScope && stream.dropped()));
            if (gone) {
                stream.close();
                order.remove(stream);
                log.info("{}: collection gone, stream closed", stream.namespace());
            }
            return gone;
        });
        listedSince = before;
        warnNearTheOplogEnd();
        long interval = config.collectionsRefreshIntervalMs();
        nextListingNanos = interval <= 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(interval);
    }

    /** WARN for each stream whose position is within history.warning.margin.ms of the oldest oplog entry. */
    private void warnNearTheOplogEnd() {
        long margin = config.historyWarningMarginMs() / 1000;
        if (margin <= 0 || streams.isEmpty()) {
            return;
        }
        Long oldest = oplog.oldestSeconds(client);
        long now = Integer.toUnsignedLong(listedSince.getTime());
        for (CollectionStream stream : streams.values()) {
            Long left = OplogWindow.atRisk(OplogWindow.seconds(stream.position()), oldest, now, margin);
            if (left != null) {
                log.warn(
                        "{}: its position {} is {} s from the oldest oplog entry (history.warning.margin.ms={}): when "
                                + "the oplog rolls past it, its history is lost (on.history.lost={}). Set heartbeat.interval.ms "
                                + "so quiet collections keep a fresh position, or enlarge the oplog.",
                        stream.namespace(),
                        stream.position(),
                        left,
                        config.historyWarningMarginMs(),
                        config.getString(MongoCdcSourceConfig.ON_HISTORY_LOST));
            }
        }
    }

    /** Lists the collections; a failure is retried with back-off, up to max.retries times in a row. */
    private void listOrBackOff() {
        try {
            refresh();
            listingFailures = 0;
        } catch (ConfigException e) {
            throw new ConnectException(e.getMessage(), e); // two namespaces on one topic: systemic
        } catch (RuntimeException e) {
            listingFailures++;
            if (!ErrorClassifier.isTransient(e) || listingFailures > config.maxRetries()) {
                throw new ConnectException(
                        "cannot list the collections in scope on MongoDB (attempt " + listingFailures
                                + ", max.retries=" + config.maxRetries()
                                + "); check mongo.uri, the network and the user's "
                                + "listCollections privilege: " + e,
                        e);
            }
            long backoff =
                    Math.min(config.retryBackoffMaxMs(), config.retryBackoffMs() << Math.min(20, listingFailures - 1));
            log.warn(
                    "cannot list the collections in scope (attempt {} of {}), retrying in {} ms: {}",
                    listingFailures,
                    config.maxRetries(),
                    backoff,
                    e.toString());
            nextListingNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        }
    }

    /** When the polls started bringing nothing (0: the last one brought records); see {@link #pollStreams}. */
    private long idleSinceNanos;

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        try {
            return pollStreams();
        } catch (RuntimeException e) {
            if (stopping) {
                return null; // stop() closed the client under a waiting cursor
            }
            throw e;
        }
    }

    private List<SourceRecord> pollStreams() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.pollAwaitMs());
        if (System.nanoTime() >= nextListingNanos) {
            listOrBackOff();
        }
        int max = config.batchSize();
        List<SourceRecord> out = new ArrayList<>(Math.min(max, 256));
        int count = order.size();
        if (count == 0) {
            IdleSleep.until(deadline);
            return out;
        }
        // One await budget per poll, shared by the cursors. A cursor's await (maxAwaitTime) is fixed when it opens,
        // so it gets its steady share of the budget, not what is left of the poll that happens to open it (which
        // can be 1 ms, and then the idle cursor would ask the server again every millisecond).
        long share = Math.max(1, config.pollAwaitMs() / count);
        boolean anyPolled = false;
        int polled = 0;
        for (; polled < count && out.size() < max && !stopping; polled++) {
            if (polled > 0 && System.nanoTime() >= deadline) {
                break;
            }
            CollectionStream stream = order.get((next + polled) % count);
            anyPolled |= stream.poll(out, max - out.size(), share);
        }
        // The next poll starts with the first stream this one did not reach.
        next = (next + Math.max(1, polled)) % count;
        if (out.isEmpty()) {
            // Nothing came. A real server waited the cursors' await for it; a server that ignores the await (or
            // cursors that came back early) would have Connect poll again at once, in a loop. So an idle poll
            // sleeps a sixteenth of how long the streams have been idle (at most to the poll's budget): idle streams
            // soon cost one round trip per poll.await.ms (after about 16 x poll.await.ms), and the first change after
            // a pause of T waits at most T/16 more (T/4 showed in the p99 at 500 events/s). When every stream is
            // backing off after an error (none was polled), the poll waits up to 100 ms for their retry, however
            // short the idle time.
            long now = System.nanoTime();
            if (idleSinceNanos == 0) {
                idleSinceNanos = now;
            }
            long step = anyPolled ? (now - idleSinceNanos) / 16 : TimeUnit.MILLISECONDS.toNanos(100);
            IdleSleep.until(Math.min(deadline, now + step));
        } else {
            idleSinceNanos = 0;
        }
        return out;
    }

    @Override
    public void stop() {
        stopping = true;
        for (CollectionStream stream : streams.values()) {
            try {
                stream.close();
            } catch (RuntimeException e) {
                log.debug("closing {}", stream.namespace(), e);
            }
        }
        streams.clear();
        order.clear();
        feeds.values().forEach(DatabaseFeed::close);
        feeds.clear();
        if (client != null) {
            client.close();
            client = null;
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }
}
