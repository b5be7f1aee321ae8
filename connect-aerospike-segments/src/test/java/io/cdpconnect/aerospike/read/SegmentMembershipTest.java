/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.Key;
import com.aerospike.client.Record;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.QueryPolicy;
import com.aerospike.client.policy.WritePolicy;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reader's expiry rule and missing records, with a client proxy answering reads like the server for the
 * layout the sink writes ({segment: expiry epoch seconds, 0 = never}).
 */
class SegmentMembershipTest {

    private static final long NOW = 1_800_000_000L;
    private final Map<Key, Map<String, Object>> records = new HashMap<>();

    private SegmentMembership membership() {
        IAerospikeClient client = (IAerospikeClient) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {IAerospikeClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getWritePolicyDefault" -> new WritePolicy();
                    case "getQueryPolicyDefault" -> new QueryPolicy();
                    case "operate" -> { // MapOperation.getByKey(segments, S, VALUE): the value or no bin
                        Map<String, Object> bins = records.get((Key) args[1]);
                        if (bins == null) {
                            throw new AerospikeException(ResultCode.KEY_NOT_FOUND_ERROR);
                        }
                        Map<?, ?> segments = (Map<?, ?>) bins.get("segments");
                        String segment = lastSegment; // the segment asked for (packed inside the map operation)
                        Map<String, Object> out = new HashMap<>();
                        if (segments != null && segments.get(segment) != null) {
                            out.put("segments", segments.get(segment));
                        }
                        yield new Record(out, 1, 0);
                    }
                    case "get" -> {
                        Map<String, Object> bins = records.get((Key) args[1]);
                        yield bins == null ? null : new Record(bins, 1, 0);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new SegmentMembership(
                client,
                "test",
                "users",
                SegmentLayout.defaults(),
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    private String lastSegment;

    private boolean isMember(SegmentMembership m, String user, String segment) {
        lastSegment = segment;
        return m.isMember(user, segment);
    }

    @Test
    void expiredMembershipsAreIgnoredBeforeTheSinkPrunesThem() {
        records.put(
                new Key("test", "users", "u-1"),
                Map.of("segments", Map.of("forever", 0L, "later", NOW + 1, "expired", NOW, "long-ago", 1L)));
        SegmentMembership m = membership();
        assertThat(isMember(m, "u-1", "forever")).isTrue();
        assertThat(isMember(m, "u-1", "later")).isTrue();
        assertThat(isMember(m, "u-1", "expired")).isFalse();
        assertThat(isMember(m, "u-1", "long-ago")).isFalse();
        assertThat(isMember(m, "u-1", "never-added")).isFalse();
        assertThat(isMember(m, "u-2", "forever")).as("no record").isFalse();
        assertThat(m.segmentsOf("u-1")).containsExactly("forever", "later");
        assertThat(m.segmentsOf("u-2")).isEmpty();
    }
}
