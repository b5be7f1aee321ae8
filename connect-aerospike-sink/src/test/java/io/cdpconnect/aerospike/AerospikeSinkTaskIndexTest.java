/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.BatchRecord;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;
import io.cdpconnect.testing.RecordingSinkTaskContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Secondary-index creation never blocks put(): a long index build must not hold the task past the consumer's
 * poll interval. The client is a proxy whose createIndex blocks until the test releases it.
 */
class AerospikeSinkTaskIndexTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> indexCalls = new CopyOnWriteArrayList<>();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile int indexAnswer = ResultCode.INDEX_ALREADY_EXISTS;
    private AerospikeSinkTask task;

    private IAerospikeClient client() {
        return TestClients.answering((method, args) -> switch (method) {
            case "operate" -> {
                @SuppressWarnings("unchecked")
                List<BatchRecord> records = (List<BatchRecord>) args[1];
                records.forEach(r -> r.resultCode = ResultCode.OK);
                writes.addAndGet(records.size());
                yield true;
            }
            case "createIndex" -> {
                indexCalls.add(args[1] + "." + args[2]);
                release.await(60, TimeUnit.SECONDS); // a build that takes "forever"
                throw new AerospikeException(indexAnswer, "index answer");
            }
            default -> throw TestClients.unexpected(method);
        });
    }

    private void start(Map<String, String> props) {
        task = new AerospikeSinkTask(Clock.systemUTC(), config -> client());
        task.initialize(new RecordingSinkTaskContext(false));
        task.start(props);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (task != null) {
            task.stop();
        }
    }

    private static SinkRecord update(long offset) {
        return new SinkRecord(
                "segments.updates",
                0,
                null,
                null,
                null,
                "{\"user_id\":\"u-1\",\"segment_id\":\"s\",\"op\":\"add\",\"ts\":" + (System.currentTimeMillis() - 1000)
                        + "}",
                offset);
    }

    @Test
    void putDoesNotWaitForTheIndexBuild() {
        start(TestConfigs.segments());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> task.put(List.of(update(0))));
        assertThat(writes.get()).isEqualTo(1);
        ConnectTestWait.until(Duration.ofSeconds(10), () -> indexCalls.contains("test.users"));
        release.countDown();
    }

    @Test
    void aSystemicIndexFailureFailsTheTaskWithTheCause() {
        indexAnswer = ResultCode.ROLE_VIOLATION;
        start(TestConfigs.segments());
        release.countDown();
        assertThatThrownBy(() -> ConnectTestWait.until(Duration.ofSeconds(20), () -> {
                    task.put(List.of(update(1)));
                    return false;
                }))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("secondary index")
                .hasMessageContaining("81")
                .hasMessageContaining(AerospikeSinkConfig.SEGMENTS_INDEX_CREATE);
    }
}
