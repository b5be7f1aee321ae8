/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static io.cdpconnect.template.Records.ORDER;
import static io.cdpconnect.template.Records.sink;
import static io.cdpconnect.template.Records.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TemplateMetricsTest {

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void renderedFailedByCauseAndRenderTimeScopedByConnectorTaskAndAlias() throws Exception {
        MDC.put("connector.context", "[orders-map|task-2] ");
        var t = transform(
                "value.template",
                "{\"id\": {{ value.order_id }}, \"c\": {{ value.customer_id }}}",
                "metrics.alias",
                "map");
        MDC.clear();
        ObjectName name = new ObjectName("cdp.template:connector=\"orders-map\",task=\"2\",alias=\"map\"");
        try {
            t.apply(sink(ORDER));
            t.apply(sink(ORDER));
            assertThatThrownBy(() -> t.apply(sink("{\"order_id\": \"o-2\"}"))).isInstanceOf(DataException.class);
            assertThat(jmx.getAttribute(name, "records-rendered")).isEqualTo(2L);
            assertThat(jmx.getAttribute(name, "records-failed-undefined")).isEqualTo(1L);
            assertThat(jmx.getAttribute(name, "records-failed-invalid-json")).isEqualTo(0L);
            assertThat(jmx.getAttribute(name, "render-time-count")).isEqualTo(2L);
            assertThat((double) jmx.getAttribute(name, "render-time-p99-ms")).isPositive();
        } finally {
            t.close();
        }
        assertThat(jmx.isRegistered(name)).as("unregistered on close").isFalse();
    }

    @Test
    void invalidJsonIsItsOwnCause() {
        var t = transform("value.template", "{\"a\": 1} x", "metrics.alias", "json-cause");
        try {
            assertThatThrownBy(() -> t.apply(sink(ORDER))).isInstanceOf(DataException.class);
            assertThat(t.metrics().count("records-failed-invalid-json")).isEqualTo(1L);
            assertThat(t.metrics().count("records-rendered")).isZero();
        } finally {
            t.close();
        }
    }

    @Test
    void storedTemplatesRejectedAtStartAreCounted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("page_view.j2"), "{\"a\": {{ value.a }}}");
        java.nio.file.Files.writeString(dir.resolve("broken.j2"), "{% for x in value.items %}");
        MDC.put("connector.context", "[stored-map|task-1] ");
        var t = transform(
                "event.type.field",
                "event_type",
                "definitions.source",
                "directory",
                "definitions.directory",
                dir.toString(),
                "definitions.on.invalid",
                "skip",
                "definitions.refresh.ms",
                0L);
        MDC.clear();
        try {
            ObjectName name = new ObjectName("cdp.template:connector=\"stored-map\",task=\"1\"");
            assertThat(jmx.getAttribute(name, "definitions-invalid")).isEqualTo(1L);
            assertThat(jmx.getAttribute(name, "definitions-loaded")).isEqualTo(1L);
            assertThat(jmx.getAttribute(name, "definitions-rejected-reloads")).isEqualTo(0L);
        } finally {
            t.close();
        }
    }
}
