package io.cdpconnect.aerospike.bench;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.Host;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.policy.ClientPolicy;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.AerospikeSinkTask;
import io.cdpconnect.aerospike.TestSinkContext;
import io.cdpconnect.aerospike.read.SegmentLayout;
import io.cdpconnect.aerospike.read.SegmentMembership;
import org.apache.kafka.connect.sink.SinkRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Throughput of the sink task (segment updates and counter updates, records/s through put()) and latency of the
 * read helper's membership check (p50, p99) against the server of AEROSPIKE_HOSTS. Not a test: run it with
 * <pre>
 * AEROSPIKE_HOSTS=127.0.0.1:3000 ./mvnw -B -o -q -pl connect-aerospike-sink test-compile exec:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=io.cdpconnect.aerospike.bench.AerospikeSinkBenchmark \
 *   [-Dbench.records=200000 -Dbench.users=50000 -Dbench.batch=500 -Dbench.reads=100000]
 * </pre>
 * Namespace from AEROSPIKE_NAMESPACE (default test); it writes to sets bench_segments and bench_counters and
 * truncates them first.
 */
public final class AerospikeSinkBenchmark {

    private AerospikeSinkBenchmark() {
    }

    public static void main(String[] args) {
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
        int reads = Integer.getInteger("bench.reads", 100_000);
        System.out.printf("Aerospike sink benchmark: %s ns=%s records=%d users=%d batch=%d reads=%d%n",
                hosts, namespace, records, users, batch, reads);

        ClientPolicy policy = new ClientPolicy();
        try (IAerospikeClient client = new AerospikeClient(policy, Host.parseHosts(hosts, 3000))) {
            client.truncate(null, namespace, "bench_segments", null);
            client.truncate(null, namespace, "bench_counters", null);

            Map<String, String> segments = base(hosts, namespace, "bench_segments", "segments", "user_id", batch);
            double segmentRate = run(segments, segmentRecords(records, users), batch);
            System.out.printf("segments : %,.0f records/s through AerospikeSinkTask.put%n", segmentRate);

            Map<String, String> counters = base(hosts, namespace, "bench_counters", "counters", "customer_id", batch);
            counters.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "order_count=1,revenue=total:double");
            double counterRate = run(counters, counterRecords(records, users), batch);
            System.out.printf("counters : %,.0f records/s through AerospikeSinkTask.put%n", counterRate);

            SegmentMembership membership = new SegmentMembership(client, namespace, "bench_segments", SegmentLayout.defaults());
            Random random = new Random(7);
            for (int i = 0; i < Math.min(reads, 10_000); i++) { // warm-up
                membership.isMember("u-" + random.nextInt(users), "seg-" + random.nextInt(20));
            }
            long[] nanos = new long[reads];
            int members = 0;
            for (int i = 0; i < reads; i++) {
                long start = System.nanoTime();
                boolean member = membership.isMember("u-" + random.nextInt(users), "seg-" + random.nextInt(20));
                nanos[i] = System.nanoTime() - start;
                members += member ? 1 : 0;
            }
            Arrays.sort(nanos);
            System.out.printf("isMember : p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms over %d checks (%d members)%n",
                    nanos[reads / 2] / 1e6, nanos[(int) (reads * 0.99)] / 1e6, nanos[(int) (reads * 0.999)] / 1e6,
                    reads, members);
        }
    }

    private static Map<String, String> base(String hosts, String namespace, String set, String mode, String keyField, int batch) {
        Map<String, String> props = new HashMap<>();
        props.put(AerospikeSinkConfig.HOSTS, hosts);
        props.put(AerospikeSinkConfig.NAMESPACE, namespace);
        props.put(AerospikeSinkConfig.SET, set);
        props.put(AerospikeSinkConfig.WRITE_MODE, mode);
        props.put(AerospikeSinkConfig.KEY_FIELD, keyField);
        props.put(AerospikeSinkConfig.BATCH_SIZE, Integer.toString(batch));
        return props;
    }

    private static List<SinkRecord> segmentRecords(int count, int users) {
        Random random = new Random(1);
        long base = Instant.now().minusSeconds(3600).toEpochMilli();
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
            String value = "{\"customer_id\":\"c-" + random.nextInt(customers) + "\",\"total\":" + (random.nextInt(20_000) / 100.0) + "}";
            out.add(new SinkRecord("orders", 0, null, null, null, value, i));
        }
        return out;
    }

    /** Records per second through put(), in Connect-sized batches. */
    private static double run(Map<String, String> props, List<SinkRecord> records, int batch) {
        AerospikeSinkTask task = new AerospikeSinkTask();
        task.initialize(new TestSinkContext());
        task.start(props);
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
