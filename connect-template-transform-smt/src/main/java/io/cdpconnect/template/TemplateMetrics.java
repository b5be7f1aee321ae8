/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import io.cdpconnect.common.definitions.DefinitionStore;
import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.Counter;
import io.cdpconnect.common.metrics.Latency;
import io.cdpconnect.common.metrics.MetricsScope;
import org.apache.kafka.connect.errors.DataException;

/**
 * The template SMT's metrics, JMX {@code cdp.template:connector=<c>,task=<t>[,alias=<metrics.alias>]} through the
 * shared facility (the connector and task come from Connect's logging context of the configuring thread):
 * {@code records-rendered}, {@code records-failed-<cause>} ({@code undefined}, {@code invalid-json},
 * {@code limit}, {@code schema}, {@code no-template}, {@code other}), {@code render-time-p50/p99/max-ms} and the
 * definition store's {@code definitions-loaded}, {@code definitions-invalid}, {@code definitions-rejected-reloads}.
 */
final class TemplateMetrics implements AutoCloseable {

    /** Why a record failed; each has its counter. */
    enum Cause {
        UNDEFINED("undefined"),
        INVALID_JSON("invalid-json"),
        LIMIT("limit"),
        SCHEMA("schema"),
        NO_TEMPLATE("no-template"),
        OTHER("other");

        final String metric;

        Cause(String name) {
            this.metric = "records-failed-" + name;
        }

        /** The cause of a render failure, from the message the engine wrote (one place that knows them all). */
        static Cause of(DataException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("is undefined")) {
                return UNDEFINED;
            }
            if (m.contains("did not render valid JSON")) {
                return INVALID_JSON;
            }
            if (m.contains("limits.") || m.contains("loop iterations")) {
                return LIMIT;
            }
            if (m.contains("value.schema")
                    || m.contains("does not fit")
                    || m.contains("value.number.format")
                    || m.contains("cannot infer")) {
                return SCHEMA;
            }
            return OTHER;
        }
    }

    private final CdpMetrics metrics;
    private final Counter rendered;
    private final Counter[] failed = new Counter[Cause.values().length];
    private final Latency renderTime;

    TemplateMetrics(String alias) {
        metrics = CdpMetrics.open(MetricsScope.fromLoggingContext("template", alias, null));
        rendered = metrics.counter("records-rendered", "records whose templates rendered");
        for (Cause cause : Cause.values()) {
            failed[cause.ordinal()] = metrics.counter(
                    cause.metric, "records failed: " + cause.name().toLowerCase());
        }
        renderTime = metrics.latency("render-time", "time rendering one record's templates");
    }

    void store(DefinitionStore<?> store) {
        metrics.longGauge("definitions-loaded", "templates in the definition store", store::size);
        metrics.longGauge(
                "definitions-invalid",
                "stored templates that do not compile",
                () -> store.errors().size());
        metrics.longGauge(
                "definitions-rejected-reloads",
                "refreshes refused because they would remove all or too " + "many templates",
                store::rejectedReloads);
    }

    void rendered(long startNanos) {
        rendered.increment();
        renderTime.recordSince(startNanos);
    }

    void failed(Cause cause) {
        failed[cause.ordinal()].increment();
    }

    long count(String metric) {
        if (metric.equals("records-rendered")) {
            return rendered.count();
        }
        for (Cause cause : Cause.values()) {
            if (cause.metric.equals(metric)) {
                return failed[cause.ordinal()].count();
            }
        }
        throw new IllegalArgumentException(metric);
    }

    @Override
    public void close() {
        metrics.close();
    }
}
