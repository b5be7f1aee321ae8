/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.bench;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.BatchWrite;
import com.aerospike.client.Bin;
import com.aerospike.client.Host;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.policy.BatchPolicy;
import com.aerospike.client.policy.ClientPolicy;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.AerospikeSinkTask;
import io.cdpconnect.aerospike.read.SegmentLayout;
import io.cdpconnect.aerospike.read.SegmentMembership;
import io.cdpconnect.aerospike.write.BatchExecutor;
import io.cdpconnect.aerospike.write.PlannedWrite;
import io.cdpconnect.aerospike.write.WritePlan;
import io.cdpconnect.testing.RecordingSinkTaskContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Throughput of the sink task (segment updates and counter updates, records/s through put()), the ceiling of plain
 * batch puts with the same batch size and requests in flight, the ratios to it, and the latency of the read helper's
 * membership check (p50, p99, p99.9) idle and under a concurrent segment write load, all from one run against the
 * server of AEROSPIKE_HOSTS. Not a test: run it with
 * <pre>
 * AEROSPIKE_HOSTS=127.0.0.1:3000 ./mvnw -B -o -q -pl connect-aerospike-sink test-compile exec:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=io.cdpconnect.aerospike.bench.AerospikeSinkBenchmark \
 *   [-Dbench.records=200000 -Dbench.users=50000 -Dbench.batch=500 -Dbench.inflight=4 -Dbench.reads=100000]
 * </pre>
 * Namespace from AEROSPIKE_NAMESPACE (default test); it writes to sets bench_segments and bench_counters and
 * truncates them (and bench_plain) first.
 */
public final class AerospikeSinkBenchmark {

    private AerospikeSinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        String hosts = System.getenv("AEROSPIKE_HOSTS");
        if (hosts == null || hosts.isBlank()) {
            System.err.println("AerospikeSinkBenchmark needs a server: set AEROSPIKE_HOSTS=host:port (e.g. "
                    + "127.0.0.1:3000) and optionally AEROSPIKE_NAMESPACE (default test). Nothing was measured.");
            System.exit(2);
        }
        String namespace = System.getenv().getOrDefault("AEROSPIKE_NAMESPACE", "test");
        int records = Integer.getInteger("bench.records", 200_000);
        int users = Integer.getInteger("bench.users", 50_000);
        int batch = Integer.getInteger("bench.batch", 500);
        int inFlight = Integer.getInteger("bench.inflight", 4);
        int reads = Integer.getInteger("bench.reads", 100_000);
        System.out.printf(
                "Aerospike sink benchmark: %s ns=%s records=%d users=%d batch=%d in-flight=%d reads=%d%n",
                hosts, namespace, records, users, batch, inFlight, reads);

        ClientPolicy policy = new ClientPolicy();
        try (IAerospikeClient client = new AerospikeClient(policy, Host.parseHosts(hosts, 3000))) {
            for (String set : List.of("bench_plain", "bench_segments", "bench_counters")) {
                client.truncate(null, namespace, set, null);
            }

            double ceiling = plainBatchPuts(client, namespace, records, batch, inFlight);
            System.out.printf(
                    "plain    : %,.0f puts/s (batch of plain puts, 2 bins, same batch size and in-flight: the "
                            + "ceiling for this client and machine)%n",
                    ceiling);

            Map<String, String> segments =
                    base(hosts, namespace, "bench_segments", "segments", "user_id", batch, inFlight);
            List<SinkRecord> segmentRecords = segmentRecords(records, users, 0);
            double segmentRate = run(segments, segmentRecords, batch);
            System.out.printf(
                    "segments : %,.0f updates/s through AerospikeSinkTask.put = %.2f x plain (goal >= 150,000/s)%n",
                    segmentRate, segmentRate / ceiling);

            Map<String, String> counters =
                    base(hosts, namespace, "bench_counters", "counters", "customer_id", batch, inFlight);
            counters.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "order_count=1,revenue_cents=total:cents");
            double counterRate = run(counters, counterRecords(records, users), batch);
            System.out.printf(
                    "counters : %,.0f updates/s through AerospikeSinkTask.put = %.2f x plain (goal >= 250,000/s)%n",
                    counterRate, counterRate / ceiling);

            SegmentMembership membership =
                    new SegmentMembership(client, namespace, "bench_segments", SegmentLayout.defaults());
            Random random = new Random(7);
            for (int i = 0; i < Math.min(reads, 10_000); i++) { // warm-up
                membership.isMember("u-" + random.nextInt(users), "seg-" + random.nextInt(20));
            }
            report("isMember idle", readLatencies(membership, reads, users, random));

            // the same reads while a task keeps writing segment updates (later timestamps, so they all apply)
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
            Thread writer = new Thread(
                    () -> {
                        AerospikeSinkTask task = startTask(segments);
                        try {
                            long round = 1;
                            while (!stop.get()) {
                                List<SinkRecord> more =
                                        segmentRecords(Math.min(records, 50_000), users, round++ * records);
                                for (int from = 0; from < more.size() && !stop.get(); from += batch) {
                                    task.put(more.subList(from, Math.min(more.size(), from + batch)));
                                    written.addAndGet(Math.min(batch, more.size() - from));
                                }
                            }
                        } finally {
                            task.stop();
                        }
                    },
                    "bench-writer");
            writer.start();
            long loadStart = System.nanoTime();
            long[] underLoad = readLatencies(membership, reads, users, random);
            double loadRate = written.get() / ((System.nanoTime() - loadStart) / 1e9);
            stop.set(true);
            writer.join();
            report(String.format("isMember under %,.0f segment updates/s", loadRate), underLoad);
            System.out.println("(goal: isMember p99 < 0.2 ms under the write load; one run, one machine)");
        }
    }

    private static long[] readLatencies(SegmentMembership membership, int reads, int users, Random random) {
        long[] nanos = new long[reads];
        for (int i = 0; i < reads; i++) {
            long start = System.nanoTime();
            membership.isMember("u-" + random.nextInt(users), "seg-" + random.nextInt(20));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void report(String what, long[] nanos) {
        int n = nanos.length;
        System.out.printf(
                "%s: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms over %d checks%n",
                what, nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6, nanos[(int) (n * 0.999)] / 1e6, n);
    }

    /** The ceiling: the same executor (batch size, requests in flight) writing plain 2-bin puts to distinct keys. */
    private static double plainBatchPuts(
            IAerospikeClient client, String namespace, int records, int batch, int inFlight) {
        BatchPolicy policy = BatchPolicy.WriteDefault();
        policy.maxConcurrentThreads = 0;
        try (BatchExecutor executor = new BatchExecutor(client, policy, batch, inFlight)) {
            long start = System.nanoTime();
            for (int from = 0; from < records; from += batch) {
                WritePlan plan = new WritePlan();
                for (int i = from; i < Math.min(records, from + batch); i++) {
                    Key key = new Key(namespace, "bench_plain", "p-" + i);
                    BatchWrite write = new BatchWrite(key, new Operation[] {
                        Operation.put(new Bin("a", (long) i)), Operation.put(new Bin("b", "value-" + i))
                    });
                    plan.add(key, new PlannedWrite(write, List.of(), 0));
                }
                executor.execute(plan);
            }
            return records / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static Map<String, String> base(
            String hosts, String namespace, String set, String mode, String keyField, int batch, int inFlight) {
        Map<String, String> props = new HashMap<>();
        props.put(AerospikeSinkConfig.HOSTS, hosts);
        props.put(AerospikeSinkConfig.NAMESPACE, namespace);
        props.put(AerospikeSinkConfig.SET, set);
        props.put(AerospikeSinkConfig.WRITE_MODE, mode);
        props.put(AerospikeSinkConfig.KEY_FIELD, keyField);
        props.put(AerospikeSinkConfig.BATCH_SIZE, Integer.toString(batch));
        props.put(AerospikeSinkConfig.BATCH_MAX_IN_FLIGHT, Integer.toString(inFlight));
        return props;
    }

    private static List<SinkRecord> segmentRecords(int count, int users, long tsOffset) {
        Random random = new Random(1 + tsOffset);
        long base = Instant.now().minusSeconds(3600).toEpochMilli() + tsOffset;
        List<SinkRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String value = "{\"user_id\":\"u-" + random.nextInt(users) + "\",\"segment_id\":\"seg-" + random.nextInt(20)
                    + "\",\"op\":\"" + (random.nextInt(4) == 0 ? "remove" : "add") + "\",\"ts\":" + (base + i)
                    + ",\"ttl_seconds\":2592000}";
            out.add(new SinkRecord("segments.updates", 0, null, null, null, value, i));
        }
        return out;
    }

    private static List<SinkRecord> counterRecords(int count, int customers) {
        Random random = new Random(2);
        List<SinkRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String value = "{\"customer_id\":\"c-" + random.nextInt(customers) + "\",\"total\":"
                    + (random.nextInt(20_000) / 100.0) + "}";
            out.add(new SinkRecord("orders", 0, null, null, null, value, i));
        }
        return out;
    }

    private static AerospikeSinkTask startTask(Map<String, String> props) {
        AerospikeSinkTask task = new AerospikeSinkTask();
        task.initialize(new RecordingSinkTaskContext(false));
        task.start(props);
        return task;
    }

    /** Records per second through put(), in Connect-sized batches. */
    private static double run(Map<String, String> props, List<SinkRecord> records, int batch) {
        AerospikeSinkTask task = startTask(props);
        try {
            task.put(records.subList(0, Math.min(batch, records.size()))); // connect, create the index
            long start = System.nanoTime();
            for (int from = 0; from < records.size(); from += batch) {
                task.put(records.subList(from, Math.min(records.size(), from + batch)));
            }
            return records.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            task.stop();
        }
    }
}
