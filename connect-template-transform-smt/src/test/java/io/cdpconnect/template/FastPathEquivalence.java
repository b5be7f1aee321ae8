/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Renders the same records both ways, compiled ({@code template.compile=auto}) and through Jinjava
 * ({@code never}), and compares the rendered text byte for byte and the whole transform outcome (topic, key,
 * headers, value with every number's type and scale, or the exception and its message) and the metrics.
 */
final class FastPathEquivalence {

    private static final String[] METRICS = {
        "records-rendered",
        "records-failed-undefined",
        "records-failed-invalid-json",
        "records-failed-limit",
        "records-failed-schema",
        "records-failed-no-template",
        "records-failed-other"
    };

    private final TemplateEngine compiledEngine;
    private final TemplateEngine jinjavaEngine;
    private int compiledRecords;
    private int records;

    FastPathEquivalence(RenderLimits limits, boolean failOnUndefined) {
        compiledEngine = new TemplateEngine(limits, failOnUndefined, true);
        jinjavaEngine = new TemplateEngine(limits, failOnUndefined, false);
    }

    FastPathEquivalence() {
        this(RenderLimits.DEFAULT, true);
    }

    /** Compiles a template both ways; the compiled one may still have no fast form (then both are Jinjava). */
    Pair compile(String name, String source, boolean json) {
        return new Pair(compiledEngine.compile(name, source, json), jinjavaEngine.compile(name, source, json));
    }

    record Pair(CompiledTemplate compiled, CompiledTemplate jinjava) {}

    /**
     * Renders one record's variables both ways and asserts the same text or the same error.
     *
     * @param variables fresh variables per call (rendering wraps the record's maps in place)
     * @return whether the compiled side rendered it without Jinjava
     */
    boolean assertSameText(Pair pair, Supplier<Map<String, Object>> variables, String what) {
        String viaJinjava = text(jinjavaEngine, pair.jinjava(), variables.get(), null);
        boolean[] fast = new boolean[1];
        String viaCompiled = text(compiledEngine, pair.compiled(), variables.get(), fast);
        assertThat(viaCompiled).as("%s: %s", pair.jinjava().name(), what).isEqualTo(viaJinjava);
        records++;
        if (fast[0]) {
            compiledRecords++;
        }
        return fast[0];
    }

    private String text(
            TemplateEngine engine, CompiledTemplate template, Map<String, Object> variables, boolean[] fast) {
        try (RenderSession session = engine.begin(variables)) {
            try {
                return "OK " + session.render(template);
            } catch (RuntimeException e) {
                return e.getClass().getName() + ": " + e.getMessage();
            } finally {
                if (fast != null) {
                    fast[0] = session.fastRenders() > 0;
                }
            }
        }
    }

    /** The variables {@link TemplateTransform} gives a sink record's templates (value converted as it does). */
    static Map<String, Object> variables(SinkRecord record) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(
                "value", record.value() == null ? null : TemplateTransform.plain(record.value(), record.valueSchema()));
        variables.put("key", TemplateTransform.plain(record.key(), record.keySchema()));
        variables.put("topic", record.topic());
        variables.put("partition", record.kafkaPartition());
        variables.put("offset", record.kafkaOffset());
        variables.put("timestamp", record.timestamp());
        variables.put("headers", Map.of());
        return variables;
    }

    int compiledRecords() {
        return compiledRecords;
    }

    int records() {
        return records;
    }

    // ------------------------------------------------------------------ whole transform

    /** Two transforms with the same settings, one with template.compile=never. */
    static <R extends ConnectRecord<R>> List<TemplateTransform<R>> transforms(Map<String, String> props) {
        List<TemplateTransform<R>> both = new ArrayList<>();
        for (String mode : new String[] {"auto", "never"}) {
            Map<String, String> p = new HashMap<>(props);
            p.put(TemplateTransformConfig.TEMPLATE_COMPILE, mode);
            p.put(TemplateTransformConfig.METRICS_ALIAS, "equivalence-" + mode + "-" + System.identityHashCode(p));
            TemplateTransform<R> t = new TemplateTransform<>();
            t.configure(p);
            both.add(t);
        }
        return both;
    }

    /** Applies a fresh copy of the record to each and asserts the same outcome. */
    static <R extends ConnectRecord<R>> String assertSameOutcome(
            List<TemplateTransform<R>> both, Supplier<R> record, String what) {
        String compiled = outcome(both.get(0), record.get());
        String jinjava = outcome(both.get(1), record.get());
        assertThat(compiled).as(what).isEqualTo(jinjava);
        return jinjava;
    }

    static void assertSameMetrics(List<? extends TemplateTransform<?>> both) {
        for (String metric : METRICS) {
            assertThat(both.get(0).metrics().count(metric))
                    .as(metric)
                    .isEqualTo(both.get(1).metrics().count(metric));
        }
    }

    static <R extends ConnectRecord<R>> String outcome(TemplateTransform<R> transform, R record) {
        try {
            R out = transform.apply(record);
            StringBuilder s = new StringBuilder("topic=")
                    .append(out.topic())
                    .append(" key=")
                    .append(typed(out.key()))
                    .append(" headers=");
            for (Header h : out.headers()) {
                s.append(h.key()).append(':').append(typed(h.value())).append(',');
            }
            return s.append(" schema=")
                    .append(out.valueSchema() == null ? null : out.valueSchema().fields())
                    .append(" value=")
                    .append(typed(out.value()))
                    .toString();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /** A value with the class of every part, so 1 (Integer), 1 (Long) and 1.0 / 1.00 differ. */
    static String typed(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{");
            map.forEach((k, v) -> s.append(k).append('=').append(typed(v)).append(", "));
            return s.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder s = new StringBuilder("[");
            list.forEach(v -> s.append(typed(v)).append(", "));
            return s.append(']').toString();
        }
        if (value instanceof Struct struct) {
            StringBuilder s = new StringBuilder("Struct{");
            for (Field f : struct.schema().fields()) {
                s.append(f.name()).append('=').append(typed(struct.get(f))).append(", ");
            }
            return s.append('}').toString();
        }
        if (value instanceof Schema) {
            return value.toString();
        }
        return value.getClass().getSimpleName() + ":" + value;
    }
}
