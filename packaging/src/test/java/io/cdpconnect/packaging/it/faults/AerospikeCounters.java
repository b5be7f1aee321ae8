/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it.faults;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.Host;
import com.aerospike.client.Key;
import com.aerospike.client.Record;
import com.aerospike.client.policy.ClientPolicy;
import io.cdpconnect.testing.TcpProxy;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Aerospike server of {@code AEROSPIKE_HOSTS} (namespace {@code AEROSPIKE_NAMESPACE}, default {@code test})
 * behind a {@link TcpProxy} the test can cut, and the orders pipeline's per-customer counters read back from it
 * (a set of its own per run, so earlier runs never count).
 */
final class AerospikeCounters implements AutoCloseable {

    final String namespace = System.getenv().getOrDefault("AEROSPIKE_NAMESPACE", "test");
    final String set = "customer_stats_" + Long.toString(System.currentTimeMillis(), 36);
    final TcpProxy proxy;
    private final AerospikeClient client;

    static boolean configured() {
        String hosts = System.getenv("AEROSPIKE_HOSTS");
        return hosts != null && !hosts.isBlank();
    }

    AerospikeCounters() throws IOException {
        Host first = Host.parseHosts(System.getenv("AEROSPIKE_HOSTS").trim(), 3000)[0];
        proxy = new TcpProxy(first.name, first.port);
        ClientPolicy policy = new ClientPolicy();
        policy.timeout = 5000;
        client = new AerospikeClient(policy, first); // reads go straight to the server, never through the cut
    }

    /** Whether every customer's {@code order_count} and {@code revenue_cents} equal the expected sums. */
    boolean matches(Map<String, OrdersFaultsIT.Totals> expected) {
        return differences(expected).isEmpty();
    }

    /** Customer to "expected vs. stored", for every customer whose counters differ. */
    Map<String, String> differences(Map<String, OrdersFaultsIT.Totals> expected) {
        Map<String, String> out = new TreeMap<>();
        expected.forEach((customer, totals) -> {
            Record r = client.get(null, new Key(namespace, set, customer));
            long cents = totals.revenue().movePointRight(2).longValueExact();
            long count = r == null ? 0 : r.getLong("order_count");
            long stored = r == null ? 0 : r.getLong("revenue_cents");
            if (count != totals.orders() || stored != cents) {
                out.put(
                        customer,
                        "expected " + totals.orders() + " orders / " + cents + " cents, stored " + count + " / "
                                + stored);
            }
        });
        return out;
    }

    @Override
    public void close() throws IOException {
        client.close();
        proxy.close();
    }
}
