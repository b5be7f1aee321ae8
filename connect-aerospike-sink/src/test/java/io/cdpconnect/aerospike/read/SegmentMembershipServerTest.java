/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.IAerospikeClient;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.AerospikeSinkTask;
import io.cdpconnect.aerospike.TestConfigs;
import io.cdpconnect.aerospike.it.AerospikeServer;
import io.cdpconnect.aerospike.it.RequiresAerospike;
import io.cdpconnect.testing.RecordingSinkTaskContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The read helper against the layout the sink task writes, on a real server (AEROSPIKE_HOSTS or Testcontainers;
 * skipped without either). Runs the task directly, without a Connect worker, so it can use the module's classes.
 */
@RequiresAerospike
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentMembershipServerTest {

    private final String set = "rd_" + UUID.randomUUID().toString().substring(0, 6);
    private AerospikeServer server;
    private AerospikeSinkTask task;
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);

    @BeforeAll
    void writeThroughTheTask() {
        server = AerospikeServer.get();
        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.HOSTS, server.hosts());
        props.put(AerospikeSinkConfig.NAMESPACE, server.namespace());
        props.put(AerospikeSinkConfig.SET, set);
        task = new AerospikeSinkTask();
        task.initialize(new RecordingSinkTaskContext(false));
        task.start(props);
        task.put(List.of(
                update(0, "u-1", "high-value", "add", t0, null),
                update(1, "u-2", "high-value", "add", t0, null),
                update(2, "u-2", "weekend", "add", t0, 3600L),
                update(3, "u-3", "high-value", "add", t0, null),
                update(4, "u-3", "high-value", "remove", t0.plusSeconds(1), null),
                update(5, "u-3", "high-value", "add", t0.minusSeconds(1), null)));
        // The task builds the MAPKEYS index in the background: wait until queries are answered.
        io.cdpconnect.aerospike.ConnectTestWait.until(java.time.Duration.ofSeconds(60), () -> {
            try {
                reader(Clock.systemUTC()).usersIn("high-value");
                return true;
            } catch (AerospikeException e) {
                if (e.getResultCode() == com.aerospike.client.ResultCode.INDEX_NOTFOUND
                        || e.getResultCode() == com.aerospike.client.ResultCode.INDEX_NOTREADABLE) {
                    return false;
                }
                throw e;
            }
        });
    }

    @AfterAll
    void cleanUp() {
        if (task != null) {
            task.stop();
        }
        try {
            server.client().truncate(null, server.namespace(), set, null);
            server.client()
                    .dropIndex(
                            null,
                            server.namespace(),
                            set,
                            SegmentLayout.defaults().defaultIndexName(set));
        } catch (AerospikeException ignored) {
            // best effort on a shared server
        }
    }

    private static SinkRecord update(long offset, String user, String segment, String op, Instant ts, Long ttl) {
        return new SinkRecord(
                "segments.updates",
                0,
                null,
                user,
                null,
                "{\"user_id\":\"" + user + "\",\"segment_id\":\"" + segment + "\",\"op\":\"" + op + "\",\"ts\":\"" + ts
                        + "\"" + (ttl == null ? "" : ",\"ttl_seconds\":" + ttl) + "}",
                offset);
    }

    private SegmentMembership reader(Clock clock) {
        IAerospikeClient client = server.client();
        return new SegmentMembership(client, server.namespace(), set, SegmentLayout.defaults(), clock);
    }

    @Test
    void answersMembershipQuestionsOnTheWrittenLayout() {
        SegmentMembership now = reader(Clock.systemUTC());
        assertThat(now.isMember("u-1", "high-value")).isTrue();
        assertThat(now.isMember("u-3", "high-value")).isFalse();
        assertThat(now.isMember("u-1", "weekend")).isFalse();
        assertThat(now.isMember("nobody", "high-value")).isFalse();
        assertThat(now.segmentsOf("u-2")).containsExactly("high-value", "weekend");
        assertThat(now.usersIn("high-value")).containsExactlyInAnyOrder("u-1", "u-2");
        assertThat(now.usersIn("weekend")).containsExactly("u-2");
        assertThat(now.usersIn("no-such-segment")).isEmpty();
    }

    @Test
    void expiredMembershipsAreIgnoredBeforeTheyArePruned() {
        SegmentMembership later = reader(Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC));
        assertThat(later.isMember("u-2", "weekend")).isFalse();
        assertThat(later.segmentsOf("u-2")).containsExactly("high-value");
        assertThat(later.usersIn("weekend")).isEmpty();
        SegmentMembership justBefore = reader(Clock.fixed(t0.plusSeconds(3599), ZoneOffset.UTC));
        assertThat(justBefore.isMember("u-2", "weekend")).isTrue();
    }
}
