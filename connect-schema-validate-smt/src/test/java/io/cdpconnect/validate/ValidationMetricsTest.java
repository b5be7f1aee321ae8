package io.cdpconnect.validate;

import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationMetricsTest {

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @Test
    void instancesOfAScopeShareCountersUntilTheLastCloses() throws Exception {
        ValidationMetrics first = ValidationMetrics.acquire("shared");
        ValidationMetrics second = ValidationMetrics.acquire("shared");
        first.of("a").valid.increment();
        second.of("a").valid.increment();
        second.of(null).unknown.increment();
        assertThat(jmx.getAttribute(ValidationMetrics.objectName("shared", "a"), "Valid")).isEqualTo(2L);
        assertThat(jmx.getAttribute(ValidationMetrics.objectName("shared", ValidationMetrics.NO_TYPE), "Unknown"))
                .isEqualTo(1L);

        first.close();
        assertThat(jmx.isRegistered(ValidationMetrics.objectName("shared", "a"))).isTrue();
        second.close();
        assertThat(jmx.isRegistered(ValidationMetrics.objectName("shared", "a"))).isFalse();
    }

    @Test
    void theNumberOfEventTypesIsCapped() throws Exception {
        try (ValidationMetrics metrics = ValidationMetrics.acquire("capped")) {
            for (int i = 0; i < ValidationMetrics.MAX_EVENT_TYPES + 5; i++) {
                metrics.of("type-" + i).invalid.increment();
            }
            ValidationMetrics.Counters other = metrics.of(ValidationMetrics.OTHER);
            assertThat(metrics.of("type-" + (ValidationMetrics.MAX_EVENT_TYPES + 3))).isSameAs(other);
            assertThat(other.getInvalid()).as("the 5 types beyond the cap").isEqualTo(5L);
            assertThat(jmx.isRegistered(ValidationMetrics.objectName("capped", "type-999"))).isTrue();
            assertThat(jmx.isRegistered(ValidationMetrics.objectName("capped", "type-1000"))).isFalse();
            assertThat(jmx.isRegistered(ValidationMetrics.objectName("capped", ValidationMetrics.OTHER))).isTrue();
        }
        assertThat(jmx.queryNames(new javax.management.ObjectName(ValidationMetrics.DOMAIN + ":scope=\"capped\",*"),
                null)).isEmpty();
    }
}
