package io.cdpconnect.aerospike.write;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.BatchDelete;
import com.aerospike.client.BatchRecord;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.BatchPolicy;
import io.cdpconnect.aerospike.client.ResultCodes;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link WritePlan} with batch operate, {@code batchSize} sub-commands per request, round after round,
 * and sorts the per-record result codes: done, permanently failed (returned for the DLQ) or transient.
 *
 * <p>Any transient outcome (a whole batch timing out, a node gone, a partition unavailable for one record)
 * throws {@link RetriableException} after the round: Connect then redelivers the same records, and since every
 * write is idempotent, those already applied change nothing the second time. No record is lost or doubled.
 */
public final class BatchExecutor {

    private final IAerospikeClient client;
    private final BatchPolicy policy;
    private final int batchSize;

    public BatchExecutor(IAerospikeClient client, BatchPolicy policy, int batchSize) {
        this.client = client;
        this.policy = policy;
        this.batchSize = batchSize;
    }

    /**
     * Outcome of a plan: records Aerospike refused for good; how many writes applied and how many were no-ops
     * (replays), of which {@code missingDeletes} deletes of records that did not exist; and the writes a filter
     * expression skipped ({@code filtered}, the counter replays the offset-regression check inspects).
     */
    public record Result(List<RecordFailure> failures, int applied, int noOps, int missingDeletes,
                         List<PlannedWrite> filtered) {
    }

    public Result execute(WritePlan plan) {
        List<RecordFailure> failures = new ArrayList<>();
        int applied = 0;
        int noOps = 0;
        int missingDeletes = 0;
        List<PlannedWrite> filtered = new ArrayList<>();
        for (List<PlannedWrite> round : plan.rounds()) {
            int transientCode = ResultCode.OK;
            int systemicCode = ResultCode.OK;
            for (int from = 0; from < round.size(); from += batchSize) {
                List<PlannedWrite> chunk = round.subList(from, Math.min(round.size(), from + batchSize));
                run(chunk);
                for (PlannedWrite write : chunk) {
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
                        DataException error = new DataException("Aerospike refused the write of key "
                                + write.command().key + ": result code " + ResultCodes.describe(code));
                        for (SinkRecord source : write.sources()) {
                            failures.add(new RecordFailure(source, error));
                        }
                    }
                }
            }
            if (systemicCode != ResultCode.OK) {
                throw systemic(systemicCode, null);
            }
            if (transientCode != ResultCode.OK) {
                // Later rounds hold later writes to the same keys: they must wait for this round to succeed.
                throw new RetriableException("Aerospike could not apply some writes now: result code "
                        + ResultCodes.describe(transientCode) + "; the batch will be redelivered");
            }
        }
        return new Result(failures, applied, noOps, missingDeletes, filtered);
    }

    /** The setup is wrong: no record is dead-lettered, the task fails with the cause and the fix. */
    static ConnectException systemic(int code, Exception cause) {
        return new ConnectException("Aerospike refuses the sink's writes with result code " + ResultCodes.describe(code)
                + ": " + ResultCodes.fix(code) + ". No record was dead-lettered; restart the task after the fix.", cause);
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
                throw new RetriableException("Aerospike batch failed: " + e.getMessage(), e);
            }
            if (ResultCodes.isSystemic(e.getResultCode())) {
                throw systemic(e.getResultCode(), e);
            }
            // A whole-batch failure that is not about the cluster's state: per-record codes are not trustworthy.
            throw new ConnectException("Aerospike batch failed with result code "
                    + ResultCodes.describe(e.getResultCode()) + ": " + e.getMessage(), e);
        }
    }
}
