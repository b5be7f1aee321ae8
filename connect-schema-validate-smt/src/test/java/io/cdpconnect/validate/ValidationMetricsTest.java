/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import org.junit.jupiter.api.Test;

class ValidationMetricsTest {

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @Test
    void instancesOfAScopeShareCountersUntilTheLastCloses() throws Exception {
        ValidationMetrics first = ValidationMetrics.acquire("shared");
        ValidationMetrics second = ValidationMetrics.acquire("shared");
        first.of("a").valid.increment();
        second.of("a").valid.increment();
        second.of(null).unknown.increment();
        assertThat(jmx.getAttribute(ValidationMetrics.objectName("shared", "a"), "Valid"))
                .isEqualTo(2L);
        assertThat(jmx.getAttribute(ValidationMetrics.objectName("shared", ValidationMetrics.NO_TYPE), "Unknown"))
                .isEqualTo(1L);

        first.close();
        assertThat(jmx.isRegistered(ValidationMetrics.objectName("shared", "a")))
                .isTrue();
        second.close();
        assertThat(jmx.isRegistered(ValidationMetrics.objectName("shared", "a")))
                .isFalse();
    }

    @Test
    void theNumberOfEventTypesIsCapped() throws Exception {
        try (ValidationMetrics metrics = ValidationMetrics.acquire("capped")) {
            for (int i = 0; i < ValidationMetrics.MAX_EVENT_TYPES + 5; i++) {
                metrics.of("type-" + i).invalid.increment();
            }
            ValidationMetrics.Counters other = metrics.of(ValidationMetrics.OTHER);
            assertThat(metrics.of("type-" + (ValidationMetrics.MAX_EVENT_TYPES + 3)))
                    .isSameAs(other);
            assertThat(other.getInvalid()).as("the 5 types beyond the cap").isEqualTo(5L);
            assertThat(jmx.isRegistered(ValidationMetrics.objectName("capped", "type-999")))
                    .isTrue();
            assertThat(jmx.isRegistered(ValidationMetrics.objectName("capped", "type-1000")))
                    .isFalse();
            assertThat(jmx.isRegistered(ValidationMetrics.objectName("capped", ValidationMetrics.OTHER)))
                    .isTrue();
        }
        assertThat(jmx.queryNames(
                        new javax.management.ObjectName(ValidationMetrics.DOMAIN + ":scope=\"capped\",*"), null))
                .isEmpty();
    }

    @Test
    void aStaleMBeanLeftByAClosingInstanceNeverHidesTheNewCounters() throws Exception {
        // a task restarted while its predecessor is still closing: the old MBean may still be registered
        ValidationMetrics.Counters stale = new ValidationMetrics.Counters();
        javax.management.ObjectName name = ValidationMetrics.objectName("restarted", "a");
        jmx.registerMBean(new javax.management.StandardMBean(stale, EventTypeMetricsMBean.class), name);
        try (ValidationMetrics metrics = ValidationMetrics.acquire("restarted")) {
            metrics.of("a").valid.increment();
            assertThat(jmx.getAttribute(name, "Valid")).isEqualTo(1L);
        }
        assertThat(jmx.isRegistered(name)).isFalse();
    }

    @Test
    void thePredicateAndTheTransformCountSeparately() throws Exception {
        try (ValidationMetrics smt = ValidationMetrics.acquire(ValidationMetrics.TRANSFORM, "both");
                ValidationMetrics predicate = ValidationMetrics.acquire(ValidationMetrics.PREDICATE, "both")) {
            smt.of("a").valid.increment();
            predicate.of("a").valid.increment();
            assertThat(jmx.getAttribute(
                            ValidationMetrics.objectName(ValidationMetrics.TRANSFORM, "both", "a"), "Valid"))
                    .isEqualTo(1L);
            assertThat(jmx.getAttribute(
                            ValidationMetrics.objectName(ValidationMetrics.PREDICATE, "both", "a"), "Valid"))
                    .isEqualTo(1L);
        }
    }

    @Test
    void theDefaultScopeIsTheConnectorConnectNamesInTheLoggingContext() {
        org.slf4j.MDC.put("connector.context", "[orders-sink|task-0] ");
        try {
            assertThat(ValidationMetrics.defaultScope("")).isEqualTo("orders-sink");
            assertThat(ValidationMetrics.defaultScope("mine")).isEqualTo("mine");
        } finally {
            org.slf4j.MDC.clear();
        }
        assertThat(ValidationMetrics.defaultScope("")).isEqualTo("default");
    }
}
