/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aerospike.client.BatchRecord;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;
import io.cdpconnect.testing.RecordingSinkTaskContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * The task's error routing with a client that answers batch operate like a server (per-record result codes):
 * record errors reach the errant record reporter exactly once, even when the batch is first retried.
 */
class AerospikeSinkTaskReportingTest {

    private final List<SinkRecord> reported = new ArrayList<>();
    private final List<String> reasons = new ArrayList<>();
    private Consumer<List<BatchRecord>> server = r -> r.forEach(b -> b.resultCode = ResultCode.OK);

    private IAerospikeClient client() {
        return TestClients.answering((method, args) -> switch (method) {
            case "operate" -> {
                @SuppressWarnings("unchecked")
                List<BatchRecord> records = (List<BatchRecord>) args[1];
                server.accept(records);
                yield true;
            }
            case "get" -> new com.aerospike.client.Record[((Object[]) args[1]).length]; // guard read: none
            default -> throw TestClients.unexpected(method);
        });
    }

    private AerospikeSinkTask task(boolean withReporter) {
        AerospikeSinkTask task = new AerospikeSinkTask(Clock.systemUTC(), config -> client());
        RecordingSinkTaskContext context = new RecordingSinkTaskContext(false) {
            @Override
            public ErrantRecordReporter errantRecordReporter() {
                return withReporter
                        ? (record, error) -> {
                            reported.add(record);
                            reasons.add(error.getMessage());
                            return CompletableFuture.completedFuture(null);
                        }
                        : null;
            }
        };
        task.initialize(context);
        Map<String, String> props = TestConfigs.counters();
        props.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "order_count=1");
        task.start(props);
        return task;
    }

    private static SinkRecord order(String json, long offset) {
        return new SinkRecord("orders", 0, null, null, null, json, offset);
    }

    @Test
    void recordErrorsAreReportedOnceAfterARetriedBatch() {
        AerospikeSinkTask task = task(true);
        List<SinkRecord> batch =
                List.of(order("{\"customer_id\":\"c-1\"}", 0), order("oops", 1), order("{\"customer_id\":\"c-2\"}", 2));
        server = records -> records.forEach(r -> r.setError(ResultCode.TIMEOUT, true));
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        assertThat(reported).isEmpty();

        server = records -> records.forEach(
                r -> r.resultCode = r.key.userKey.toString().equals("c-2") ? ResultCode.BIN_TYPE_ERROR : ResultCode.OK);
        task.put(batch);
        assertThat(reported).extracting(SinkRecord::kafkaOffset).containsExactly(1L, 2L);
        assertThat(reasons.get(0)).contains("not valid JSON");
        assertThat(reasons.get(1)).contains("result code 12");
        task.stop();
    }

    @Test
    void withoutReporterARecordErrorFailsTheTaskWithTheReason() {
        AerospikeSinkTask task = task(false);
        assertThatThrownBy(() -> task.put(List.of(order("{\"customer_id\":\"c-1\"}", 0), order("{}", 1))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("orders-0@1")
                .hasMessageContaining("customer_id");
        task.stop();
    }

    @Test
    void replayedCountersAreNoOpsNotErrors() {
        AerospikeSinkTask task = task(true);
        server = records -> records.forEach(r -> r.setError(ResultCode.FILTERED_OUT, false));
        task.put(List.of(order("{\"customer_id\":\"c-1\"}", 0)));
        assertThat(reported).isEmpty();
        task.stop();
    }
}
