/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import io.cdpconnect.common.ConnectorThreads;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reloadable set of compiled definitions (JSON Schemas, templates) keyed by event type and name.
 *
 * <p>Each definition is compiled once by the plugin's {@link DefinitionCompiler}. Every refresh interval a daemon
 * thread re-reads the {@link DefinitionSource} and recompiles only what changed (the body, or a definition it
 * resolved while compiling). Readers see an immutable snapshot published through one volatile field, so lookups
 * on the record path take no lock and allocate nothing. When a refresh fails, the last good set stays; when one
 * definition does not compile, the previous compiled version of that definition stays (a bad new version never
 * wipes the good one) and a warning is logged.
 *
 * <p>A store cannot empty itself: a reload that would remove every definition, or more than
 * {@link Options#maxRemovalPercent()} of them (a truncated table, a wrong {@code search_path}, an unmounted volume),
 * is refused — the last good set stays, a WARN is logged and {@link #rejectedReloads()} counts it. The first load
 * is retried with back-off for {@link Options#initialLoadTimeout()} (a database down during a rebalance), then the
 * open fails with the cause. The refresh thread logs with the MDC context of the thread that opened the store
 * (Connect's {@code connector.context}), so its lines carry the connector and task.
 *
 * <p>{@link #shared} gives every user of the same source and compiler in a worker one store (reference-counted):
 * one refresh thread and one connection instead of one per task and plugin instance.
 *
 * <p>Close it with the plugin ({@code Transformation.close()}) to stop the refresh thread.
 */
public final class DefinitionStore<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DefinitionStore.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 10_000;

    /** Stores opened with {@link #shared}, by key; guarded by its own monitor. */
    private static final Map<String, DefinitionStore<?>> SHARED = new HashMap<>();

    /**
     * How a store behaves.
     *
     * @param refreshInterval    how often the source is re-read; zero or null: never
     * @param maxRemovalPercent  a reload removing more than this share of the loaded definitions is refused
     *                           (an empty result always is, unless 100: then anything may be removed)
     * @param initialLoadTimeout how long the first load is retried (with back-off) before the open fails; zero:
     *                           one attempt
     */
    public record Options(Duration refreshInterval, int maxRemovalPercent, Duration initialLoadTimeout) {
        public static final Options DEFAULTS = new Options(
                Duration.ofMillis(DefinitionsConfig.REFRESH_MS_DEFAULT),
                DefinitionsConfig.REMOVAL_MAX_PERCENT_DEFAULT,
                Duration.ofMillis(DefinitionsConfig.INITIAL_LOAD_TIMEOUT_MS_DEFAULT));

        public Options {
            if (maxRemovalPercent < 0 || maxRemovalPercent > 100) {
                throw new IllegalArgumentException("maxRemovalPercent must be between 0 and 100");
            }
            initialLoadTimeout =
                    initialLoadTimeout == null || initialLoadTimeout.isNegative() ? Duration.ZERO : initialLoadTimeout;
        }

        public Options withRefreshInterval(Duration interval) {
            return new Options(interval, maxRemovalPercent, initialLoadTimeout);
        }

        public Options withMaxRemovalPercent(int percent) {
            return new Options(refreshInterval, percent, initialLoadTimeout);
        }

        public Options withInitialLoadTimeout(Duration timeout) {
            return new Options(refreshInterval, maxRemovalPercent, timeout);
        }

        boolean refreshes() {
            return refreshInterval != null && !refreshInterval.isZero() && !refreshInterval.isNegative();
        }
    }

    private final String name;
    private final DefinitionSource source;
    private final DefinitionCompiler<T> compiler;
    private final DefinitionKind kind;
    private final Options options;
    private final Object refreshLock = new Object();
    private final ScheduledExecutorService refresher;
    private final AtomicLong rejectedReloads = new AtomicLong();
    private volatile Snapshot<T> snapshot = Snapshot.empty();
    /** Users of a shared store; the store closes when the last one does. Guarded by {@link #SHARED}. */
    private String sharedKey;

    private int users = 1;

    private DefinitionStore(
            String name,
            DefinitionKind kind,
            DefinitionSource source,
            DefinitionCompiler<T> compiler,
            Options options) {
        this.name = name;
        this.kind = kind;
        this.source = source;
        this.compiler = compiler;
        this.options = options;
        // the refresh thread logs with the opener's MDC (Connect's connector.context)
        this.refresher = !options.refreshes()
                ? null
                : Executors.newSingleThreadScheduledExecutor(
                        ConnectorThreads.daemonFactory("cdp-definitions-" + name + "-" + THREADS.incrementAndGet()));
    }

    /**
     * Loads and compiles the definitions now, then refreshes them every {@code refreshInterval} (zero or null:
     * never). One load attempt, default removal protection.
     *
     * @param name a short name for logs and the refresh thread, e.g. the plugin's name
     * @throws ConnectException when the source cannot be read at all at start (definitions that do not compile
     *                          are logged and listed in {@link #errors()} instead)
     */
    public static <T> DefinitionStore<T> open(
            String name,
            DefinitionKind kind,
            DefinitionSource source,
            DefinitionCompiler<T> compiler,
            Duration refreshInterval) {
        return open(
                name,
                kind,
                source,
                compiler,
                Options.DEFAULTS.withRefreshInterval(refreshInterval).withInitialLoadTimeout(Duration.ZERO));
    }

    /**
     * Loads and compiles the definitions now (retrying for {@link Options#initialLoadTimeout()}), then refreshes
     * them in the background.
     *
     * @throws ConnectException when the source cannot be read within the initial load timeout, with the cause
     */
    public static <T> DefinitionStore<T> open(
            String name,
            DefinitionKind kind,
            DefinitionSource source,
            DefinitionCompiler<T> compiler,
            Options options) {
        DefinitionStore<T> store = new DefinitionStore<>(name, kind, source, compiler, options);
        try {
            store.firstLoad();
        } catch (Exception e) {
            store.closeNow();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ConnectException(
                    "could not load " + kind.noun() + "s from " + source.describe()
                            + (options.initialLoadTimeout().isZero()
                                    ? ""
                                    : " within " + options.initialLoadTimeout().toMillis() + " ms ("
                                            + DefinitionsConfig.INITIAL_LOAD_TIMEOUT_MS + ")")
                            + ": " + e,
                    e);
        }
        if (store.refresher != null) {
            long ms = options.refreshInterval().toMillis();
            store.refresher.scheduleWithFixedDelay(store::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
        return store;
    }

    /**
     * The store shared by every caller passing the same {@code key} in this worker (this plugin's class loader):
     * the first opens it from {@code source}, later ones reuse it. Each caller must {@link #close()} it once; the
     * last close stops it. The key must name everything the compiled result depends on (source, query,
     * compiler settings, options).
     */
    @SuppressWarnings("unchecked")
    public static <T> DefinitionStore<T> shared(
            String key,
            String name,
            DefinitionKind kind,
            java.util.function.Supplier<DefinitionSource> source,
            DefinitionCompiler<T> compiler,
            Options options) {
        String fullKey = kind.noun() + "|" + key + "|" + options;
        synchronized (SHARED) {
            DefinitionStore<T> store = (DefinitionStore<T>) SHARED.get(fullKey);
            if (store != null) {
                store.users++;
                return store;
            }
            // opening under the lock: a second user of the same key waits for this first load instead of
            // starting its own (the point of sharing); other keys wait too, which only happens at task start
            store = open(name, kind, source.get(), compiler, options);
            store.sharedKey = fullKey;
            SHARED.put(fullKey, store);
            return store;
        }
    }

    private void firstLoad() throws Exception {
        long deadline = System.nanoTime() + options.initialLoadTimeout().toNanos();
        long backoff = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                reload();
                return;
            } catch (Exception e) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw e;
                }
                long wait = Math.min(backoff, left);
                log.warn(
                        "{}: loading {}s from {} failed (attempt {}), retrying in {} ms for up to {} ms more: {}",
                        name,
                        kind.noun(),
                        source.describe(),
                        attempt,
                        wait,
                        left,
                        e.toString());
                Thread.sleep(wait);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    // ---------------------------------------------------------------- lookups (lock-free, allocation-free)

    /** The compiled definition of that event type and name, or null. */
    public T get(String eventType, String name) {
        CompiledDefinition<T> entry = entry(eventType, name);
        return entry == null ? null : entry.compiled();
    }

    /** The compiled definition of that event type and version, or null. */
    public T get(String eventType, int version) {
        CompiledDefinition<T> entry = entry(eventType, version);
        return entry == null ? null : entry.compiled();
    }

    /** The compiled definition with the highest version of that event type, or null. */
    public T latest(String eventType) {
        CompiledDefinition<T> entry = latestEntry(eventType);
        return entry == null ? null : entry.compiled();
    }

    public CompiledDefinition<T> entry(String eventType, String name) {
        TypeEntry<T> type = snapshot.types.get(eventType);
        return type == null ? null : type.byName.get(name);
    }

    public CompiledDefinition<T> entry(String eventType, int version) {
        TypeEntry<T> type = snapshot.types.get(eventType);
        if (type == null) {
            return null;
        }
        int i = Arrays.binarySearch(type.versions, version);
        return i < 0 ? null : type.byVersion[i];
    }

    public CompiledDefinition<T> latestEntry(String eventType) {
        TypeEntry<T> type = snapshot.types.get(eventType);
        return type == null ? null : type.latest;
    }

    /**
     * Every compiled definition of an event type by name (e.g. a template SMT's {@code value}, {@code key},
     * {@code topic}, {@code headers.*}); empty when the type is unknown. Immutable, built once per reload.
     */
    public Map<String, T> named(String eventType) {
        TypeEntry<T> type = snapshot.types.get(eventType);
        return type == null ? Map.of() : type.compiledByName;
    }

    public boolean contains(String eventType) {
        return snapshot.types.containsKey(eventType);
    }

    public Set<String> eventTypes() {
        return snapshot.types.keySet();
    }

    /** Incremented on every reload that changed something: callers may cache derived data per generation. */
    public long generation() {
        return snapshot.generation;
    }

    /** Definitions of the current source that failed to compile, by id ({@code type/name}), with the reason. */
    public Map<String, String> errors() {
        return snapshot.errors;
    }

    public int size() {
        return snapshot.size;
    }

    /** Reloads refused because they would have removed all or too many definitions (see {@link Options}). */
    public long rejectedReloads() {
        return rejectedReloads.get();
    }

    // ---------------------------------------------------------------- reload

    /**
     * Re-reads the source now and publishes what changed.
     *
     * @return true when the published set changed
     * @throws Exception when the source cannot be read; the current set stays
     */
    public boolean reload() throws Exception {
        synchronized (refreshLock) {
            List<Definition> loaded = source.load();
            Snapshot<T> previous = snapshot;
            Snapshot<T> next = build(previous, loaded);
            if (next == null) {
                return false;
            }
            snapshot = next;
            log.info(
                    "{}: loaded {} {}s of {} event types from {} (generation {}{})",
                    name,
                    next.size,
                    kind.noun(),
                    next.types.size(),
                    source.describe(),
                    next.generation,
                    next.errors.isEmpty() ? "" : ", " + next.errors.size() + " failed to compile");
            return true;
        }
    }

    private void refreshQuietly() {
        try {
            reload();
        } catch (Throwable e) {
            log.warn(
                    "{}: refreshing {}s from {} failed; keeping the {} loaded before: {}",
                    name,
                    kind.noun(),
                    source.describe(),
                    snapshot.size,
                    e.toString());
        }
    }

    /** Whether removing these definitions is refused; logs and counts a refusal. */
    private boolean refuseRemoval(Map<String, Definition> before, Map<String, Definition> after) {
        if (before.isEmpty() || options.maxRemovalPercent() >= 100) {
            return false;
        }
        int removed = 0;
        for (String id : before.keySet()) {
            if (!after.containsKey(id)) {
                removed++;
            }
        }
        boolean refuse = after.isEmpty() || removed * 100L > (long) options.maxRemovalPercent() * before.size();
        if (refuse) {
            rejectedReloads.incrementAndGet();
            log.warn(
                    "{}: {} returned {} {}s where {} were loaded ({} would be removed, more than {}={}%); keeping "
                            + "the last good set. A truncated table, a wrong search_path or an unmounted volume looks "
                            + "like this; if the removal is meant, set {}=100.",
                    name,
                    source.describe(),
                    after.size(),
                    kind.noun(),
                    before.size(),
                    removed,
                    DefinitionsConfig.REMOVAL_MAX_PERCENT,
                    options.maxRemovalPercent(),
                    DefinitionsConfig.REMOVAL_MAX_PERCENT);
        }
        return refuse;
    }

    /** The next snapshot, or null when nothing changed. */
    private Snapshot<T> build(Snapshot<T> previous, List<Definition> loaded) {
        Map<String, Definition> raw = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (Definition d : loaded) {
            Definition normalized =
                    new Definition(d.eventType(), kind.normalizeName(d.name()), d.body(), d.updatedAt());
            if (kind.versioned() && normalized.version() < 0) {
                errors.put(normalized.id(), "'" + normalized.name() + "' is not a version number");
                continue;
            }
            if (raw.put(normalized.id(), normalized) != null) {
                log.warn(
                        "{}: {} {} is defined twice in {}; the last one wins",
                        name,
                        kind.noun(),
                        normalized.id(),
                        source.describe());
            }
        }
        Set<String> changed = changedIds(previous.raw, raw);
        if (changed.isEmpty() && errors.equals(previous.loadErrors)) {
            return null;
        }
        if (refuseRemoval(previous.raw, raw)) {
            return null;
        }
        Resolver resolver = new Resolver(raw);
        Map<String, CompiledDefinition<T>> compiled = new LinkedHashMap<>();
        Map<String, String> compileErrors = new LinkedHashMap<>(errors);
        for (Definition d : raw.values()) {
            CompiledDefinition<T> before = previous.compiled.get(d.id());
            if (before != null
                    && before.definition().body().equals(d.body())
                    && !dependsOnChanged(before.dependencies(), changed)) {
                compiled.put(d.id(), before);
                continue;
            }
            Set<String> deps = new HashSet<>();
            resolver.track(deps);
            try {
                T result = Objects.requireNonNull(compiler.compile(d, resolver), "compiler returned null");
                compiled.put(d.id(), new CompiledDefinition<>(d, result, Set.copyOf(deps)));
            } catch (Exception | LinkageError | StackOverflowError e) {
                String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                compileErrors.put(d.id(), reason);
                if (before != null) {
                    compiled.put(d.id(), before);
                    log.warn(
                            "{}: {} {} from {} does not compile; keeping the previous one: {}",
                            name,
                            kind.noun(),
                            d.id(),
                            source.describe(),
                            reason);
                } else {
                    log.warn(
                            "{}: {} {} from {} does not compile; it is not available: {}",
                            name,
                            kind.noun(),
                            d.id(),
                            source.describe(),
                            reason);
                }
            } finally {
                resolver.track(null);
            }
        }
        return new Snapshot<>(
                previous.generation + 1, raw, compiled, Collections.unmodifiableMap(compileErrors), Map.copyOf(errors));
    }

    private static Set<String> changedIds(Map<String, Definition> before, Map<String, Definition> after) {
        Set<String> changed = new HashSet<>();
        for (Map.Entry<String, Definition> e : after.entrySet()) {
            Definition old = before.get(e.getKey());
            if (old == null || !old.body().equals(e.getValue().body())) {
                changed.add(e.getKey());
                changed.add(e.getValue().eventType() + "/*");
            }
        }
        for (Map.Entry<String, Definition> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                changed.add(e.getKey());
                changed.add(e.getValue().eventType() + "/*");
            }
        }
        return changed;
    }

    private static boolean dependsOnChanged(Set<String> dependencies, Set<String> changed) {
        for (String dep : dependencies) {
            if (changed.contains(dep)) {
                return true;
            }
        }
        return false;
    }

    /** Releases this user's reference; the last user (or the only one of an unshared store) stops the store. */
    @Override
    public void close() {
        synchronized (SHARED) {
            if (sharedKey != null) {
                if (--users > 0) {
                    return;
                }
                SHARED.remove(sharedKey, this);
            }
        }
        closeNow();
    }

    private void closeNow() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        try {
            source.close();
        } catch (Exception e) {
            log.debug("{}: closing {} failed", name, source.describe(), e);
        }
    }

    // ---------------------------------------------------------------- internals

    /** Resolver over one load's raw definitions that records what a compile asked for. */
    private static final class Resolver implements DefinitionResolver {
        private final Map<String, Definition> raw;
        private final Map<String, Definition> latest = new HashMap<>();
        private Set<String> tracked;

        Resolver(Map<String, Definition> raw) {
            this.raw = raw;
            for (Definition d : raw.values()) {
                Definition best = latest.get(d.eventType());
                if (d.version() >= 0 && (best == null || d.version() > best.version())) {
                    latest.put(d.eventType(), d);
                }
            }
        }

        void track(Set<String> deps) {
            this.tracked = deps;
        }

        @Override
        public Definition find(String eventType, String name) {
            String id = eventType + "/" + name;
            if (tracked != null) {
                tracked.add(id);
            }
            return raw.get(id);
        }

        @Override
        public Definition latest(String eventType) {
            if (tracked != null) {
                tracked.add(eventType + "/*");
            }
            return latest.get(eventType);
        }
    }

    private static final class TypeEntry<T> {
        final Map<String, CompiledDefinition<T>> byName;
        final Map<String, T> compiledByName;
        final int[] versions;
        final CompiledDefinition<T>[] byVersion;
        final CompiledDefinition<T> latest;

        @SuppressWarnings("unchecked")
        TypeEntry(List<CompiledDefinition<T>> entries) {
            Map<String, CompiledDefinition<T>> names = new HashMap<>();
            Map<String, T> compiled = new LinkedHashMap<>();
            for (CompiledDefinition<T> e : entries) {
                names.put(e.name(), e);
                compiled.put(e.name(), e.compiled());
            }
            this.byName = Collections.unmodifiableMap(names);
            this.compiledByName = Collections.unmodifiableMap(compiled);
            List<CompiledDefinition<T>> numbered = entries.stream()
                    .filter(e -> e.version() >= 0)
                    .sorted((a, b) -> Integer.compare(a.version(), b.version()))
                    .toList();
            this.versions =
                    numbered.stream().mapToInt(CompiledDefinition::version).toArray();
            this.byVersion = numbered.toArray(new CompiledDefinition[0]);
            this.latest = numbered.isEmpty() ? null : numbered.get(numbered.size() - 1);
        }
    }

    private static final class Snapshot<T> {
        final long generation;
        final Map<String, Definition> raw;
        final Map<String, CompiledDefinition<T>> compiled;
        final Map<String, TypeEntry<T>> types;
        final Map<String, String> errors;
        final Map<String, String> loadErrors;
        final int size;

        Snapshot(
                long generation,
                Map<String, Definition> raw,
                Map<String, CompiledDefinition<T>> compiled,
                Map<String, String> errors,
                Map<String, String> loadErrors) {
            this.generation = generation;
            this.raw = raw;
            this.compiled = compiled;
            this.errors = errors;
            this.loadErrors = loadErrors;
            this.size = compiled.size();
            Map<String, List<CompiledDefinition<T>>> grouped = new LinkedHashMap<>();
            for (CompiledDefinition<T> e : compiled.values()) {
                grouped.computeIfAbsent(e.eventType(), k -> new java.util.ArrayList<>())
                        .add(e);
            }
            Map<String, TypeEntry<T>> types = new HashMap<>();
            grouped.forEach((type, entries) -> types.put(type, new TypeEntry<>(entries)));
            this.types = Collections.unmodifiableMap(types);
        }

        static <T> Snapshot<T> empty() {
            return new Snapshot<>(0, Map.of(), Map.of(), Map.of(), Map.of());
        }
    }
}
