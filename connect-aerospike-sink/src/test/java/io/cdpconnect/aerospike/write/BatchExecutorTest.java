/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.BatchRecord;
import com.aerospike.client.BatchWrite;
import com.aerospike.client.Bin;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.BatchPolicy;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * Result-code handling of batch operate. The client is a proxy that answers batch operate the way the server
 * reports per-record outcomes (it sets BatchRecord.resultCode, or throws for a whole-batch failure).
 */
class BatchExecutorTest {

    private final List<List<BatchRecord>> calls = new ArrayList<>();
    private boolean connected = true;

    private IAerospikeClient client(Consumer<List<BatchRecord>> server) {
        return (IAerospikeClient) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {IAerospikeClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("operate") && args.length == 2 && args[1] instanceof List<?> list) {
                        @SuppressWarnings("unchecked")
                        List<BatchRecord> records = (List<BatchRecord>) list;
                        calls.add(List.copyOf(records));
                        server.accept(records);
                        return records.stream().allMatch(r -> r.resultCode == ResultCode.OK);
                    }
                    if (method.getName().equals("isConnected")) {
                        return connected;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static PlannedWrite write(String user, long offset, int acceptedCode) {
        SinkRecord source = new SinkRecord("t", 0, null, null, null, "{}", offset);
        BatchWrite command =
                new BatchWrite(new Key("test", "s", user), new Operation[] {Operation.put(new Bin("a", 1))});
        return new PlannedWrite(command, List.of(source), acceptedCode);
    }

    private static WritePlan plan(PlannedWrite... writes) {
        WritePlan plan = new WritePlan();
        for (PlannedWrite w : writes) {
            plan.add(w.command().key, w);
        }
        return plan;
    }

    private static void answer(List<BatchRecord> records, int... codes) {
        for (int i = 0; i < records.size(); i++) {
            records.get(i).setError(codes[i], false);
            if (codes[i] == ResultCode.OK) {
                records.get(i).resultCode = ResultCode.OK;
            }
        }
    }

    @Test
    void okAcceptedAndPermanentFailures() {
        BatchExecutor executor = new BatchExecutor(
                client(r -> answer(r, ResultCode.OK, ResultCode.FILTERED_OUT, ResultCode.BIN_TYPE_ERROR)),
                new BatchPolicy(),
                100);
        BatchExecutor.Result result = executor.execute(plan(
                write("a", 1, ResultCode.OK), write("b", 2, ResultCode.FILTERED_OUT), write("c", 3, ResultCode.OK)));
        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.noOps()).isEqualTo(1);
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.record().kafkaOffset()).isEqualTo(3);
            assertThat(f.error().getMessage()).contains("result code 12").contains("c");
        });
    }

    @Test
    void aFilteredOutWriteThatExpectedNothingIsAFailure() {
        BatchExecutor executor =
                new BatchExecutor(client(r -> answer(r, ResultCode.FILTERED_OUT)), new BatchPolicy(), 10);
        assertThat(executor.execute(plan(write("a", 1, ResultCode.OK))).failures())
                .hasSize(1);
    }

    @Test
    void transientPerRecordCodeRetriesTheBatchAndStopsLaterRounds() {
        BatchExecutor executor = new BatchExecutor(
                client(r -> {
                    int[] codes = new int[r.size()];
                    codes[0] = ResultCode.PARTITION_UNAVAILABLE;
                    answer(r, codes);
                }),
                new BatchPolicy(),
                100);
        // two writes to the same key: two rounds
        assertThatThrownBy(() -> executor.execute(plan(write("a", 1, ResultCode.OK), write("a", 2, ResultCode.OK))))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("11");
        assertThat(calls).hasSize(1);
    }

    @Test
    void roundsRunInOrderInChunksOfBatchSize() {
        BatchExecutor executor = new BatchExecutor(client(r -> answer(r, new int[r.size()])), new BatchPolicy(), 2);
        BatchExecutor.Result result =
                executor.execute(plan(write("a", 1, 0), write("b", 2, 0), write("c", 3, 0), write("a", 4, 0)));
        assertThat(result.applied()).isEqualTo(4);
        assertThat(calls).extracting(List::size).containsExactly(2, 1, 1);
        assertThat(calls.get(2).get(0).key.userKey.toString()).isEqualTo("a");
    }

    @Test
    void wholeBatchFailures() {
        BatchExecutor timeout = new BatchExecutor(
                client(r -> {
                    throw new AerospikeException.Timeout(new BatchPolicy(), true);
                }),
                new BatchPolicy(),
                10);
        assertThatThrownBy(() -> timeout.execute(plan(write("a", 1, 0)))).isInstanceOf(RetriableException.class);
        BatchExecutor down = new BatchExecutor(
                client(r -> {
                    throw new AerospikeException.Connection(ResultCode.SERVER_NOT_AVAILABLE, "Node not available");
                }),
                new BatchPolicy(),
                10);
        assertThatThrownBy(() -> down.execute(plan(write("a", 1, 0)))).isInstanceOf(RetriableException.class);
        BatchExecutor broken = new BatchExecutor(
                client(r -> {
                    throw new AerospikeException(ResultCode.PARAMETER_ERROR, "bad");
                }),
                new BatchPolicy(),
                10);
        assertThatThrownBy(() -> broken.execute(plan(write("a", 1, 0))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("4");
    }

    @Test
    void anyFailureWhileNoNodeIsReachableIsTransient() {
        BatchExecutor emptyMap = new BatchExecutor(
                client(r -> {
                    throw new AerospikeException.InvalidNamespace("test", 0);
                }),
                new BatchPolicy(),
                10);
        assertThatThrownBy(() -> emptyMap.execute(plan(write("a", 1, 0)))).isInstanceOf(RetriableException.class);
        connected = false;
        BatchExecutor disconnected = new BatchExecutor(
                client(r -> {
                    throw new AerospikeException(ResultCode.CLIENT_ERROR, "socket closed");
                }),
                new BatchPolicy(),
                10);
        assertThatThrownBy(() -> disconnected.execute(plan(write("a", 1, 0)))).isInstanceOf(RetriableException.class);
        connected = true;
        BatchExecutor wrongNamespace = new BatchExecutor(
                client(r -> {
                    throw new AerospikeException.InvalidNamespace("nope", 3);
                }),
                new BatchPolicy(),
                10);
        assertThatThrownBy(() -> wrongNamespace.execute(plan(write("a", 1, 0))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class);
    }

    @Test
    void serverSideConditionsAreRetriedNeverDeadLettered() {
        for (int code : new int[] {
            ResultCode.FAIL_FORBIDDEN, ResultCode.LOST_CONFLICT, ResultCode.SERVER_MEM_ERROR, ResultCode.DEVICE_OVERLOAD
        }) {
            BatchExecutor perRecord = new BatchExecutor(client(r -> answer(r, code)), new BatchPolicy(), 10);
            assertThatThrownBy(() -> perRecord.execute(plan(write("a", 1, 0))))
                    .as("per record %d", code)
                    .isInstanceOf(RetriableException.class)
                    .hasMessageContaining(Integer.toString(code));
            BatchExecutor whole = new BatchExecutor(
                    client(r -> {
                        throw new AerospikeException(code, "stop-writes");
                    }),
                    new BatchPolicy(),
                    10);
            assertThatThrownBy(() -> whole.execute(plan(write("a", 1, 0))))
                    .as("whole batch %d", code)
                    .isInstanceOf(RetriableException.class);
        }
    }

    @Test
    void aRoleViolationFailsTheTaskWithTheCauseInsteadOfDeadLetteringTheBatch() {
        BatchExecutor perRecord = new BatchExecutor(
                client(r -> answer(r, ResultCode.OK, ResultCode.ROLE_VIOLATION)), new BatchPolicy(), 10);
        assertThatThrownBy(() -> perRecord.execute(plan(write("a", 1, 0), write("b", 2, 0))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("81")
                .hasMessageContaining("role");
        BatchExecutor whole = new BatchExecutor(
                client(r -> {
                    throw new AerospikeException(ResultCode.ROLE_VIOLATION, "Role violation");
                }),
                new BatchPolicy(),
                10);
        assertThatThrownBy(() -> whole.execute(plan(write("a", 1, 0))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("role");
    }

    @Test
    void deletesOfMissingRecordsAreCounted() {
        SinkRecord source = new SinkRecord("t", 0, null, "a", null, null, 1);
        com.aerospike.client.BatchDelete delete = new com.aerospike.client.BatchDelete(new Key("test", "s", "a"));
        BatchExecutor executor =
                new BatchExecutor(client(r -> answer(r, ResultCode.KEY_NOT_FOUND_ERROR)), new BatchPolicy(), 10);
        BatchExecutor.Result result =
                executor.execute(plan(new PlannedWrite(delete, List.of(source), ResultCode.KEY_NOT_FOUND_ERROR)));
        assertThat(result.failures()).isEmpty();
        assertThat(result.missingDeletes()).isEqualTo(1);
    }

    @Test
    void chunksOfARoundRunConcurrentlyAndRoundsStayInOrder() throws Exception {
        java.util.concurrent.CyclicBarrier fourAtOnce = new java.util.concurrent.CyclicBarrier(4);
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger call = new java.util.concurrent.atomic.AtomicInteger();
        IAerospikeClient server = (IAerospikeClient) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {IAerospikeClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("operate")) {
                        @SuppressWarnings("unchecked")
                        List<BatchRecord> records = (List<BatchRecord>) args[1];
                        int n = call.incrementAndGet();
                        boolean firstRound = ((BatchWrite) records.get(0)).ops[0].binName.equals("a");
                        events.add("start " + (firstRound ? 1 : 2));
                        if (firstRound) {
                            // the four requests of round 1 must all be in flight at the same time
                            fourAtOnce.await(20, java.util.concurrent.TimeUnit.SECONDS);
                        }
                        records.forEach(r -> r.resultCode = ResultCode.OK);
                        events.add("end " + (firstRound ? 1 : 2));
                        return n > 0;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        WritePlan plan = new WritePlan();
        for (int i = 0; i < 4 * BatchExecutor.MIN_CHUNK; i++) {
            PlannedWrite w = write("u" + i, i, 0);
            plan.add(w.command().key, w);
        }
        // a later write to a key of round 1 (bin "b"): it must wait for round 1 to finish
        Key u0 = new Key("test", "s", "u0");
        PlannedWrite again = new PlannedWrite(
                new BatchWrite(u0, new Operation[] {Operation.put(new Bin("b", 2))}),
                List.of(new SinkRecord("t", 0, null, null, null, "{}", 999)),
                0);
        plan.add(u0, again);
        try (BatchExecutor executor = new BatchExecutor(server, new BatchPolicy(), 500, 4)) {
            BatchExecutor.Result result = executor.execute(plan);
            assertThat(result.applied()).isEqualTo(4 * BatchExecutor.MIN_CHUNK + 1);
        }
        assertThat(call.get()).isEqualTo(5);
        assertThat(events.subList(0, 8)).containsOnly("start 1", "end 1");
        assertThat(events.subList(8, 10)).containsExactly("start 2", "end 2");
    }
}
