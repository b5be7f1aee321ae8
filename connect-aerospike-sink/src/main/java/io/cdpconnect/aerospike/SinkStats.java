package io.cdpconnect.aerospike;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one task did, counted in put() and read by the metrics (from another thread): the signals that make a
 * skip loud — replays, regressions skipped by policy, deletes of records that did not exist, stale updates.
 */
public final class SinkStats {

    private final AtomicLong recordsPut = new AtomicLong();
    private final AtomicLong writesApplied = new AtomicLong();
    private final AtomicLong noOps = new AtomicLong();
    private final AtomicLong replaysSkipped = new AtomicLong();
    private final AtomicLong regressionsSkipped = new AtomicLong();
    private final AtomicLong missingDeletes = new AtomicLong();
    private final AtomicLong staleSkipped = new AtomicLong();
    private final AtomicLong recordErrors = new AtomicLong();

    void batch(int records, int applied, int noOpWrites, int missing, int stale, int errors) {
        recordsPut.addAndGet(records);
        writesApplied.addAndGet(applied);
        noOps.addAndGet(noOpWrites);
        missingDeletes.addAndGet(missing);
        staleSkipped.addAndGet(stale);
        recordErrors.addAndGet(errors);
    }

    void counterReplays(int replays, int regressions) {
        replaysSkipped.addAndGet(replays);
        regressionsSkipped.addAndGet(regressions);
    }

    public long recordsPut() {
        return recordsPut.get();
    }

    public long writesApplied() {
        return writesApplied.get();
    }

    public long noOps() {
        return noOps.get();
    }

    public long replaysSkipped() {
        return replaysSkipped.get();
    }

    public long regressionsSkipped() {
        return regressionsSkipped.get();
    }

    public long missingDeletes() {
        return missingDeletes.get();
    }

    public long staleSkipped() {
        return staleSkipped.get();
    }

    public long recordErrors() {
        return recordErrors.get();
    }
}
