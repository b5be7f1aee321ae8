/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.common.RecordJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The compiled fast path renders exactly what Jinjava renders: every shipped template and a corpus of edge cases,
 * rendered both ways and compared byte for byte (the text), as whole transform outcomes (value types and scales,
 * errors and their messages) and as metrics; and a property test over random records.
 */
class FastPathTest {

    private static final Path PIPELINES = Path.of("..", "packaging", "pipelines");

    /** JSON value templates of the corpus: every supported construct, in value and string positions. */
    static final List<String> JSON_TEMPLATES = List.of(
            "{\"order_id\": {{ value.order_id }}, \"status\": {{ value.status|upper }}, \"total\": {{ value.total }},"
                    + " \"n\": {{ value.items|length }}, \"sku\": {{ value.items[0].sku }}, \"paid\": "
                    + "{{ value.status == 'paid' }}, \"topic\": {{ topic }}, \"p\": {{ partition }}, \"o\": {{ offset }}}",
            "{\"s\": {{ value.s }}, \"in\": \"<{{ value.s }}>\", \"n\": {{ value.n }}, \"ns\": \"n={{ value.n }}\"}",
            "{\"d\": {{ value.d }}, \"f\": {{ value.f }}, \"b\": {{ value.b }}, \"big\": {{ value.big }},"
                    + " \"huge\": {{ value.huge }}, \"neg\": {{ value.neg }}}",
            "{\"m\": {{ value.m }}, \"l\": {{ value.l }}, \"mj\": {{ value.m|tojson }}, \"ms\": \"{{ value.m|tojson }}\","
                    + " \"all\": {{ value }}}",
            "{\"x\": {{ value.x | default(none) }}, \"y\": {{ value.y|d('n/a') }}, \"z\": {{ value.m.k | default(none) }},"
                    + " \"deep\": {{ value.m.inner.z|default('none here') }}}",
            "{\"iso\": {{ value.ts | to_iso }}, \"s\": {{ value.secs|to_iso(unit='s') }}, \"us\": {{ value.secs|to_iso('s') }},"
                    + " \"ms\": {{ value.ts|to_epoch_millis }}}",
            "{\"lower\": {{ value.s|lower }}, \"trim\": \"{{ value.s|trim|upper }}\", \"ne\": {{ value.s != 'x' }},"
                    + " \"len\": {{ value.s|length }}, \"mlen\": {{ value.m|length }}}",
            "{\"lit\": {{ 'text \"quoted\"' }}, \"int\": {{ 42 }}, \"t\": {{ true }}, \"f\": {{ false }}, \"none\": {{ none }},"
                    + " \"sp\": {{ value['a b'] }}, \"second\": {{ value.l[1] }}, \"key\": {{ key }}, \"ts\": {{ timestamp }}}",
            "  {{- '' -}}  {\"ws\": {{- value.s -}} }  ",
            "{\n  \"multi\": {{ value.s }},\n  \"line\": {{ value.missing }}\n}",
            "{\"e\": {{ value.e }}, \"ei\": \"[{{ value.e }}]\", \"u\": {{ value.u }}}",
            // constructs the compiled form does not take: the whole template stays on Jinjava
            "{% if value.s %}{\"s\": {{ value.s }}}{% else %}{\"s\": null}{% endif %}",
            "{\"q\": {{ (value.n * 2) | round(2) }}, \"j\": {{ value.s|replace('a', 'b') }}}");

    /**
     * Every supported expression on its own (so one field that sends a record to Jinjava does not hide how another
     * renders), written as a JSON value, inside a JSON string and as a text template.
     */
    static final List<String> EXPRESSIONS = List.of(
            "value.order_id",
            "value.status|upper",
            "value.total",
            "value.items|length",
            "value.items[0].sku",
            "value.items[0]",
            "value.status == 'paid'",
            "value.status != 'paid'",
            "topic",
            "partition",
            "offset",
            "timestamp",
            "key",
            "value",
            "value.s",
            "value.n",
            "value.d",
            "value.f",
            "value.b",
            "value.big",
            "value.huge",
            "value.neg",
            "value.m",
            "value.l",
            "value.l[1]",
            "value.m.k",
            "value.m|tojson",
            "value.s|tojson",
            "value.x|default(none)",
            "value.x|d('n/a')",
            "value.m.k|default(none)",
            "value.y|default('dflt')",
            "value.m.inner.z|default('deep')",
            "value.ts|to_iso",
            "value.secs|to_iso(unit='s')",
            "value.secs|to_iso('ms')",
            "value.ts|to_epoch_millis",
            "value.s|lower",
            "value.s|trim|upper",
            "value.s|length",
            "value.m|length",
            "'text'",
            "42",
            "true",
            "false",
            "none",
            "None",
            "null",
            "value['a b']",
            "value.e",
            "value.u",
            "value.missing",
            "value.items[5]",
            "value.s.deeper");

    static List<String> isolatedTemplates(boolean json) {
        List<String> templates = new ArrayList<>();
        for (String e : EXPRESSIONS) {
            templates.add(json ? "{\"v\": {{ " + e + " }}, \"s\": \"<{{ " + e + " }}>\"}" : "{{ " + e + " }}");
        }
        return templates;
    }

    static final List<String> TEXT_TEMPLATES = List.of(
            "events.{{ value.type|lower }}",
            "{{ value.s }}",
            "{{ value.n }}-{{ value.d }}-{{ value.b }}",
            "{{ value.m }}",
            "{{ value.ts|to_iso }}",
            " {{- value.s -}} ",
            "{{ value.x|default('dflt') }}",
            "k-{{ key }}-{{ offset }}");

    // ------------------------------------------------------------------ shipped templates

    @Test
    void everyShippedTemplateRendersTheSameBothWaysOnEverySample() throws IOException {
        Map<String, String> templates = shippedTemplates();
        List<JsonNode> samples = samples();
        assertThat(templates).as("shipped templates found").hasSizeGreaterThanOrEqualTo(6);
        assertThat(samples).hasSizeGreaterThan(5);
        int compiled = 0;
        for (Map.Entry<String, String> t : templates.entrySet()) {
            FastPathEquivalence both = new FastPathEquivalence();
            // .j2 files and value/tombstone settings are JSON templates; key, topic and header settings text
            boolean producesJson = t.getKey().endsWith(".j2")
                    || t.getKey().endsWith(".value.template")
                    || t.getKey().endsWith(".tombstone.template");
            FastPathEquivalence.Pair pair = both.compile(t.getKey(), t.getValue(), producesJson);
            compiled += pair.compiled().fast() != null ? 1 : 0;
            String setting = t.getKey().endsWith(".j2")
                    ? "value.template"
                    : t.getKey().substring(t.getKey().indexOf(':') + 1).replaceFirst("^transforms\\.[^.]+\\.", "");
            var transforms = FastPathEquivalence.<SinkRecord>transforms(Map.of(setting, t.getValue()));
            for (JsonNode sample : samples) {
                String json = sample.get("value").toString();
                Supplier<SinkRecord> asMap = () -> sink(RecordJson.fromJsonNode(RecordJson.parseExact(json)), null);
                Supplier<SinkRecord> asText = () -> sink(json, null);
                both.assertSameText(pair, () -> FastPathEquivalence.variables(asMap.get()), t.getKey() + " " + json);
                FastPathEquivalence.assertSameOutcome(transforms, asMap, t.getKey() + " map " + json);
                FastPathEquivalence.assertSameOutcome(transforms, asText, t.getKey() + " text " + json);
            }
            FastPathEquivalence.assertSameMetrics(transforms);
            transforms.forEach(TemplateTransform::close);
            if (pair.compiled().fast() != null) {
                assertThat(both.compiledRecords())
                        .as(t.getKey() + ": samples rendered compiled")
                        .isGreaterThan(0);
            }
        }
        // all but the line_total arithmetic template are compiled
        assertThat(compiled).isGreaterThanOrEqualTo(templates.size() - 1);
    }

    /** templates/**.j2 of every pipeline, and every inline *.template setting of their connector JSON. */
    static Map<String, String> shippedTemplates() throws IOException {
        Map<String, String> templates = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(PIPELINES)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String name = PIPELINES.relativize(p).toString();
                if (name.contains("/templates/") && name.endsWith(".j2")) {
                    templates.put(name, Files.readString(p));
                } else if (name.endsWith(".json") && !name.contains("/schemas/")) {
                    JsonNode config = RecordJson.parse(Files.readString(p)).path("config");
                    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (e.getKey().startsWith("transforms.") && e.getKey().endsWith(".template")) {
                            templates.put(name + ":" + e.getKey(), e.getValue().asText());
                        }
                    }
                }
            }
        }
        return templates;
    }

    static List<JsonNode> samples() throws IOException {
        List<JsonNode> samples = new ArrayList<>();
        try (Stream<Path> files = Files.walk(PIPELINES)) {
            for (Path p : (Iterable<Path>)
                    files.filter(f -> f.toString().endsWith("samples.jsonl")).sorted()::iterator) {
                for (String line : Files.readAllLines(p)) {
                    if (!line.isBlank()) {
                        JsonNode sample = RecordJson.parse(line);
                        if (sample.path("value").isObject()) {
                            samples.add(sample);
                        }
                    }
                }
            }
        }
        return samples;
    }

    // ------------------------------------------------------------------ edge-case corpus

    /** Record values exercising every rule: missing and null fields, numbers, escapes, types, shapes. */
    static List<Object> edgeValues() {
        List<Object> values = new ArrayList<>();
        values.add(full());
        Map<String, Object> nulls = new LinkedHashMap<>();
        for (String k : full().keySet()) {
            nulls.put(k, null);
        }
        values.add(nulls);
        values.add(new LinkedHashMap<>()); // everything missing
        Map<String, Object> odd = full();
        odd.put("items", List.of()); // items[0] out of range
        odd.put("status", 7); // upper / == on a number
        odd.put("s", List.of("a", "b")); // lower/trim on a list
        odd.put("m", "not a map");
        odd.put("l", Map.of("1", "x"));
        odd.put("ts", "not a time");
        odd.put("d", Double.NaN);
        values.add(odd);
        Map<String, Object> strings = full();
        strings.put("s", "quote \" backslash \\ slash / é ü 中 😀 \u0000 \u0001 \u001f \n\r\t \u2028 \u007f");
        strings.put("e", "</script> & <b> ' \"\"");
        strings.put("u", "\uD83D"); // a lone surrogate
        values.add(strings);
        Map<String, Object> numbers = full();
        numbers.put("n", Long.MAX_VALUE);
        numbers.put("d", new BigDecimal("1E+3"));
        numbers.put("f", 1.0e20);
        numbers.put("big", new BigDecimal("-0.000000000000000000001"));
        numbers.put("huge", new BigInteger("-123456789012345678901234567890"));
        numbers.put("neg", (short) -3);
        numbers.put("b", Boolean.FALSE);
        values.add(numbers);
        Map<String, Object> floats = full();
        floats.put("d", 0.1f);
        floats.put("f", 1234.0);
        floats.put("n", (byte) 1);
        floats.put("big", new BigDecimal("12345678901234567.89"));
        values.add(floats);
        values.add("{\"s\": \"json text\", \"n\": 129.90, \"big\": 12345678901234567.89, \"m\": {\"k\": [1, 2.50]}}");
        values.add("plain text value");
        values.add("[1, 2, 3]");
        return values;
    }

    static Map<String, Object> full() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("order_id", "o-1");
        v.put("status", "paid");
        v.put("total", new BigDecimal("129.90"));
        v.put("items", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("sku", "SKU-1", "qty", 2)))));
        v.put("s", "  Mixed Case  ");
        v.put("n", 1234);
        v.put("d", new BigDecimal("129.90"));
        v.put("f", 39.95);
        v.put("b", true);
        v.put("big", new BigDecimal("12345678901234567.89"));
        v.put("huge", new BigInteger("123456789012345678901234567890"));
        v.put("neg", -17L);
        v.put("m", new LinkedHashMap<>(Map.of("k", "v", "inner", new LinkedHashMap<>(Map.of("z", 1)))));
        v.put("l", new ArrayList<>(List.of(1, "two", 3.5)));
        v.put("ts", "2026-11-23T10:00:00.123+01:00");
        v.put("secs", 1_795_428_000L);
        v.put("x", "present");
        v.put("a b", "spaced key");
        v.put("type", "Page_View");
        v.put("e", "e");
        v.put("u", "u");
        return v;
    }

    static final Schema ITEM = SchemaBuilder.struct()
            .field("sku", Schema.STRING_SCHEMA)
            .field("qty", Schema.OPTIONAL_INT32_SCHEMA)
            .build();
    static final Schema STRUCT = SchemaBuilder.struct()
            .field("order_id", Schema.STRING_SCHEMA)
            .field("status", Schema.OPTIONAL_STRING_SCHEMA)
            .field("total", Decimal.builder(2).optional().build())
            .field("items", SchemaBuilder.array(ITEM).optional().build())
            .field("s", Schema.OPTIONAL_STRING_SCHEMA)
            .field("n", Schema.OPTIONAL_INT64_SCHEMA)
            .field("f", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("b", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("bytes", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("ts", Timestamp.builder().optional().build())
            .field(
                    "m",
                    SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)
                            .optional()
                            .build())
            .build();

    static List<Struct> structs() {
        Struct item = new Struct(ITEM).put("sku", "SKU-1").put("qty", 2);
        Struct full = new Struct(STRUCT)
                .put("order_id", "o-1")
                .put("status", "paid")
                .put("total", new BigDecimal("129.90"))
                .put("items", List.of(item))
                .put("s", "struct \"s\"")
                .put("n", 12L)
                .put("f", 0.5)
                .put("b", false)
                .put("bytes", new byte[] {1, 2})
                .put("ts", java.util.Date.from(Instant.parse("2026-11-23T10:00:00.5Z")))
                .put("m", Map.of("k", "v"));
        Struct sparse = new Struct(STRUCT).put("order_id", "o-2");
        return List.of(full, sparse);
    }

    @Test
    void theEdgeCaseCorpusRendersTheSameBothWays() {
        for (boolean failOnUndefined : new boolean[] {true, false}) {
            FastPathEquivalence both = new FastPathEquivalence(RenderLimits.DEFAULT, failOnUndefined);
            int compiledTemplates = 0;
            for (String template : JSON_TEMPLATES) {
                compiledTemplates += corpus(both, template, true);
            }
            for (String template : TEXT_TEMPLATES) {
                compiledTemplates += corpus(both, template, false);
            }
            for (boolean json : new boolean[] {true, false}) {
                for (String template : isolatedTemplates(json)) {
                    compiledTemplates += corpus(both, template, json);
                }
            }
            assertThat(compiledTemplates)
                    .as("templates with a compiled form")
                    .isEqualTo(JSON_TEMPLATES.size() - 2 + TEXT_TEMPLATES.size() + 2 * EXPRESSIONS.size());
            assertThat(both.compiledRecords())
                    .as("records the compiled form rendered")
                    .isGreaterThan(both.records() / 4);
            assertThat(both.compiledRecords()).as("records deferred to Jinjava").isLessThan(both.records());
        }
    }

    private static int corpus(FastPathEquivalence both, String template, boolean json) {
        FastPathEquivalence.Pair pair = both.compile("corpus", template, json);
        List<Supplier<SinkRecord>> records = new ArrayList<>();
        for (int i = 0; i < edgeValues().size(); i++) {
            int index = i;
            records.add(() -> sink(edgeValues().get(index), null));
        }
        for (int i = 0; i < structs().size(); i++) {
            int index = i;
            records.add(() -> sink(structs().get(index), STRUCT));
        }
        for (Supplier<SinkRecord> record : records) {
            both.assertSameText(
                    pair,
                    () -> FastPathEquivalence.variables(record.get()),
                    template + " / " + record.get().value());
        }
        return pair.compiled().fast() != null ? 1 : 0;
    }

    @Test
    void wholeTransformOutcomesAndMetricsAreTheSameInEveryOutputMode() {
        List<Map<String, String>> modes = List.of(
                Map.of(),
                Map.of("value.number.format", "double"),
                Map.of("value.number.format", "exact"),
                Map.of("value.schema.infer", "true"),
                Map.of("on.undefined", "empty"),
                Map.of("limits.output.max.chars", "60"),
                Map.of(
                        "value.schema",
                        "{\"type\":\"struct\",\"fields\":[{\"field\":\"s\",\"type\":\"string\","
                                + "\"optional\":true},{\"field\":\"in\",\"type\":\"string\",\"optional\":true},{\"field\":\"n\","
                                + "\"type\":\"double\",\"optional\":true},{\"field\":\"ns\",\"type\":\"string\",\"optional\":true}]}"));
        for (Map<String, String> mode : modes) {
            for (String template : JSON_TEMPLATES) {
                Map<String, String> props = new LinkedHashMap<>(mode);
                props.put("value.template", template);
                props.put("key.template", TEXT_TEMPLATES.get(2));
                props.put("topic.template", TEXT_TEMPLATES.get(0));
                props.put("headers.h.template", TEXT_TEMPLATES.get(3));
                var sinks = FastPathEquivalence.<SinkRecord>transforms(props);
                var sources = FastPathEquivalence.<SourceRecord>transforms(props);
                for (int i = 0; i < edgeValues().size(); i++) {
                    int index = i;
                    String what = mode + " " + template + " / " + edgeValues().get(i);
                    FastPathEquivalence.assertSameOutcome(
                            sinks, () -> sink(edgeValues().get(index), null), what);
                    FastPathEquivalence.assertSameOutcome(
                            sources, () -> source(edgeValues().get(index), null), what);
                }
                for (Struct s : structs()) {
                    FastPathEquivalence.assertSameOutcome(sinks, () -> sink(s, STRUCT), mode + " " + template + s);
                }
                FastPathEquivalence.assertSameMetrics(sinks);
                FastPathEquivalence.assertSameMetrics(sources);
                sinks.forEach(TemplateTransform::close);
                sources.forEach(TemplateTransform::close);
            }
        }
    }

    // ------------------------------------------------------------------ property test

    @Test
    void randomRecordsRenderTheSameBothWays() {
        long seed = Long.getLong("fastpath.seed", System.nanoTime());
        Random random = new Random(seed);
        FastPathEquivalence both = new FastPathEquivalence(RenderLimits.DEFAULT, random.nextBoolean());
        List<FastPathEquivalence.Pair> pairs = new ArrayList<>();
        for (String t : JSON_TEMPLATES) {
            pairs.add(both.compile("random", t, true));
        }
        for (String t : TEXT_TEMPLATES) {
            pairs.add(both.compile("random", t, false));
        }
        for (int i = 0; i < 3000; i++) {
            long recordSeed = random.nextLong();
            FastPathEquivalence.Pair pair = pairs.get(random.nextInt(pairs.size()));
            Supplier<SinkRecord> record = () -> sink(randomValue(new Random(recordSeed)), null);
            both.assertSameText(
                    pair,
                    () -> FastPathEquivalence.variables(record.get()),
                    "seed " + seed + " (-Dfastpath.seed), record " + i + ": "
                            + record.get().value());
        }
        assertThat(both.compiledRecords()).as("seed " + seed).isGreaterThan(0);
    }

    private static final String[] NAMES = {
        "order_id",
        "status",
        "total",
        "items",
        "s",
        "n",
        "d",
        "f",
        "b",
        "big",
        "huge",
        "neg",
        "m",
        "l",
        "ts",
        "secs",
        "x",
        "y",
        "a b",
        "type",
        "e",
        "u",
        "k",
        "inner",
        "z",
        "sku",
        "missing"
    };

    /** A record value of random shape: any field may be missing, null, or of another type than usual. */
    static Map<String, Object> randomValue(Random r) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (String name : NAMES) {
            if (r.nextInt(5) > 0) {
                v.put(name, randomLeaf(r, 2));
            }
        }
        return v;
    }

    private static Object randomLeaf(Random r, int depth) {
        switch (r.nextInt(depth > 0 ? 16 : 13)) {
            case 0:
                return null;
            case 1:
                return randomString(r);
            case 2:
                return r.nextInt();
            case 3:
                return r.nextLong();
            case 4:
                return new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(25) - 5);
            case 5:
                return r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            case 6:
                return r.nextBoolean();
            case 7:
                return new BigInteger(100, r);
            case 8:
                return "paid";
            case 9:
                return r.nextFloat();
            case 10:
                return Instant.ofEpochSecond(r.nextInt(2_000_000_000)).toString();
            case 11:
                return (long) r.nextInt(2_000_000_000);
            case 12:
                return "";
            case 13: {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    list.add(r.nextBoolean() ? randomValue(r, depth - 1) : randomLeaf(r, depth - 1));
                }
                return list;
            }
            default:
                return randomValue(r, depth - 1);
        }
    }

    private static Map<String, Object> randomValue(Random r, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            m.put(NAMES[r.nextInt(NAMES.length)], randomLeaf(r, depth));
        }
        return m;
    }

    private static String randomString(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            switch (r.nextInt(6)) {
                case 0:
                    s.append((char) r.nextInt(0x20));
                    break;
                case 1:
                    s.append("\"\\/'");
                    break;
                case 2:
                    s.append((char) (0x80 + r.nextInt(0x2000)));
                    break;
                case 3:
                    s.appendCodePoint(0x1F600 + r.nextInt(50));
                    break;
                case 4:
                    s.append(' ');
                    break;
                default:
                    s.append((char) ('a' + r.nextInt(26)));
                    break;
            }
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ visible path, option

    @Test
    void whichPathEachTemplateTakesIsVisibleAndNeverForcesJinjava() {
        Map<String, String> props = Map.of(
                "value.template",
                JSON_TEMPLATES.get(0),
                "topic.template",
                "{% if true %}t{% endif %}",
                "key.template",
                "{{ value.order_id }}");
        var both = FastPathEquivalence.<SinkRecord>transforms(props);
        assertThat(both.get(0).renderPath(null, "value")).isEqualTo(CompiledTemplate.RenderPath.COMPILED);
        assertThat(both.get(0).renderPath(null, "key")).isEqualTo(CompiledTemplate.RenderPath.COMPILED);
        assertThat(both.get(0).renderPath(null, "topic")).isEqualTo(CompiledTemplate.RenderPath.JINJAVA);
        for (String name : List.of("value", "key", "topic")) {
            assertThat(both.get(1).renderPath(null, name))
                    .as("template.compile=never")
                    .isEqualTo(CompiledTemplate.RenderPath.JINJAVA);
        }
        both.forEach(TemplateTransform::close);
        assertThat(TemplateTransformConfig.CONFIG_DEF.configKeys().get("template.compile").documentation)
                .contains("'never'");
    }

    // ------------------------------------------------------------------ records

    static SinkRecord sink(Object value, Schema schema) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("source", "web");
        return new SinkRecord(
                "events.raw",
                3,
                Schema.OPTIONAL_STRING_SCHEMA,
                "k-1",
                schema,
                copy(value),
                42L,
                1_700_000_000_000L,
                TimestampType.CREATE_TIME,
                headers);
    }

    static SourceRecord source(Object value, Schema schema) {
        return new SourceRecord(
                Map.of(),
                Map.of(),
                "events.raw",
                1,
                Schema.OPTIONAL_STRING_SCHEMA,
                "k-1",
                schema,
                copy(value),
                1_700_000_000_000L);
    }

    /** A deep copy: the transform converts maps in place, and each side must see the record as it was. */
    @SuppressWarnings("unchecked")
    static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, copy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return copy;
        }
        if (value instanceof byte[] bytes) {
            return Arrays.copyOf(bytes, bytes.length);
        }
        return value;
    }
}
