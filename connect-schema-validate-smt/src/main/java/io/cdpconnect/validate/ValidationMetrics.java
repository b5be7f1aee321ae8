/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import io.cdpconnect.common.metrics.MetricsScope;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-event-type counters published as JMX MBeans
 * {@code io.cdpconnect.validate:type=JsonSchemaValidation,scope=<scope>,event_type=<type>}.
 *
 * <p>The transform counts under {@code type=JsonSchemaValidation}, the {@link IsValid} predicate under
 * {@code type=IsValid}, so a connector using both never counts a record twice. The scope is {@code metrics.scope}
 * or, by default, the connector Connect names in the logging context of the configuring thread. All instances of
 * one type and scope in a worker share the counters (tasks of a connector add up); the MBeans are unregistered when
 * the last instance closes, under the same lock that registers them, so a restart never loses them. The number of event types per scope is
 * capped so a stream of garbage types cannot exhaust memory: beyond the cap they count under {@code _other}.
 */
final class ValidationMetrics implements AutoCloseable {

    static final String DOMAIN = "io.cdpconnect.validate";
    static final String NO_TYPE = "_none";
    static final String OTHER = "_other";
    static final int MAX_EVENT_TYPES = 1000;

    private static final Logger log = LoggerFactory.getLogger(ValidationMetrics.class);
    private static final Map<String, ValidationMetrics> SCOPES = new HashMap<>();

    static final String TRANSFORM = "JsonSchemaValidation";
    static final String PREDICATE = "IsValid";
    static final String DEFAULT_SCOPE = "default";

    private final String type;
    private final String scope;
    private final ConcurrentHashMap<String, Counters> byType = new ConcurrentHashMap<>();
    private int references;
    private boolean closed;

    private ValidationMetrics(String type, String scope) {
        this.type = type;
        this.scope = scope;
    }

    /** The shared transform metrics of a scope; {@link #close()} once per call. */
    static ValidationMetrics acquire(String scope) {
        return acquire(TRANSFORM, scope);
    }

    /** The shared metrics of a plugin type ({@link #TRANSFORM}, {@link #PREDICATE}) and scope. */
    static ValidationMetrics acquire(String type, String scope) {
        synchronized (SCOPES) {
            ValidationMetrics metrics =
                    SCOPES.computeIfAbsent(type + "|" + scope, k -> new ValidationMetrics(type, scope));
            metrics.references++;
            return metrics;
        }
    }

    /** {@code metrics.scope} if set, else the connector of Connect's logging context, else {@value #DEFAULT_SCOPE}. */
    static String defaultScope(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String connector =
                MetricsScope.fromLoggingContext("schema-validation", null, null).connector();
        return connector == null || connector.equals("unknown") ? DEFAULT_SCOPE : connector;
    }

    /** The counters of an event type; allocation-free once the type has been seen. */
    Counters of(String eventType) {
        String key = eventType == null ? NO_TYPE : eventType;
        Counters counters = byType.get(key);
        return counters != null ? counters : register(key);
    }

    private Counters register(String key) {
        synchronized (byType) {
            Counters existing = byType.get(key);
            if (existing != null) {
                return existing;
            }
            if (byType.size() >= MAX_EVENT_TYPES && !key.equals(OTHER)) {
                return register(OTHER);
            }
            Counters counters = new Counters();
            synchronized (SCOPES) {
                if (!closed) {
                    try {
                        ObjectName name = objectName(type, scope, key);
                        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                        if (server.isRegistered(name)) {
                            // left by an instance of this scope that closed: ours are the live counters
                            server.unregisterMBean(name);
                        }
                        server.registerMBean(new DescribedMBean(counters), name);
                    } catch (JMException | RuntimeException e) {
                        log.warn("could not register JMX metrics for event type {}: {}", key, e.toString());
                    }
                }
            }
            byType.put(key, counters);
            return counters;
        }
    }

    /** The counters' MBean, with descriptions a JMX client (and docs/metrics.md) can show. */
    private static final class DescribedMBean extends StandardMBean {
        private static final Map<String, String> DESCRIPTIONS = Map.of(
                "Valid", "records that matched their schema",
                "Invalid", "records that broke their schema, whatever on.invalid did with them",
                "Unknown", "records whose event type (or version) has no schema",
                "Dropped", "invalid or unknown records dropped by policy",
                "Routed", "invalid records routed to on.invalid.topic");

        DescribedMBean(Counters counters) {
            super(counters, EventTypeMetricsMBean.class, false);
        }

        @Override
        protected String getDescription(javax.management.MBeanAttributeInfo info) {
            return DESCRIPTIONS.getOrDefault(info.getName(), info.getDescription());
        }
    }

    static ObjectName objectName(String scope, String eventType) throws JMException {
        return objectName(TRANSFORM, scope, eventType);
    }

    static ObjectName objectName(String type, String scope, String eventType) throws JMException {
        return new ObjectName(DOMAIN + ":type=" + type + ",scope=" + ObjectName.quote(scope) + ",event_type="
                + ObjectName.quote(eventType));
    }

    @Override
    public void close() {
        // one lock for register, unregister and the scope table: a successor of this scope registering while this
        // closes can never have its MBeans removed by this close
        synchronized (SCOPES) {
            if (--references > 0) {
                return;
            }
            closed = true;
            SCOPES.remove(type + "|" + scope, this);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (Map.Entry<String, Counters> e : byType.entrySet()) {
                try {
                    ObjectName name = objectName(type, scope, e.getKey());
                    if (server.isRegistered(name)) {
                        server.unregisterMBean(name);
                    }
                } catch (JMException ex) {
                    log.debug("could not unregister metrics of {}", e.getKey(), ex);
                }
            }
        }
    }

    /** One event type's counters. Public only because JMX introspects it. */
    public static final class Counters implements EventTypeMetricsMBean {
        final LongAdder valid = new LongAdder();
        final LongAdder invalid = new LongAdder();
        final LongAdder unknown = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final LongAdder routed = new LongAdder();

        @Override
        public long getValid() {
            return valid.sum();
        }

        @Override
        public long getInvalid() {
            return invalid.sum();
        }

        @Override
        public long getUnknown() {
            return unknown.sum();
        }

        @Override
        public long getDropped() {
            return dropped.sum();
        }

        @Override
        public long getRouted() {
            return routed.sum();
        }
    }
}
