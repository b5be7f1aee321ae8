/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Who a set of metrics belongs to: the plugin ({@code warehouse-sink}, {@code validation}, ...), the connector, the
 * task and, for a transform or predicate, its alias. Becomes the JMX object name
 * {@code cdp.<plugin>:connector=<c>,task=<t>[,alias=<a>]} and the tags of Kafka's plugin metrics.
 *
 * <p>Connect does not hand transforms their connector's name, but it sets the logging context
 * ({@code connector.context} = {@code "[name|task-0] "}) on the thread that configures and runs them;
 * {@link #fromLoggingContext} reads it there, so metrics are scoped per connector without a hand-set option.
 */
public record MetricsScope(String plugin, String connector, String task, String alias) {

    /** The MDC key Connect's {@code LoggingContext} sets for connector and task threads. */
    public static final String CONNECTOR_CONTEXT = "connector.context";

    static final String UNKNOWN = "unknown";

    private static final Pattern CONTEXT = Pattern.compile("\\[(.*)\\|([^|\\]]*)\\]\\s*");

    public MetricsScope {
        Objects.requireNonNull(plugin, "plugin");
        connector = blankToUnknown(connector);
        task = blankToUnknown(task);
        alias = alias == null || alias.isBlank() ? null : alias;
    }

    /** A connector's or task's scope; {@code task} is e.g. {@code "0"} or {@code "connector"}. */
    public static MetricsScope of(String plugin, String connector, String task) {
        return new MetricsScope(plugin, connector, task, null);
    }

    /**
     * The scope of the connector/task whose thread is current, as Connect's logging context names it;
     * {@code fallbackConnector} (may be null) when the thread carries no context (tests, tools).
     */
    public static MetricsScope fromLoggingContext(String plugin, String alias, String fallbackConnector) {
        String context = MDC.get(CONNECTOR_CONTEXT);
        String connector = fallbackConnector;
        String task = null;
        if (context != null) {
            Matcher m = CONTEXT.matcher(context);
            if (m.matches()) {
                connector = m.group(1);
                String scope = m.group(2);
                task = scope.startsWith("task-") ? scope.substring("task-".length()) : scope;
            }
        }
        return new MetricsScope(plugin, connector, task, alias);
    }

    /** The same scope narrowed by one more tag (e.g. {@code event_type}): kept in order after the base tags. */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("connector", connector);
        tags.put("task", task);
        if (alias != null) {
            tags.put("alias", alias);
        }
        return tags;
    }

    private static String blankToUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }
}
