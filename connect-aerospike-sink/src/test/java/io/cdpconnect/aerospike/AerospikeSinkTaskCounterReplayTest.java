/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aerospike.client.BatchRecord;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.Key;
import com.aerospike.client.Record;
import com.aerospike.client.ResultCode;
import io.cdpconnect.testing.RecordingSinkTaskContext;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * Counter writes filtered out by the offset guard: a replay of what was applied is a no-op, but records behind
 * the stored offset that are newer than the record which set it (a re-created topic, offsets of another log)
 * must not be skipped silently. The client is a proxy answering like a server whose guard stands at offset 100.
 */
class AerospikeSinkTaskCounterReplayTest {

    private static final long STORED_OFFSET = 100;
    private static final long STORED_TS = 1_700_000_000_000L;

    private IAerospikeClient client() {
        return TestClients.answering((method, args) -> switch (method) {
            case "operate" -> {
                @SuppressWarnings("unchecked")
                List<BatchRecord> records = (List<BatchRecord>) args[1];
                records.forEach(r -> r.setError(ResultCode.FILTERED_OUT, false));
                yield false;
            }
            case "get" -> { // batch read of the guard bin of the filtered keys
                Key[] keys = (Key[]) args[1];
                Record[] out = new Record[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    Map<String, Object> bins = new HashMap<>();
                    bins.put("kafka_offsets", Map.of("orders/0", STORED_OFFSET, "orders/0@ts", STORED_TS));
                    out[i] = new Record(bins, 1, 0);
                }
                yield out;
            }
            default -> throw TestClients.unexpected(method);
        });
    }

    private AerospikeSinkTask task(String policy) {
        AerospikeSinkTask task = new AerospikeSinkTask(Clock.systemUTC(), config -> client());
        task.initialize(new RecordingSinkTaskContext(false));
        Map<String, String> props = TestConfigs.counters();
        props.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "order_count=1");
        if (policy != null) {
            props.put(AerospikeSinkConfig.COUNTERS_OFFSET_REGRESSION, policy);
        }
        task.start(props);
        return task;
    }

    private static SinkRecord order(long offset, long timestamp) {
        return new SinkRecord(
                "orders",
                0,
                null,
                null,
                null,
                "{\"customer_id\":\"c-1\"}",
                offset,
                timestamp,
                TimestampType.CREATE_TIME);
    }

    @Test
    void aReplayOfAppliedRecordsIsANoOp() {
        AerospikeSinkTask task = task(null);
        task.put(List.of(order(99, STORED_TS - 1_000), order(100, STORED_TS)));
        task.stop();
    }

    @Test
    void newerRecordsBehindTheGuardFailTheTaskByDefault() {
        AerospikeSinkTask task = task(null);
        assertThatThrownBy(() -> task.put(List.of(order(5, STORED_TS + 3_600_000L))))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("orders-0@5")
                .hasMessageContaining("100")
                .hasMessageContaining(AerospikeSinkConfig.COUNTERS_OFFSET_REGRESSION)
                .hasMessageContaining(AerospikeSinkConfig.COUNTERS_OFFSETS_BIN);
        task.stop();
    }

    @Test
    void theSkipPolicySkipsThemExplicitly() {
        AerospikeSinkTask task = task("skip");
        task.put(List.of(order(5, STORED_TS + 3_600_000L)));
        assertThat(task.stats().regressionsSkipped()).isEqualTo(1);
        task.stop();
    }
}
