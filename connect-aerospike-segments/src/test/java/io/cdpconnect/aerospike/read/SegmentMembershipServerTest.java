/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.AerospikeException;
import com.aerospike.client.Bin;
import com.aerospike.client.Host;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.Key;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.ClientPolicy;
import com.aerospike.client.policy.WritePolicy;
import com.aerospike.client.query.IndexCollectionType;
import com.aerospike.client.query.IndexType;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The read helper on its own against a real server (AEROSPIKE_HOSTS, namespace AEROSPIKE_NAMESPACE or test;
 * skipped without): records in the sink's layout written with plain puts, the MAPKEYS index created like the sink
 * does. The sink module's SegmentMembershipServerTest reads what the sink task itself writes.
 */
@EnabledIfEnvironmentVariable(named = "AEROSPIKE_HOSTS", matches = ".+")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentMembershipServerTest {

    private final String set = "rs_" + UUID.randomUUID().toString().substring(0, 6);
    private final String namespace = System.getenv().getOrDefault("AEROSPIKE_NAMESPACE", "test");
    private IAerospikeClient client;

    @BeforeAll
    void writeTheLayout() {
        ClientPolicy policy = new ClientPolicy();
        policy.timeout = 5_000;
        client = new AerospikeClient(policy, Host.parseHosts(System.getenv("AEROSPIKE_HOSTS"), 3000));
        client.createIndex(
                        null,
                        namespace,
                        set,
                        SegmentLayout.defaults().defaultIndexName(set),
                        "segments",
                        IndexType.STRING,
                        IndexCollectionType.MAPKEYS)
                .waitTillComplete(200, 60_000);
        long now = Instant.now().getEpochSecond();
        WritePolicy write = new WritePolicy();
        write.sendKey = true;
        client.put(
                write,
                new Key(namespace, set, "u-1"),
                new Bin("segments", Map.of("vip", 0L, "trial", now + 3600)),
                new Bin("segments_ts", Map.of("vip", 1L, "trial", 1L)));
        client.put(
                write,
                new Key(namespace, set, "u-2"),
                new Bin("segments", Map.of("vip", now - 10)),
                new Bin("segments_ts", Map.of("vip", 1L)));
        client.put(
                write,
                new Key(namespace, set, "u-3"),
                new Bin("segments", Map.of("trial", 0L)),
                new Bin("segments_ts", Map.of("trial", 1L, "vip", 2L)));
    }

    @AfterAll
    void cleanUp() {
        if (client != null) {
            try {
                client.truncate(null, namespace, set, null);
                client.dropIndex(null, namespace, set, SegmentLayout.defaults().defaultIndexName(set));
            } catch (AerospikeException ignored) {
                // best effort on a shared server
            }
            client.close();
        }
    }

    @Test
    void membershipExpiryAndUsersInASegment() {
        SegmentMembership segments = new SegmentMembership(client, namespace, set, SegmentLayout.defaults());
        assertThat(segments.isMember("u-1", "vip")).isTrue();
        assertThat(segments.isMember("u-1", "trial")).isTrue();
        assertThat(segments.isMember("u-2", "vip")).as("expired").isFalse();
        assertThat(segments.isMember("u-3", "vip"))
                .as("removed: only a timestamp left")
                .isFalse();
        assertThat(segments.isMember("nobody", "vip")).isFalse();
        assertThat(segments.segmentsOf("u-1")).containsExactly("trial", "vip");
        assertThat(segments.segmentsOf("u-2")).isEmpty();
        assertThat(segments.usersIn("vip")).containsExactly("u-1");
        assertThat(segments.usersIn("trial")).containsExactlyInAnyOrder("u-1", "u-3");
    }

    @Test
    void aMissingIndexIsReportedNotAnEmptyAnswer() {
        SegmentMembership other = new SegmentMembership(client, namespace, set + "x", SegmentLayout.defaults());
        try {
            other.usersIn("vip");
            throw new AssertionError("a query without its index must fail");
        } catch (AerospikeException e) {
            assertThat(e.getResultCode()).isIn(ResultCode.INDEX_NOTFOUND, ResultCode.INDEX_NOTREADABLE);
        }
    }
}
