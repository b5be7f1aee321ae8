/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/**
 * #16 "one metrics convention": the SMT and the predicate publish through the common facility,
 * cdp.validation[-predicate]:connector=<c>,task=<t>[,alias=<metrics.alias>][,event_type=<type>], next to the
 * io.cdpconnect.validate names dashboards already scrape.
 */
class ValidationScopedMetricsTest {

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @AfterEach
    void clearContext() {
        MDC.clear();
    }

    private static SinkRecord record(String json) {
        return new SinkRecord("events", 0, null, null, null, json, 7L);
    }

    @Test
    void theTransformCountsPerConnectorTaskAliasAndEventType() throws Exception {
        MDC.put("connector.context", "[orders-sink|task-3] ");
        JsonSchemaValidation<SinkRecord> smt = new JsonSchemaValidation.Value<>();
        smt.configure(Map.of(
                "definitions.inline",
                Events.inlineSchemas(),
                "metrics.alias",
                "validate",
                "on.invalid",
                "drop",
                "on.unknown.type",
                "pass"));
        MDC.clear(); // the task thread's context is read when configured (Connect sets it there: Worker.startTask)
        try {
            smt.apply(record(Events.json(1)));
            smt.apply(record(Events.json(1)));
            smt.apply(record(Events.json(0)));
            smt.apply(record("{\"event_type\": \"nope\"}"));
            ObjectName base = new ObjectName("cdp.validation:connector=\"orders-sink\",task=\"3\",alias=\"validate\"");
            ObjectName cart = new ObjectName("cdp.validation:connector=\"orders-sink\",task=\"3\",alias=\"validate\","
                    + "event_type=\"add_to_cart\"");
            assertThat(jmx.getAttribute(base, "records-valid")).isEqualTo(2L);
            assertThat(jmx.getAttribute(base, "records-invalid")).isEqualTo(1L);
            assertThat(jmx.getAttribute(base, "records-dropped")).isEqualTo(1L);
            assertThat(jmx.getAttribute(base, "records-unknown")).isEqualTo(1L);
            assertThat(jmx.getAttribute(cart, "records-valid")).isEqualTo(2L);
            assertThat(jmx.getAttribute(cart, "records-invalid")).isEqualTo(1L);
            assertThat(jmx.getAttribute(base, "definitions-loaded")).isEqualTo(1L);
            // the names it shipped with keep counting (scope = the connector)
            assertThat(jmx.getAttribute(ValidationMetrics.objectName("orders-sink", "add_to_cart"), "Valid"))
                    .isEqualTo(2L);
        } finally {
            smt.close();
        }
        assertThat(jmx.queryNames(new ObjectName("cdp.validation:connector=\"orders-sink\",*"), null))
                .isEmpty();
    }

    @Test
    void thePredicateHasItsOwnNameSoARecordIsNeverCountedTwice() throws Exception {
        MDC.put("connector.context", "[both|task-0] ");
        JsonSchemaValidation<SinkRecord> smt = new JsonSchemaValidation.Value<>();
        IsValid<SinkRecord> predicate = new IsValid<>();
        smt.configure(Map.of("definitions.inline", Events.inlineSchemas()));
        predicate.configure(Map.of("definitions.inline", Events.inlineSchemas()));
        try {
            SinkRecord valid = record(Events.json(1));
            assertThat(predicate.test(valid)).isTrue();
            smt.apply(valid);
            assertThat(jmx.getAttribute(
                            new ObjectName("cdp.validation:connector=\"both\",task=\"0\""), "records-valid"))
                    .isEqualTo(1L);
            assertThat(jmx.getAttribute(
                            new ObjectName("cdp.validation-predicate:connector=\"both\",task=\"0\""), "records-valid"))
                    .isEqualTo(1L);
        } finally {
            smt.close();
            predicate.close();
        }
    }

    @Test
    void storedSchemasRejectedAtStartAreCounted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("add_to_cart.json"), Events.addToCartSchema());
        Files.writeString(dir.resolve("broken.json"), "{\"type\": ");
        MDC.put("connector.context", "[stored|task-1] ");
        Map<String, Object> props = new HashMap<>(Map.of(
                "definitions.source",
                "directory",
                "definitions.directory",
                dir.toString(),
                "definitions.refresh.ms",
                "0",
                "definitions.on.invalid",
                "skip"));
        JsonSchemaValidation<SinkRecord> smt = new JsonSchemaValidation.Value<>();
        smt.configure(props);
        try {
            ObjectName base = new ObjectName("cdp.validation:connector=\"stored\",task=\"1\"");
            assertThat(jmx.getAttribute(base, "definitions-invalid")).isEqualTo(1L);
            assertThat(jmx.getAttribute(base, "definitions-loaded")).isEqualTo(1L);
            assertThat(jmx.getAttribute(base, "definitions-rejected-reloads")).isEqualTo(0L);
        } finally {
            smt.close();
        }
    }

    @Test
    void aTaskRestartedBeforeItsPredecessorClosedKeepsItsMetrics() throws Exception {
        MDC.put("connector.context", "[restart|task-0] ");
        JsonSchemaValidation<SinkRecord> old = new JsonSchemaValidation.Value<>();
        old.configure(Map.of("definitions.inline", Events.inlineSchemas()));
        JsonSchemaValidation<SinkRecord> successor = new JsonSchemaValidation.Value<>();
        successor.configure(Map.of("definitions.inline", Events.inlineSchemas()));
        MDC.clear();
        ObjectName cart = new ObjectName("cdp.validation:connector=\"restart\",task=\"0\",event_type=\"add_to_cart\"");
        try {
            successor.apply(record(Events.json(1)));
            old.close(); // late close of the predecessor
            successor.apply(record(Events.json(1)));
            assertThat(jmx.getAttribute(cart, "records-valid")).isEqualTo(2L);
            assertThat(jmx.getAttribute(ValidationMetrics.objectName("restart", "add_to_cart"), "Valid"))
                    .isEqualTo(2L);
        } finally {
            successor.close();
        }
        assertThat(jmx.isRegistered(cart)).isFalse();
    }
}
