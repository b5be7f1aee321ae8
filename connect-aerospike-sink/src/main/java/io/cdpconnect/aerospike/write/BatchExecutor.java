/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.BatchDelete;
import com.aerospike.client.BatchRecord;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.BatchPolicy;
import io.cdpconnect.aerospike.client.ResultCodes;
import io.cdpconnect.common.ConnectorThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Runs a {@link WritePlan} with batch operate, round after round, and sorts the per-record result codes: done,
 * no-op, permanently failed (returned for the DLQ), transient or systemic.
 *
 * <p>Throughput: a round holds at most one write per key, so its chunks are independent and up to
 * {@code maxInFlight} of them run at once (the synchronous client is thread-safe; each chunk is one batch
 * request of at most {@code batchSize} sub-commands, split evenly so a single put() also fills the pipeline).
 * Rounds stay strictly sequential, which keeps every key's writes in topic-partition order.
 *
 * <p>Any transient outcome (a whole batch timing out, a node gone, a partition unavailable for one record)
 * throws {@link RetriableException} after the round: Connect then redelivers the same records, and since every
 * write is idempotent, those already applied change nothing the second time. No record is lost or doubled.
 */
public final class BatchExecutor implements AutoCloseable {

    /** Smallest chunk worth a request of its own when a round is split across requests in flight. */
    static final int MIN_CHUNK = 64;

    private final IAerospikeClient client;
    private final BatchPolicy policy;
    private final int batchSize;
    private final int maxInFlight;
    private final ExecutorService pool;

    public BatchExecutor(IAerospikeClient client, BatchPolicy policy, int batchSize) {
        this(client, policy, batchSize, 1);
    }

    public BatchExecutor(IAerospikeClient client, BatchPolicy policy, int batchSize, int maxInFlight) {
        this.client = client;
        this.policy = policy;
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
        if (maxInFlight > 1) {
            // the calling thread runs one request itself; the pool's threads log with the task's MDC
            this.pool = Executors.newFixedThreadPool(
                    maxInFlight - 1, ConnectorThreads.daemonFactory("cdp-aerospike-batch"));
        } else {
            this.pool = null;
        }
    }

    /**
     * Outcome of a plan: records Aerospike refused for good; how many writes applied and how many were no-ops
     * (replays), of which {@code missingDeletes} deletes of records that did not exist; and the writes a filter
     * expression skipped ({@code filtered}, the counter replays the offset-regression check inspects).
     */
    public record Result(
            List<RecordFailure> failures, int applied, int noOps, int missingDeletes, List<PlannedWrite> filtered) {}

    public Result execute(WritePlan plan) {
        List<RecordFailure> failures = new ArrayList<>();
        int applied = 0;
        int noOps = 0;
        int missingDeletes = 0;
        List<PlannedWrite> filtered = new ArrayList<>();
        for (List<PlannedWrite> round : plan.rounds()) {
            int transientCode = ResultCode.OK;
            int systemicCode = ResultCode.OK;
            runRound(round);
            for (PlannedWrite write : round) {
                int code = write.command().resultCode;
                if (code == ResultCode.OK) {
                    applied++;
                } else if (write.accepts(code)) {
                    noOps++;
                    if (code == ResultCode.KEY_NOT_FOUND_ERROR && write.command() instanceof BatchDelete) {
                        missingDeletes++;
                    } else if (code == ResultCode.FILTERED_OUT) {
                        filtered.add(write);
                    }
                } else if (ResultCodes.isTransient(code)) {
                    transientCode = code;
                } else if (ResultCodes.isSystemic(code)) {
                    systemicCode = code;
                } else {
                    DataException error = new DataException("Aerospike refused the write of key " + write.command().key
                            + ": result code " + ResultCodes.describe(code));
                    for (SinkRecord source : write.sources()) {
                        failures.add(new RecordFailure(source, error));
                    }
                }
            }
            if (systemicCode != ResultCode.OK) {
                throw systemic(systemicCode, null);
            }
            if (transientCode != ResultCode.OK) {
                // Later rounds hold later writes to the same keys: they must wait for this round to succeed.
                throw new RetriableException("Aerospike could not apply some writes now: result code "
                        + ResultCodes.describe(transientCode) + ResultCodes.transientHint(transientCode)
                        + "; the batch will be redelivered");
            }
        }
        return new Result(failures, applied, noOps, missingDeletes, filtered);
    }

    /** Sub-commands per request: batchSize, or less so that a round fills up to maxInFlight requests. */
    int chunkSize(int roundSize) {
        if (maxInFlight <= 1) {
            return batchSize;
        }
        int even = (roundSize + maxInFlight - 1) / maxInFlight;
        return Math.min(batchSize, Math.max(MIN_CHUNK, even));
    }

    /** Runs every chunk of one round, concurrently when allowed, and returns when all are done. */
    private void runRound(List<PlannedWrite> round) {
        int size = chunkSize(round.size());
        List<List<PlannedWrite>> chunks = new ArrayList<>();
        for (int from = 0; from < round.size(); from += size) {
            chunks.add(round.subList(from, Math.min(round.size(), from + size)));
        }
        if (pool == null || chunks.size() == 1) {
            for (List<PlannedWrite> chunk : chunks) {
                run(chunk);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(chunks.size() - 1);
        for (int i = 1; i < chunks.size(); i++) {
            List<PlannedWrite> chunk = chunks.get(i);
            futures.add(pool.submit(() -> run(chunk)));
        }
        RuntimeException first = null;
        try {
            run(chunks.get(0)); // the calling thread carries one request itself
        } catch (RuntimeException e) {
            first = e;
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableException("interrupted while writing to Aerospike", e);
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r
                        ? r
                        : new ConnectException("Aerospike batch failed", e.getCause());
                // A non-retriable failure wins: it must fail the task rather than be retried forever.
                if (first == null || (first instanceof RetriableException && !(cause instanceof RetriableException))) {
                    first = cause;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The setup is wrong: no record is dead-lettered, the task fails with the cause and the fix. */
    static ConnectException systemic(int code, Exception cause) {
        return new ConnectException(
                "Aerospike refuses the sink's writes with result code " + ResultCodes.describe(code) + ": "
                        + ResultCodes.fix(code) + ". No record was dead-lettered; restart the task after the fix.",
                cause);
    }

    private void run(List<PlannedWrite> chunk) {
        List<BatchRecord> commands = new ArrayList<>(chunk.size());
        for (PlannedWrite write : chunk) {
            commands.add(write.command());
        }
        try {
            client.operate(policy, commands);
        } catch (AerospikeException e) {
            if (ResultCodes.isTransient(e, client)) {
                throw new RetriableException(
                        "Aerospike batch failed: " + e.getMessage() + ResultCodes.transientHint(e.getResultCode()), e);
            }
            if (ResultCodes.isSystemic(e.getResultCode())) {
                throw systemic(e.getResultCode(), e);
            }
            // A whole-batch failure that is not about the cluster's state: per-record codes are not trustworthy.
            throw new ConnectException(
                    "Aerospike batch failed with result code " + ResultCodes.describe(e.getResultCode()) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
