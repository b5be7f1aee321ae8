/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.read.example;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.Host;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.policy.ClientPolicy;
import io.cdpconnect.aerospike.read.SegmentLayout;
import io.cdpconnect.aerospike.read.SegmentMembership;

/**
 * A runnable example of the read side, as a service would use it (README, "Example"):
 * <pre>
 * AEROSPIKE_HOSTS=127.0.0.1:3000 ./mvnw -B -q -pl connect-aerospike-segments test-compile exec:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=io.cdpconnect.aerospike.read.example.MembershipCheck \
 *   -Dexec.args="test users u-1 high-value"
 * </pre>
 * Arguments: namespace, set, user id, segment id. Prints whether the user is in the segment, the user's segments
 * and the users in the segment (the last needs the MAPKEYS index the sink creates).
 */
public final class MembershipCheck {

    private MembershipCheck() {}

    public static void main(String[] args) {
        String hosts = System.getenv("AEROSPIKE_HOSTS");
        if (hosts == null || hosts.isBlank() || args.length != 4) {
            System.err.println("usage: AEROSPIKE_HOSTS=host:3000 MembershipCheck <namespace> <set> <user> <segment>");
            System.exit(2);
        }
        String namespace = args[0];
        String set = args[1];
        String user = args[2];
        String segment = args[3];
        ClientPolicy policy = new ClientPolicy();
        policy.timeout = 2_000;
        // One client per process: it is thread-safe and pools connections; the helper only borrows it.
        try (IAerospikeClient client = new AerospikeClient(policy, Host.parseHosts(hosts, 3000))) {
            SegmentMembership segments = new SegmentMembership(client, namespace, set, SegmentLayout.defaults());
            System.out.printf("%s in %s: %s%n", user, segment, segments.isMember(user, segment));
            System.out.printf("segments of %s: %s%n", user, segments.segmentsOf(user));
            System.out.printf("users in %s: %s%n", segment, segments.usersIn(segment));
        }
    }
}
