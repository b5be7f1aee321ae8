/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.testing.RecordingSinkTaskContext;
import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.WarehouseSinkTask;
import io.cdpconnect.warehouse.record.RowMapper;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * CPU per event of each stage of a shipped event pipeline, in one JVM and one thread, without Kafka: the
 * pipeline's own value converter on the serialized events, each of its SMTs in order, the sink's row mapping, and
 * the sink task itself (put in 500-record polls as WorkerSinkTask drives it, then preCommit) writing to PostgreSQL.
 * The configs are the shipped files in {@code packaging/pipelines/<name>/}, with only the connection settings
 * replaced and the definitions read from the pipeline folder ({@code definitions.source=directory}) instead of
 * inline or JDBC: the same definitions, compiled the same way.
 *
 * <p>What is printed per stage: thread CPU and wall time per event (median of the rounds). The sink stage's wall time
 * includes PostgreSQL's share (another process); its CPU is the task thread's only.
 *
 * <p>Run (after {@code ./mvnw -B -o -q -pl connect-warehouse-sink -am test-compile}):
 * {@code ./mvnw -B -o -q -pl connect-warehouse-sink exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.cdpconnect.warehouse.bench.EventPipelineBenchmark} with {@code -Dbench.pipelines=event-store,
 * event-routing}, {@code -Dbench.events=50000}, {@code -Dbench.rounds=7}, {@code -Dbench.sink=false} (stages
 * without the database).
 */
public final class EventPipelineBenchmark {

    private static final int POLL = 500;
    private static final String MAP_STAGE = "  RowMapper.map";
    private static final String TOPIC = "events.raw";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private EventPipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 50_000);
        int rounds = Integer.getInteger("bench.rounds", 7);
        boolean sink = Boolean.parseBoolean(System.getProperty("bench.sink", "true"));
        Path folder = pipelinesFolder();
        TestPostgres pg = sink ? TestPostgres.get() : null;
        for (String name : System.getProperty("bench.pipelines", "event-store,event-routing")
                .split(",")) {
            new EventPipelineBenchmark.Run(folder.resolve(name.trim()), pg, events).measure(rounds);
        }
    }

    /** packaging/pipelines, from the module directory (exec:java) or the repository root. */
    private static Path pipelinesFolder() {
        for (Path p : List.of(Path.of("../packaging/pipelines"), Path.of("packaging/pipelines"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("run from the repository root or connect-warehouse-sink");
    }

    /**
     * Serialized events of the shapes the end-to-end benchmark produces (PipelineBenchmark#event): four event types
     * in turn, a nested properties object with a decimal, a context object.
     */
    static List<byte[]> events(int n, Instant ts) {
        String[] properties = {
            "{\"path\": \"/p/%d\"}",
            "{\"sku\": \"SKU-%d\", \"qty\": 2, \"price\": 19.95}",
            "{\"order_id\": \"o-%d\", \"revenue\": 59.85, \"currency\": \"EUR\"}",
            "{\"journey\": \"onboarding\", \"step\": \"signup\", \"n\": %d, \"status\": \"completed\"}"
        };
        String[] types = {"page_view", "add_to_cart", "order_completed", "onboarding_step"};
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String json = "{\"event_id\": \"bench-" + i + "\", \"event_type\": \"" + types[i % 4] + "\", \"user_id\": "
                    + "\"u-" + (i % 997) + "\", \"anonymous_id\": \"a-" + i + "\", \"ts\": \""
                    + ts.plusMillis(i) + "\", \"properties\": " + String.format(properties[i % 4], i % 50)
                    + ", \"context\": {\"page\": {\"url\": \"https://shop.example/p/" + (i % 50) + "\"}}}";
            out.add(json.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** One pipeline: its converter, SMTs and sink built from the shipped config. */
    private static final class Run {
        private final String name;
        private final Map<String, String> config;
        private final JsonConverter converter = new JsonConverter();
        private final List<Transformation<SinkRecord>> transforms = new ArrayList<>();
        private final List<String> aliases = new ArrayList<>();
        private final List<byte[]> payloads;
        private final TestPostgres pg;
        private WarehouseSinkTask task;
        private final TopicPartition tp = new TopicPartition(TOPIC, 0);
        private long nextOffset;

        Run(Path folder, TestPostgres pg, int events) throws Exception {
            this.name = folder.getFileName().toString();
            this.pg = pg;
            this.config = shippedConfig(folder);
            Map<String, String> converterProps = new LinkedHashMap<>();
            config.forEach((k, v) -> {
                if (k.startsWith("value.converter.")) {
                    converterProps.put(k.substring("value.converter.".length()), v);
                }
            });
            if (!JsonConverter.class.getName().equals(config.get("value.converter"))) {
                throw new IllegalStateException(name + " does not use JsonConverter: " + config.get("value.converter"));
            }
            converter.configure(converterProps, false);
            for (String alias : config.getOrDefault("transforms", "").split(",")) {
                if (alias.isBlank()) {
                    continue;
                }
                String prefix = "transforms." + alias.trim() + ".";
                Map<String, String> props = new LinkedHashMap<>();
                config.forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        props.put(k.substring(prefix.length()), v);
                    }
                });
                // the pipeline folder's definitions, read as files (shipped: inline via bin/cdp-apply, or JDBC)
                String kind = props.get("type").contains("Template") ? "templates" : "schemas";
                props.keySet().removeIf(k -> k.startsWith("definitions."));
                props.put("definitions.source", "directory");
                props.put("definitions.directory", folder.resolve(kind).toString());
                props.put("definitions.refresh.ms", "0");
                @SuppressWarnings("unchecked")
                Transformation<SinkRecord> t = (Transformation<SinkRecord>) Class.forName(props.remove("type"))
                        .getDeclaredConstructor()
                        .newInstance();
                t.configure(props);
                transforms.add(t);
                aliases.add(alias.trim());
            }
            this.payloads = events(events, Instant.parse("2026-11-23T10:00:00Z"));
        }

        private Map<String, String> shippedConfig(Path folder) throws Exception {
            try (var files = Files.list(folder)) {
                for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                    if (!file.toString().endsWith(".json")) {
                        continue;
                    }
                    JsonNode root = JSON.readTree(file.toFile());
                    JsonNode c = root.path("config");
                    if (c.path("connector.class").asText().contains("WarehouseSink")) {
                        Map<String, String> out = new LinkedHashMap<>();
                        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            out.put(e.getKey(), e.getValue().asText());
                        }
                        out.put("name", root.path("name").asText());
                        return out;
                    }
                }
            }
            throw new IllegalStateException("no warehouse sink config in " + folder);
        }

        void measure(int rounds) throws Exception {
            List<String> stages = new ArrayList<>();
            stages.add("convert (" + config.get("value.converter").replaceAll(".*\\.", "") + ")");
            for (int i = 0; i < transforms.size(); i++) {
                stages.add("smt " + aliases.get(i) + " ("
                        + transforms.get(i).getClass().getName().replaceAll(".*\\.", "") + ")");
            }
            stages.add(MAP_STAGE + (pg != null ? " (part of the sink task)" : ""));
            if (pg != null) {
                stages.add("sink task put+preCommit, PostgreSQL");
                startTask();
            }
            long[][] cpu = new long[stages.size()][rounds];
            long[][] wall = new long[stages.size()][rounds];
            long[][] bytes = new long[stages.size()][rounds];
            System.out.printf("%s: %,d events, %d rounds (+2 warm-up)%n", name, payloads.size(), rounds);
            for (int round = -2; round < rounds; round++) {
                Stopwatch watch = new Stopwatch(stages.size());
                round(watch);
                if (round >= 0) {
                    for (int s = 0; s < stages.size(); s++) {
                        cpu[s][round] = watch.cpu[s];
                        wall[s][round] = watch.wall[s];
                        bytes[s][round] = watch.bytes[s];
                    }
                }
            }
            double totalCpu = 0;
            double totalWall = 0;
            double totalBytes = 0;
            System.out.printf(
                    "  %-48s %10s %10s %10s%n", "stage (median of rounds)", "CPU ns/ev", "wall ns/ev", "alloc B/ev");
            for (int s = 0; s < stages.size(); s++) {
                double cn = median(cpu[s]) / payloads.size();
                double wn = median(wall[s]) / payloads.size();
                double bn = median(bytes[s]) / payloads.size();
                // the sink task maps the records itself: the mapper's own line is a part of it, not added
                boolean part = stages.get(s).startsWith(MAP_STAGE) && pg != null;
                if (!part) {
                    totalCpu += cn;
                    totalWall += wn;
                    totalBytes += bn;
                }
                System.out.printf("  %-48s %,10.0f %,10.0f %,10.0f%n", stages.get(s), cn, wn, bn);
            }
            System.out.printf(
                    "  %-48s %,10.0f %,10.0f %,10.0f  => %,.0f events/s per core (CPU)%n",
                    "total", totalCpu, totalWall, totalBytes, 1e9 / totalCpu);
            if (task != null) {
                task.close(Set.of(tp));
                task.stop();
            }
            for (Transformation<SinkRecord> t : transforms) {
                t.close();
            }
        }

        private void startTask() {
            Map<String, String> props = new LinkedHashMap<>(config);
            String url = pg.createDatabase(name.replace('-', '_'));
            props.put("warehouse.url", url);
            props.put("warehouse.user", pg.user());
            props.put("warehouse.password", pg.password());
            RecordingSinkTaskContext context = new RecordingSinkTaskContext(true);
            context.assignment.add(tp);
            task = new WarehouseSinkTask();
            task.initialize(context);
            task.start(props);
            task.open(Set.of(tp));
        }

        private void round(Stopwatch watch) {
            List<SinkRecord> records = new ArrayList<>(payloads.size());
            watch.start();
            for (byte[] payload : payloads) {
                SchemaAndValue v = converter.toConnectData(TOPIC, payload);
                records.add(new SinkRecord(
                        TOPIC, 0, Schema.STRING_SCHEMA, "k", v.schema(), v.value(), nextOffset++, 0L, null));
            }
            watch.stop();
            for (Transformation<SinkRecord> t : transforms) {
                List<SinkRecord> out = new ArrayList<>(records.size());
                watch.start();
                for (SinkRecord r : records) {
                    SinkRecord transformed = t.apply(r);
                    if (transformed == null) {
                        throw new IllegalStateException("a bench event was dropped by " + t);
                    }
                    out.add(transformed);
                }
                watch.stop();
                records = out;
            }
            RowMapper mapper = new RowMapper(new WarehouseSinkConfig(sinkProps()));
            int rows = 0;
            watch.start();
            for (SinkRecord r : records) {
                rows += mapper.map(r) == null ? 0 : 1;
            }
            watch.stop();
            if (rows != records.size()) {
                throw new IllegalStateException(rows + " rows of " + records.size() + " records");
            }
            if (task != null) {
                watch.start();
                for (int i = 0; i < records.size(); i += POLL) {
                    task.put(records.subList(i, Math.min(records.size(), i + POLL)));
                }
                Map<TopicPartition, OffsetAndMetadata> committed =
                        task.preCommit(Map.of(tp, new OffsetAndMetadata(nextOffset)));
                watch.stop();
                if (committed.get(tp) == null || committed.get(tp).offset() != nextOffset) {
                    throw new IllegalStateException("the sink committed " + committed + ", expected " + nextOffset);
                }
            }
        }

        private Map<String, String> sinkProps() {
            Map<String, String> props = new LinkedHashMap<>(config);
            props.put("warehouse.url", "jdbc:postgresql://127.0.0.1:1/unused");
            return props;
        }
    }

    /** Thread CPU, wall time and allocated bytes of consecutive stages. */
    private static final class Stopwatch {
        final long[] cpu;
        final long[] wall;
        final long[] bytes;
        private int stage;
        private long c0;
        private long w0;
        private long b0;

        Stopwatch(int stages) {
            cpu = new long[stages];
            wall = new long[stages];
            bytes = new long[stages];
        }

        void start() {
            long id = Thread.currentThread().getId();
            b0 = THREADS.getThreadAllocatedBytes(id);
            c0 = THREADS.getCurrentThreadCpuTime();
            w0 = System.nanoTime();
        }

        void stop() {
            wall[stage] = System.nanoTime() - w0;
            cpu[stage] = THREADS.getCurrentThreadCpuTime() - c0;
            bytes[stage] =
                    THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - b0;
            stage++;
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
