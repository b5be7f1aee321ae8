/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.cdpconnect.testing.ConnectTestCluster;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * Change stream to topic: events/s draining a backlog, and write-to-topic latency (MongoDB insert to the broker's
 * append time, p50/p99) at a steady insert rate — for this connector and, in the same run, on the same server and
 * workload, MongoDB's official connector (mongo-kafka-connect). Not a test.
 *
 * <p>Server: MONGO_URI when set (a replica set), else a fresh in-memory mongo-java-server per run, which is NOT
 * representative of a real MongoDB (no oplog I/O, a change stream that scans the whole oplog per getMore and answers
 * at once): compare the ratio, not the absolutes. Each run prints its producer, task and server diagnostics.
 *
 * <p>Both connectors run in the same worker, so they share its producer settings (neither sets a
 * {@code producer.override.*}); their configs are printed, and they match on what decides throughput: one task,
 * at most 1000 records per poll, a 100 ms await, and the server's default cursor batch size (replies of up to
 * 16 MB; ours {@code cursor.batch.size=0}, theirs {@code batch.size=0}).
 *
 * <p>Run without installing anything (the plugin folder is built by {@code package} of a reactor run):
 * <pre>
 * ./mvnw -B -o -q -pl connect-mongo-cdc-source -am package -DskipTests dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/mongo-cp.txt -Dmdep.includeScope=test
 * cd connect-mongo-cdc-source &amp;&amp; java -cp target/test-classes:target/classes:$(cat /tmp/mongo-cp.txt) \
 *     io.cdpconnect.mongo.bench.ChangeStreamBenchmark   # -Dbench.events=20000 -Dbench.rate=500 -Dbench.rounds=3 -Dbench.formats=json,schema,schema-payload
 * </pre>
 * Both connectors alike: -Dbench.producer.batch.size=262144 (worker producer) and -Dbench.partitions=6 (topics).
 */
public final class ChangeStreamBenchmark {
    /** Warm-up backlog per connector and format: as large as a measured one, so both are measured JIT-compiled. */
    private static final int WARMUP_EVENTS = Integer.getInteger("bench.warmup.events", 20_000);

    private static int events = Integer.getInteger("bench.events", 20_000);
    private static final int RATE = Integer.getInteger("bench.rate", 500);
    /** Measured rounds per format (after the warm-up), alternating which connector goes first. */
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    private static int latencySeconds = Integer.getInteger("bench.latency.seconds", 5);
    /**
     * Output formats compared, each in its own pair of runs: -Dbench.formats=json,schema,schema-payload. {@code
     * schema-payload} is schema output with {@code schemas.enable=false}: the bytes a registry converter
     * (JSON-Schema, Avro) writes besides its 5-byte schema id, so the record is not dominated by the embedded schema.
     */
    private static final List<String> FORMATS =
            formats(System.getProperty("bench.formats", "json,schema,schema-payload"));

    /** Rejects an unknown name: config() and the report would otherwise disagree on what ran. */
    private static List<String> formats(String names) {
        List<String> formats = List.of(names.split(","));
        for (String f : formats) {
            if (!List.of("json", "schema", "schema-payload").contains(f)) {
                throw new IllegalArgumentException(
                        "bench.formats: unknown format '" + f + "' (json, schema, schema-payload)");
            }
        }
        return formats;
    }

    /**
     * Optional worker-wide producer batch.size (both connectors alike): Connect's producers send one request at a
     * time (max.in.flight.requests.per.connection=1), so with the default 16 KB batches the records per request,
     * and so events/s, follow the record size. -Dbench.producer.batch.size=262144 shows the ratio without that cap.
     */
    private static final String PRODUCER_BATCH_SIZE = System.getProperty("bench.producer.batch.size");

    /**
     * Partitions of each connector's topic (created before it starts, for both alike): -Dbench.partitions=1 by
     * default. Connect's producer puts one batch per partition in a request, so with one partition a drain is bound
     * by the record size; a topic of several partitions (as a keyed production topic has) lifts that bound.
     */
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 1);

    /** The config of each connector and format, printed with the report. */
    private static final List<String> CONFIGS = new ArrayList<>();

    private ChangeStreamBenchmark() {}

    public static void main(String[] args) throws Exception {
        // MONGO_URI: one server for every run. Else a fresh in-memory server per run: its change streams scan the
        // whole oplog on every getMore, so on a shared one each run would be slower than the one before it.
        String sharedUri = System.getenv("MONGO_URI");
        if (sharedUri != null && sharedUri.isBlank()) {
            sharedUri = null;
        }
        String server = sharedUri != null
                ? "MONGO_URI"
                : "in-memory mongo-java-server, a fresh one per run (NOT representative of MongoDB)";
        Path pluginPath = Path.of("connect-mongo-cdc-source/target/plugin");
        if (!Files.isDirectory(pluginPath)) {
            pluginPath = Path.of("target/plugin");
        }
        if (!Files.isDirectory(pluginPath)) {
            throw new IllegalStateException(
                    "build the plugin folder first: ./mvnw -B -o -pl connect-mongo-cdc-source -am "
                            + "package -DskipTests (see this class's javadoc)");
        }
        String db = "bench_" + UUID.randomUUID().toString().substring(0, 6);
        List<String> report = new ArrayList<>();
        ConnectTestCluster.Builder cluster = ConnectTestCluster.builder()
                .pluginPath(pluginPath.toAbsolutePath().toString())
                .workerProp("offset.flush.interval.ms", "5000");
        if (PRODUCER_BATCH_SIZE != null) {
            cluster.workerProp("producer.batch.size", PRODUCER_BATCH_SIZE);
        }
        try (ConnectTestCluster connect = cluster.start()) {
            String uri = sharedUri;
            boolean eventsLackNamespace = sharedUri == null;
            report.add("server: " + server);
            report.add("worker producer batch.size: "
                    + (PRODUCER_BATCH_SIZE == null ? "default (16384)" : PRODUCER_BATCH_SIZE)
                    + ", max.in.flight.requests.per.connection=1 (Connect's default for source tasks); topic partitions: "
                    + PARTITIONS);
            report.add(String.format(
                    "workload: backlog of %d inserts (shop.orders-shaped documents), then %d inserts/s for %d s; %d rounds",
                    events, RATE, latencySeconds, ROUNDS));
            int measured = events;
            int measuredSeconds = latencySeconds;
            for (String format : FORMATS) {
                // Warm-up of both (JIT, connections, topic metadata) so neither is measured on a cold JVM.
                events = WARMUP_EVENTS;
                latencySeconds = 1;
                run(connect, uri, db, "warm_ours_" + format, Peer.CDP, format, false);
                run(connect, uri, db, "warm_official_" + format, Peer.OFFICIAL, format, eventsLackNamespace);
                events = measured;
                latencySeconds = measuredSeconds;
                // Rounds alternate who goes first, so a load change on the shared machine does not favour one side;
                // the medians (and each round's ratio) are reported.
                List<Result> ours = new ArrayList<>();
                List<Result> official = new ArrayList<>();
                List<String> rounds = new ArrayList<>();
                for (int round = 1; round <= ROUNDS; round++) {
                    boolean oursFirst = round % 2 == 1;
                    Result o = null;
                    Result t = null;
                    for (int leg = 0; leg < 2; leg++) {
                        if ((leg == 0) == oursFirst) {
                            o = run(connect, uri, db, "ours_" + format + "_" + round, Peer.CDP, format, false);
                        } else {
                            t = run(
                                    connect,
                                    uri,
                                    db,
                                    "official_" + format + "_" + round,
                                    Peer.OFFICIAL,
                                    format,
                                    eventsLackNamespace);
                        }
                    }
                    ours.add(o);
                    official.add(t);
                    rounds.add(String.format(
                            "    round %d (%s first): cdp %,.0f vs official %,.0f events/s = %.2f; p99 %.0f vs %.0f ms; "
                                    + "CPU %.1f vs %.1f µs/event",
                            round,
                            oursFirst ? "cdp" : "official",
                            o.eventsPerSecond,
                            t.eventsPerSecond,
                            o.eventsPerSecond / Math.max(1e-9, t.eventsPerSecond),
                            o.p99,
                            t.p99,
                            o.cpuMicros,
                            t.cpuMicros));
                }
                Result oursMedian = Result.median(ours);
                Result officialMedian = Result.median(official);
                report.add("output format " + format + " ("
                        + (format.equals("json")
                                ? "ours output.format=json, official output.format.value=json, both StringConverter"
                                : "ours output.format=schema, official output.format.value=schema + output.schema.infer.value, "
                                        + (format.equals("schema")
                                                ? "both JsonConverter with schemas"
                                                : "both JsonConverter without schemas, the payload a registry "
                                                        + "converter writes"))
                        + "), median of " + ROUNDS + " rounds:");
                report.add("  " + oursMedian.line("cdp-connect MongoCdcSourceConnector"));
                report.add("  " + officialMedian.line("mongo-kafka-connect 2.0.1 MongoSourceConnector"));
                if (officialMedian.eventsPerSecond > 0) {
                    report.add(String.format(
                            "  ratio events/s (cdp/official): %.2f; p99 latency (cdp/official): %.2f; task CPU per event "
                                    + "(cdp/official): %.2f",
                            oursMedian.eventsPerSecond / officialMedian.eventsPerSecond,
                            oursMedian.p99 / Math.max(1.0, officialMedian.p99),
                            oursMedian.cpuMicros / Math.max(1e-9, officialMedian.cpuMicros)));
                }
                report.addAll(rounds);
            }
            if (eventsLackNamespace) {
                report.add(
                        "note: the in-memory server's events carry no 'ns', from which the official connector takes its "
                                + "topic; its pipeline gets an $addFields stage setting ns");
            }
        }
        System.out.println();
        System.out.println("configs (both in the same worker: the same producer settings, no producer.override.*):");
        CONFIGS.forEach(c -> System.out.println("  " + c));
        report.forEach(System.out::println);
        if (sharedUri != null) {
            // Every run's collection (hundreds of thousands of documents) is in this database: leave none behind.
            try (MongoClient client = MongoClients.create(sharedUri)) {
                client.getDatabase(db).drop();
            }
        }
        System.exit(0);
    }

    /** Counts the server's commands and their time, per run (diagnostics only). */
    static final class CountingBackend extends MemoryBackend {
        private static final Map<String, long[]> COUNTS = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public de.bwaldvogel.mongo.bson.Document handleCommand(
                io.netty.channel.Channel channel,
                String database,
                String command,
                de.bwaldvogel.mongo.bson.Document query) {
            long t = System.nanoTime();
            de.bwaldvogel.mongo.bson.Document reply = null;
            try {
                reply = super.handleCommand(channel, database, command, query);
                return reply;
            } finally {
                if (command.equals("getMore") || command.equals("aggregate")) {
                    Object cursor = reply == null ? null : reply.get("cursor");
                    Object batch = cursor instanceof de.bwaldvogel.mongo.bson.Document d
                            ? (d.containsKey("nextBatch") ? d.get("nextBatch") : d.get("firstBatch"))
                            : null;
                    int n = batch instanceof java.util.List<?> l ? l.size() : -1;
                    String k = command + "[" + (n == 0 ? "0" : n < 0 ? "?" : n <= 101 ? "1-101" : ">101") + ",maxT="
                            + query.get("maxTimeMS") + ",bs=" + query.get("batchSize") + "]";
                    long[] c2 = COUNTS.computeIfAbsent(k, x -> new long[2]);
                    synchronized (c2) {
                        c2[0]++;
                        c2[1] += System.nanoTime() - t;
                    }
                }
                long[] c = COUNTS.computeIfAbsent(command, k -> new long[2]);
                synchronized (c) {
                    c[0]++;
                    c[1] += System.nanoTime() - t;
                }
            }
        }

        static String takeCounts() {
            StringBuilder b = new StringBuilder();
            COUNTS.forEach((k, v) -> b.append(k)
                    .append('=')
                    .append(v[0])
                    .append('/')
                    .append(v[1] / 1_000_000)
                    .append("ms "));
            COUNTS.clear();
            return b.toString();
        }
    }

    enum Peer {
        CDP,
        OFFICIAL
    }

    /** Events/s of the drain, latency percentiles, and the task thread's CPU per event during the drain. */
    record Result(double eventsPerSecond, double p50, double p99, int latencySamples, double cpuMicros) {
        /** Each figure's median over the rounds (events/s, p50 and p99 each on its own). */
        static Result median(List<Result> results) {
            return new Result(
                    median(results, Result::eventsPerSecond),
                    median(results, Result::p50),
                    median(results, Result::p99),
                    (int) median(results, r -> r.latencySamples),
                    median(results, Result::cpuMicros));
        }

        private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> f) {
            double[] v = results.stream().mapToDouble(f).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        String line(String name) {
            return String.format(
                    "%-48s %,10.0f events/s   latency p50 %6.1f ms  p99 %6.1f ms  (%d samples)   task CPU %5.1f µs/event",
                    name, eventsPerSecond, p50, p99, latencySamples, cpuMicros);
        }
    }

    private static Result run(
            ConnectTestCluster connect,
            String sharedUri,
            String db,
            String coll,
            Peer peer,
            String format,
            boolean addNamespace)
            throws Exception {
        MongoServer inMemory = null;
        String uri = sharedUri;
        if (uri == null) {
            MemoryBackend backend = new CountingBackend();
            backend.enableOplog();
            inMemory = new MongoServer(backend);
            inMemory.bind("127.0.0.1", 0);
            uri = "mongodb://127.0.0.1:" + inMemory.getLocalAddress().getPort();
        }
        try (MongoClient client = MongoClients.create(uri)) {
            return run(connect, client, uri, db, coll, peer, format, addNamespace);
        } finally {
            if (inMemory != null) {
                inMemory.shutdownNow();
            }
        }
    }

    private static Result run(
            ConnectTestCluster connect,
            MongoClient client,
            String uri,
            String db,
            String coll,
            Peer peer,
            String format,
            boolean addNamespace)
            throws Exception {
        MongoCollection<Document> collection = client.getDatabase(db).getCollection(coll);
        String topic = "bench." + db + "." + coll;
        connect.kafka().createTopic(topic, PARTITIONS, 1, Map.of("message.timestamp.type", "LogAppendTime"));
        Instant start = Instant.now().minusSeconds(2);
        // Backlog: written before the connector starts, read from the change stream from a time before the writes.
        List<Document> batch = new ArrayList<>(500);
        for (int i = 0; i < events; i++) {
            batch.add(order(i));
            if (batch.size() == 500) {
                collection.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            collection.insertMany(batch);
        }
        String name = "bench-" + coll;
        Map<String, String> config = config(peer, format, uri, db, coll, topic, start);
        if (addNamespace) {
            config.put(
                    "pipeline", "[{\"$addFields\": {\"ns\": {\"db\": \"" + db + "\", \"coll\": \"" + coll + "\"}}}]");
        }
        if (coll.startsWith("warm_")) {
            Map<String, String> shown = new LinkedHashMap<>(config);
            shown.replaceAll((k, v) -> k.equals("mongo.uri") || k.equals("connection.uri") ? "<uri>" : v);
            System.out.println("config of " + peer + " (" + format + "): " + shown);
            CONFIGS.add(peer + " " + format + ": " + shown);
        }
        CountingBackend.takeCounts();
        Map<Long, Long> cpuBefore = Diagnostics.threadCpu();
        connect.putConnectorConfig(name, config);
        connect.awaitRunning(name, 1);

        try (KafkaConsumer<String, byte[]> consumer = consumer(connect.bootstrapServers())) {
            List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new org.apache.kafka.common.TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(consumer.assignment());
            long first = -1;
            long last = -1;
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seen < events && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (first < 0) {
                        System.out.printf(
                                "%s: first record key %d B, value %d B, %d headers; key %s%n",
                                coll,
                                r.serializedKeySize(),
                                r.serializedValueSize(),
                                r.headers().toArray().length,
                                r.key() + "\n  value " + new String(r.value()));
                    }
                    // Append times: the earliest and latest over all partitions (they are read in no set order).
                    first = first < 0 ? r.timestamp() : Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                    seen++;
                }
            }
            if (seen < events) {
                System.out.println(peer + ": only " + seen + " of " + events + " backlog events arrived; status "
                        + connect.connectorStatus(name));
                connect.deleteConnector(name);
                return new Result(0, 0, 0, 0, 0);
            }
            double eventsPerSecond = (events - 1) * 1000.0 / Math.max(1, last - first);
            double cpuMicros = Diagnostics.taskCpuNanos(name, cpuBefore) / 1000.0 / events;
            System.out.println(
                    coll + ": " + Diagnostics.of(name, cpuBefore) + "; server " + CountingBackend.takeCounts());

            // Latency: inserts at a steady rate, each stamped with the client's clock just before the write.
            int total = RATE * latencySeconds;
            Map<Integer, Long> insertedAt = new LinkedHashMap<>();
            Thread writer = new Thread(() -> {
                long interval = 1_000_000_000L / RATE;
                long next = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    // Parked, not spinning: a spinning writer would hold one of the machine's two cores for the
                    // whole phase. The schedule is absolute, so a late wake-up is caught up and the rate holds.
                    for (long left = next - System.nanoTime(); left > 0; left = next - System.nanoTime()) {
                        LockSupport.parkNanos(left);
                    }
                    next += interval;
                    int id = events + i;
                    long now = System.currentTimeMillis();
                    synchronized (insertedAt) {
                        insertedAt.put(id, now);
                    }
                    collection.insertOne(order(id));
                }
            });
            writer.start();
            List<Long> latencies = new ArrayList<>(total);
            deadline =
                    System.nanoTime() + Duration.ofSeconds(latencySeconds + 60).toNanos();
            while (latencies.size() < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    int id = orderNumber(new String(r.value()));
                    Long at;
                    synchronized (insertedAt) {
                        at = insertedAt.get(id);
                    }
                    if (at != null) {
                        latencies.add(r.timestamp() - at);
                    }
                }
            }
            writer.join();
            System.out.println(coll + " latency phase: server " + CountingBackend.takeCounts());
            connect.deleteConnector(name);
            latencies.sort(Long::compare);
            if (latencies.isEmpty()) {
                return new Result(eventsPerSecond, 0, 0, 0, cpuMicros);
            }
            return new Result(
                    eventsPerSecond,
                    percentile(latencies, 0.50),
                    percentile(latencies, 0.99),
                    latencies.size(),
                    cpuMicros);
        }
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** The order number from the JSON of either connector's value ("order_id": "o-123"). */
    private static int orderNumber(String json) {
        int i = json.indexOf("o-", json.lastIndexOf("order_id")); // after a schema, the payload's field
        int end = i + 2;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Integer.parseInt(json.substring(i + 2, end));
    }

    private static Document order(int i) {
        return new Document("order_id", "o-" + i)
                .append("customer_id", "c-" + (i % 1000))
                .append("status", "paid")
                .append("currency", "EUR")
                .append("total", new Decimal128(new BigDecimal("129.90")))
                .append(
                        "items",
                        List.of(new Document("sku", "SKU-1")
                                .append("qty", 2)
                                .append("price", new Decimal128(new BigDecimal("39.95")))))
                .append("created_at", new Date())
                .append("updated_at", new Date());
    }

    private static Map<String, String> config(
            Peer peer, String format, String uri, String db, String coll, String topic, Instant start) {
        boolean json = format.equals("json");
        Map<String, String> c = new LinkedHashMap<>();
        c.put("tasks.max", "1");
        if (peer == Peer.CDP) {
            c.put("connector.class", "io.cdpconnect.mongo.MongoCdcSourceConnector");
            c.put("mongo.uri", uri);
            c.put("database", db);
            c.put("collections.include", java.util.regex.Pattern.quote(db + "." + coll));
            c.put("topic.namespace.map", "{\"" + db + "." + coll + "\": \"" + topic + "\"}");
            c.put("startup.mode", "timestamp");
            c.put("startup.timestamp", start.toString());
            c.put("output.format", json ? "json" : "schema");
            c.put("batch.size", "1000");
            c.put("cursor.batch.size", "0");
            c.put("poll.await.ms", "100");
        } else {
            c.put("connector.class", "com.mongodb.kafka.connect.MongoSourceConnector");
            c.put("connection.uri", uri);
            c.put("database", db);
            c.put("collection", coll);
            c.put("topic.namespace.map", "{\"" + db + "." + coll + "\": \"" + topic + "\"}");
            c.put("startup.mode", "timestamp");
            c.put("startup.mode.timestamp.start.at.operation.time", Long.toString(start.getEpochSecond()));
            c.put("output.format.key", "json");
            c.put("output.format.value", json ? "json" : "schema");
            if (!json) {
                c.put("output.schema.infer.value", "true");
            }
            c.put("poll.max.batch.size", "1000");
            c.put("batch.size", "0");
            c.put("poll.await.time.ms", "100");
        }
        if (json) {
            c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        } else {
            c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            // schema-payload: no schema in the record, as with a registry converter (see FORMATS).
            c.put("value.converter.schemas.enable", Boolean.toString(!format.equals("schema-payload")));
            c.put("value.converter.decimal.format", "NUMERIC");
        }
        return c;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p);
    }
}
