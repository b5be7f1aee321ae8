/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template.bench;

import io.cdpconnect.common.RecordJson;
import io.cdpconnect.template.TemplateTransform;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Records per second on one thread for a 15-field order mapping (the shared {@code shop.orders} document as the
 * Struct the MongoDB source emits, mapped to a schemaless value), through {@link TemplateTransform} end to end
 * (Struct to template variables, render, JSON back to the Connect value) with the template compiled
 * ({@code template.compile=auto}) and through Jinjava ({@code never}), against the same mapping written in plain
 * Java: the ceiling. Prints JMH's wall-clock scores and, meaningful on a shared machine, records per CPU-second of
 * the benchmark thread, with the ratios to plain Java.
 *
 * <p>Run (see the module README): build the test class path with {@code dependency:build-classpath}, then
 * {@code java -cp target/test-classes:target/classes:<class path> io.cdpconnect.template.bench.OrderMappingBenchmark
 * [warmup iterations] [measurement iterations]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
public class OrderMappingBenchmark {

    static final String TEMPLATE = "{\"order_id\": {{ value.order_id }},\n"
            + " \"customer_id\": {{ value.customer_id }},\n"
            + " \"status\": {{ value.status|upper }},\n"
            + " \"currency\": {{ value.currency }},\n"
            + " \"total\": {{ value.total }},\n"
            + " \"item_count\": {{ value.items|length }},\n"
            + " \"first_sku\": {{ value.items[0].sku }},\n"
            + " \"first_qty\": {{ value.items[0].qty }},\n"
            + " \"first_price\": {{ value.items[0].price }},\n"
            + " \"created_at\": {{ value.created_at }},\n"
            + " \"updated_at\": {{ value.updated_at }},\n"
            + " \"is_paid\": {{ value.status == 'paid' }},\n"
            + " \"source_topic\": {{ topic }},\n"
            + " \"source_partition\": {{ partition }},\n"
            + " \"source_offset\": {{ offset }}}";

    static final Schema ITEM = SchemaBuilder.struct()
            .name("item")
            .field("sku", Schema.STRING_SCHEMA)
            .field("qty", Schema.INT32_SCHEMA)
            .field("price", Decimal.schema(2))
            .build();
    static final Schema ORDER = SchemaBuilder.struct()
            .name("order")
            .field("_id", Schema.STRING_SCHEMA)
            .field("order_id", Schema.STRING_SCHEMA)
            .field("customer_id", Schema.STRING_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("currency", Schema.STRING_SCHEMA)
            .field("total", Decimal.schema(2))
            .field("items", SchemaBuilder.array(ITEM).build())
            .field("created_at", Timestamp.SCHEMA)
            .field("updated_at", Timestamp.SCHEMA)
            .build();

    /** {@code template.compile=auto}: this template has a compiled form. */
    private TemplateTransform<SinkRecord> transform;
    /** {@code template.compile=never}: the same template through Jinjava (what every template did before). */
    private TemplateTransform<SinkRecord> jinjava;

    private SinkRecord record;

    @Setup(Level.Trial)
    public void setup() {
        transform = new TemplateTransform<>();
        transform.configure(Map.of("value.template", TEMPLATE, "metrics.alias", "bench-compiled"));
        jinjava = new TemplateTransform<>();
        jinjava.configure(
                Map.of("value.template", TEMPLATE, "template.compile", "never", "metrics.alias", "bench-jinjava"));
        record = order();
        String viaTemplate = RecordJson.write(transform.apply(record).value());
        String viaJinjava = RecordJson.write(jinjava.apply(record).value());
        String viaJava = RecordJson.write(plainJava(record).value());
        if (!viaTemplate.equals(viaJava) || !viaJinjava.equals(viaJava)) {
            throw new IllegalStateException("mappings differ:\n" + viaTemplate + "\n" + viaJinjava + "\n" + viaJava);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        transform.close();
        jinjava.close();
    }

    static SinkRecord order() {
        java.util.Date at = java.util.Date.from(Instant.parse("2026-11-23T10:00:00Z"));
        Struct item = new Struct(ITEM).put("sku", "SKU-1").put("qty", 2).put("price", new BigDecimal("39.95"));
        Struct order = new Struct(ORDER)
                .put("_id", "65f0c0ffee")
                .put("order_id", "o-1001")
                .put("customer_id", "c-42")
                .put("status", "paid")
                .put("currency", "EUR")
                .put("total", new BigDecimal("129.90"))
                .put("items", List.of(item))
                .put("created_at", at)
                .put("updated_at", at);
        return new SinkRecord(
                "shop.orders",
                0,
                Schema.STRING_SCHEMA,
                "o-1001",
                ORDER,
                order,
                42L,
                1_795_428_000_000L,
                TimestampType.CREATE_TIME);
    }

    @Benchmark
    public SinkRecord template() {
        return transform.apply(record);
    }

    @Benchmark
    public SinkRecord templateJinjava() {
        return jinjava.apply(record);
    }

    @Benchmark
    public SinkRecord plainJava() {
        return plainJava(record);
    }

    /** The same mapping by hand: read the Struct, build the Map the template produces. */
    static SinkRecord plainJava(SinkRecord record) {
        Struct order = (Struct) record.value();
        List<?> items = order.getArray("items");
        Struct first = (Struct) items.get(0);
        Map<String, Object> out = new LinkedHashMap<>(32);
        out.put("order_id", order.getString("order_id"));
        out.put("customer_id", order.getString("customer_id"));
        out.put("status", order.getString("status").toUpperCase(Locale.ROOT));
        out.put("currency", order.getString("currency"));
        out.put("total", order.get("total")); // exact, as the template keeps it (sink side)
        out.put("item_count", items.size());
        out.put("first_sku", first.getString("sku"));
        out.put("first_qty", first.getInt32("qty"));
        out.put("first_price", first.get("price"));
        out.put(
                "created_at",
                ((java.util.Date) order.get("created_at")).toInstant().toString());
        out.put(
                "updated_at",
                ((java.util.Date) order.get("updated_at")).toInstant().toString());
        out.put("is_paid", "paid".equals(order.getString("status")));
        out.put("source_topic", record.topic());
        out.put("source_partition", record.kafkaPartition());
        out.put("source_offset", record.kafkaOffset());
        return record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                record.keySchema(),
                record.key(),
                null,
                out,
                record.timestamp());
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int measure = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Options options = new OptionsBuilder()
                .include(OrderMappingBenchmark.class.getName() + "\\.")
                .forks(0) // in-process: exec:java's class path is not a forkable JVM's
                .threads(1)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(measure)
                .measurementTime(TimeValue.seconds(1))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        double template = 0;
        double jinjavaWall = 0;
        double java = 0;
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            String name = r.getParams().getBenchmark();
            if (name.endsWith(".template")) {
                template = score;
            } else if (name.endsWith(".templateJinjava")) {
                jinjavaWall = score;
            } else {
                java = score;
            }
        }
        // JMH measures wall-clock time; on a shared machine a thread gets less than a core, so the same work is
        // also measured in CPU time of the benchmark thread: records per CPU-second = records/s on one core.
        // The three loops are interleaved (three rounds each) so a change in machine load hits them alike.
        OrderMappingBenchmark bench = new OrderMappingBenchmark();
        bench.setup();
        double templateCpu = 0;
        double jinjavaCpu = 0;
        double javaCpu = 0;
        for (int round = 0; round < 3; round++) {
            templateCpu += perCpuSecond(bench::template, measure) / 3;
            jinjavaCpu += perCpuSecond(bench::templateJinjava, measure) / 3;
            javaCpu += perCpuSecond(bench::plainJava, measure) / 3;
        }
        bench.close();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.printf(
                Locale.ROOT,
                "%n15-field order mapping (shop.orders Struct -> schemaless value), one thread; "
                        + "load average at the end: %s on %d cores%n",
                load,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                Locale.ROOT,
                "  Template, compiled:    %,10.0f records/s wall (JMH)   %,10.0f records per CPU-second"
                        + "   %.3f of plain Java (CPU)%n",
                template,
                templateCpu,
                templateCpu / javaCpu);
        System.out.printf(
                Locale.ROOT,
                "  Template, Jinjava:     %,10.0f records/s wall (JMH)   %,10.0f records per CPU-second"
                        + "   %.3f of plain Java (CPU)%n",
                jinjavaWall,
                jinjavaCpu,
                jinjavaCpu / javaCpu);
        System.out.printf(
                Locale.ROOT,
                "  Plain Java:            %,10.0f records/s wall (JMH)   %,10.0f records per CPU-second%n",
                java,
                javaCpu);
        System.out.printf(
                Locale.ROOT,
                "  Compiled / Jinjava: %.2fx (CPU); target >= 200,000 records per CPU-second: %s%n",
                templateCpu / jinjavaCpu,
                templateCpu >= 200_000 ? "met" : "NOT met");
    }

    private static double perCpuSecond(Runnable op, int seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            op.run();
        }
        long ops = 0;
        long start = threads.getCurrentThreadCpuTime();
        long budget = seconds * 1_000_000_000L;
        while (threads.getCurrentThreadCpuTime() - start < budget) {
            for (int i = 0; i < 5_000; i++) {
                op.run();
            }
            ops += 5_000;
        }
        return ops * 1e9 / (threads.getCurrentThreadCpuTime() - start);
    }
}
