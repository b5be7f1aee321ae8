package io.cdpconnect.aerospike.write;

import com.aerospike.client.AerospikeException;
import com.aerospike.client.BatchRecord;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;
import com.aerospike.client.policy.BatchPolicy;
import io.cdpconnect.aerospike.client.TransientErrors;
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

    /** Outcome of a plan: records Aerospike refused for good, and how many writes were no-ops (replays). */
    public record Result(List<RecordFailure> failures, int applied, int noOps) {
    }

    public Result execute(WritePlan plan) {
        List<RecordFailure> failures = new ArrayList<>();
        int applied = 0;
        int noOps = 0;
        for (List<PlannedWrite> round : plan.rounds()) {
            int transientCode = ResultCode.OK;
            for (int from = 0; from < round.size(); from += batchSize) {
                List<PlannedWrite> chunk = round.subList(from, Math.min(round.size(), from + batchSize));
                run(chunk);
                for (PlannedWrite write : chunk) {
                    int code = write.command().resultCode;
                    if (code == ResultCode.OK) {
                        applied++;
                    } else if (code == write.acceptedCode()) {
                        noOps++;
                    } else if (TransientErrors.isTransient(code)) {
                        transientCode = code;
                    } else {
                        DataException error = new DataException("Aerospike refused the write of key "
                                + write.command().key + ": result code " + TransientErrors.describe(code));
                        for (SinkRecord source : write.sources()) {
                            failures.add(new RecordFailure(source, error));
                        }
                    }
                }
            }
            if (transientCode != ResultCode.OK) {
                // Later rounds hold later writes to the same keys: they must wait for this round to succeed.
                throw new RetriableException("Aerospike could not apply some writes now: result code "
                        + TransientErrors.describe(transientCode) + "; the batch will be redelivered");
            }
        }
        return new Result(failures, applied, noOps);
    }

    private void run(List<PlannedWrite> chunk) {
        List<BatchRecord> commands = new ArrayList<>(chunk.size());
        for (PlannedWrite write : chunk) {
            commands.add(write.command());
        }
        try {
            client.operate(policy, commands);
        } catch (AerospikeException e) {
            if (TransientErrors.isTransient(e, client)) {
                throw new RetriableException("Aerospike batch failed: " + e.getMessage(), e);
            }
            // A whole-batch failure that is not about the cluster's state: per-record codes are not trustworthy.
            throw new ConnectException("Aerospike batch failed with result code "
                    + TransientErrors.describe(e.getResultCode()) + ": " + e.getMessage(), e);
        }
    }
}
