package io.cdpconnect.validate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-event-type counters published as JMX MBeans
 * {@code io.cdpconnect.validate:type=JsonSchemaValidation,scope=<scope>,event_type=<type>}.
 *
 * <p>All SMT and predicate instances of one scope in a worker share the counters (tasks of a connector add up);
 * the MBeans are unregistered when the last instance of the scope closes. The number of event types per scope is
 * capped so a stream of garbage types cannot exhaust memory: beyond the cap they count under {@code _other}.
 */
final class ValidationMetrics implements AutoCloseable {

    static final String DOMAIN = "io.cdpconnect.validate";
    static final String NO_TYPE = "_none";
    static final String OTHER = "_other";
    static final int MAX_EVENT_TYPES = 1000;

    private static final Logger log = LoggerFactory.getLogger(ValidationMetrics.class);
    private static final Map<String, ValidationMetrics> SCOPES = new HashMap<>();

    private final String scope;
    private final ConcurrentHashMap<String, Counters> byType = new ConcurrentHashMap<>();
    private int references;

    private ValidationMetrics(String scope) {
        this.scope = scope;
    }

    /** The shared metrics of a scope; {@link #close()} once per call. */
    static ValidationMetrics acquire(String scope) {
        synchronized (SCOPES) {
            ValidationMetrics metrics = SCOPES.computeIfAbsent(scope, ValidationMetrics::new);
            metrics.references++;
            return metrics;
        }
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
            try {
                ObjectName name = objectName(scope, key);
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                if (!server.isRegistered(name)) {
                    server.registerMBean(new StandardMBean(counters, EventTypeMetricsMBean.class), name);
                }
            } catch (JMException | RuntimeException e) {
                log.warn("could not register JMX metrics for event type {}: {}", key, e.toString());
            }
            byType.put(key, counters);
            return counters;
        }
    }

    static ObjectName objectName(String scope, String eventType) throws JMException {
        return new ObjectName(DOMAIN + ":type=JsonSchemaValidation,scope=" + ObjectName.quote(scope)
                + ",event_type=" + ObjectName.quote(eventType));
    }

    @Override
    public void close() {
        synchronized (SCOPES) {
            if (--references > 0) {
                return;
            }
            SCOPES.remove(scope);
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (String type : byType.keySet()) {
            try {
                ObjectName name = objectName(scope, type);
                if (server.isRegistered(name)) {
                    server.unregisterMBean(name);
                }
            } catch (JMException e) {
                log.debug("could not unregister metrics of {}", type, e);
            }
        }
        byType.clear();
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
