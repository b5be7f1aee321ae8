/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.ResultCode;
import com.aerospike.client.task.Task;
import io.cdpconnect.aerospike.ConnectTestWait;
import io.cdpconnect.aerospike.read.SegmentLayout;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The background index builds: bounded waits, retries of transient failures, systemic failures kept, MDC. */
class IndexManagerTest {

    private final AtomicLong now = new AtomicLong();
    private final List<String> created = new CopyOnWriteArrayList<>();

    @Test
    void aBuildThatNeverCompletesIsAwaitedOnlyUpToTheBoundAndInTheTasksMdc() {
        AtomicInteger polls = new AtomicInteger();
        List<String> mdcSeen = new CopyOnWriteArrayList<>();
        MDC.put("connector.context", "[segments|task-0] ");
        IndexManager indexes;
        try {
            indexes = new IndexManager(
                    (ns, set, name, bin) -> {
                        created.add(ns + "." + set + "." + name + "." + bin);
                        mdcSeen.add(String.valueOf(MDC.get("connector.context")));
                        return () -> {
                            now.addAndGet(1_000); // each poll: a second of the fake clock
                            polls.incrementAndGet();
                            return Task.IN_PROGRESS;
                        };
                    },
                    SegmentLayout.defaults(),
                    "",
                    30_000,
                    now::get);
        } finally {
            MDC.remove("connector.context");
        }
        try {
            indexes.ensure(Set.of(new SetRef("test", "users")));
            indexes.ensure(Set.of(new SetRef("test", "users"))); // once per set
            ConnectTestWait.until(Duration.ofSeconds(60), () -> polls.get() >= 30);
            int settled = polls.get();
            ConnectTestWait.until(Duration.ofSeconds(5), () -> true);
            assertThat(created).containsExactly("test.users.cdp_users_segments_keys.segments");
            assertThat(mdcSeen).containsExactly("[segments|task-0] ");
            assertThat(settled).isLessThanOrEqualTo(31);
            indexes.throwIfFailed(); // not an error: the server goes on building
        } finally {
            indexes.close();
        }
    }

    @Test
    void transientFailuresAreRetriedAndAnExistingIndexIsSuccess() {
        AtomicInteger attempts = new AtomicInteger();
        IndexManager indexes = new IndexManager(
                (ns, set, name, bin) -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new AerospikeException(ResultCode.TIMEOUT, "busy");
                    }
                    throw new AerospikeException(ResultCode.INDEX_ALREADY_EXISTS, "exists");
                },
                SegmentLayout.defaults(),
                "",
                30_000,
                now::get);
        try {
            indexes.ensure(Set.of(new SetRef("test", "")));
            ConnectTestWait.until(Duration.ofSeconds(30), () -> attempts.get() == 2);
            indexes.throwIfFailed();
        } finally {
            indexes.close();
        }
    }

    @Test
    void aSystemicFailureIsKeptForTheNextPut() {
        IndexManager indexes = new IndexManager(
                (ns, set, name, bin) -> {
                    throw new AerospikeException(ResultCode.ROLE_VIOLATION, "Role violation");
                },
                SegmentLayout.defaults(),
                "",
                30_000,
                now::get);
        try {
            indexes.ensure(Set.of(new SetRef("test", "users")));
            ConnectTestWait.until(Duration.ofSeconds(10), () -> {
                try {
                    indexes.throwIfFailed();
                    return false;
                } catch (ConnectException e) {
                    return true;
                }
            });
            assertThatThrownBy(indexes::throwIfFailed)
                    .hasMessageContaining("81")
                    .hasMessageContaining("role")
                    .hasMessageContaining("segments.index.create=false");
        } finally {
            indexes.close();
        }
    }
}
