/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import io.cdpconnect.common.definitions.DefinitionStore;
import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.Counter;
import io.cdpconnect.common.metrics.MetricsScope;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one validation SMT or {@link IsValid} instance counts, published two ways:
 * <ul>
 *   <li>through the bundle's facility, {@code cdp.validation} (the transform) or {@code cdp.validation-predicate}
 *       {@code :connector=<c>,task=<t>[,alias=<metrics.alias>]} with the totals and the definition store's gauges,
 *       plus one MBean per event type ({@code ,event_type=<type>}); connector and task come from Connect's logging
 *       context of the configuring thread ({@code Worker.startTask} sets {@code [name|task-N]} there, on Connect
 *       3.x and 4.x alike);</li>
 *   <li>under the names it shipped with, {@link ValidationMetrics} ({@code io.cdpconnect.validate:type=...,
 *       scope=...,event_type=...}, shared by the tasks of a scope), kept as they are for existing dashboards.</li>
 * </ul>
 * One lookup per record (the event type's {@link EventCounts}); no allocation once a type has been seen.
 */
final class ValidationCounters implements AutoCloseable {

    static final String TRANSFORM_PLUGIN = "validation";
    static final String PREDICATE_PLUGIN = "validation-predicate";

    private final ValidationMetrics legacy;
    private final CdpMetrics metrics;
    private final EventCounts total;
    private final ConcurrentHashMap<String, EventCounts> byType = new ConcurrentHashMap<>();

    /**
     * @param legacyType {@link ValidationMetrics#TRANSFORM} or {@link ValidationMetrics#PREDICATE}
     * @param legacyScope the {@code scope} of the shipped names ({@code metrics.scope} or the connector)
     * @param alias       {@code metrics.alias}, blank for none
     */
    ValidationCounters(String legacyType, String legacyScope, String alias) {
        this.legacy = ValidationMetrics.acquire(legacyType, legacyScope);
        String plugin = ValidationMetrics.PREDICATE.equals(legacyType) ? PREDICATE_PLUGIN : TRANSFORM_PLUGIN;
        this.metrics = CdpMetrics.open(MetricsScope.fromLoggingContext(plugin, alias, null));
        this.total = new EventCounts(metrics, null, null);
    }

    /** The counters of an event type (null: records without one). */
    EventCounts of(String eventType) {
        String key = eventType == null ? ValidationMetrics.NO_TYPE : eventType;
        EventCounts counts = byType.get(key);
        return counts != null
                ? counts
                : byType.computeIfAbsent(
                        key, k -> new EventCounts(metrics.tagged("event_type", k), legacy.of(k), total));
    }

    /** Publishes the definition store's gauges (as the template SMT does). */
    void store(DefinitionStore<?> store) {
        metrics.longGauge("definitions-loaded", "schemas in the definition store", store::size);
        metrics.longGauge(
                "definitions-invalid",
                "stored schemas that did not compile (rejected at start or kept at " + "their previous version)",
                () -> store.errors().size());
        metrics.longGauge(
                "definitions-rejected-reloads",
                "refreshes refused because they would remove all or too " + "many schemas",
                store::rejectedReloads);
    }

    ValidationMetrics legacy() {
        return legacy;
    }

    @Override
    public void close() {
        try {
            metrics.close();
        } finally {
            legacy.close();
        }
    }

    /** One event type's counters (or the totals): each count goes to both names and to the totals. */
    static final class EventCounts {
        private final Counter valid;
        private final Counter invalid;
        private final Counter unknown;
        private final Counter dropped;
        private final Counter routed;
        private final ValidationMetrics.Counters legacy;
        private final EventCounts total;

        private EventCounts(CdpMetrics metrics, ValidationMetrics.Counters legacy, EventCounts total) {
            this.valid = metrics.counter("records-valid", "records that matched their schema");
            this.invalid = metrics.counter(
                    "records-invalid",
                    "records that broke their schema, whatever on.invalid "
                            + "did with them (for the predicate: records it found invalid)");
            this.unknown = metrics.counter("records-unknown", "records whose event type (or version) has no schema");
            this.dropped = metrics.counter("records-dropped", "invalid or unknown records dropped by policy");
            this.routed = metrics.counter("records-routed", "invalid records routed to on.invalid.topic");
            this.legacy = legacy;
            this.total = total;
        }

        void valid() {
            valid.increment();
            legacy.valid.increment();
            total.valid.increment();
        }

        void invalid() {
            invalid.increment();
            legacy.invalid.increment();
            total.invalid.increment();
        }

        void unknown() {
            unknown.increment();
            legacy.unknown.increment();
            total.unknown.increment();
        }

        void dropped() {
            dropped.increment();
            legacy.dropped.increment();
            total.dropped.increment();
        }

        void routed() {
            routed.increment();
            legacy.routed.increment();
            total.routed.increment();
        }
    }
}
