/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.Counter;
import io.cdpconnect.common.metrics.Latency;

/**
 * The task's metrics ({@code cdp.aerospike-sink:connector=..,task=..}, JMX always, Kafka plugin metrics where the
 * worker offers them): what was written, and every signal that makes a skip loud — replays, regressions skipped by
 * policy, deletes of records that did not exist, stale updates, records sent to the DLQ, retried batches.
 */
public final class SinkStats {

    private final Counter recordsPut;
    private final Counter writesApplied;
    private final Counter noOps;
    private final Counter replaysSkipped;
    private final Counter regressionsSkipped;
    private final Counter missingDeletes;
    private final Counter staleSkipped;
    private final Counter recordErrors;
    private final Counter retries;
    private final Latency putLatency;
    private volatile long lastWriteNanos = System.nanoTime();

    SinkStats(CdpMetrics metrics) {
        recordsPut = metrics.counter("records-put", "records handed to put()");
        writesApplied = metrics.counter("writes-applied", "Aerospike writes that changed a record");
        noOps = metrics.counter(
                "writes-noop", "writes that needed no change: replays, filtered, excluded by the write action");
        replaysSkipped = metrics.counter(
                "counter-replays-skipped", "counter records already applied (guard at or past their offset)");
        regressionsSkipped = metrics.counter(
                "counter-offset-regressions-skipped",
                "counter records behind the guard but newer than it, skipped by counters.offset.regression=skip");
        missingDeletes = metrics.counter("deletes-of-missing-records", "tombstones whose record did not exist");
        staleSkipped = metrics.counter(
                "segment-updates-stale-skipped", "segment updates older than segments.tombstone.retention.ms");
        recordErrors = metrics.counter("records-failed", "records sent to the errant record reporter (DLQ)");
        retries = metrics.counter("batches-retried", "put() calls that failed transiently and were redelivered");
        putLatency = metrics.latency("put-latency", "time of one put(), all rounds and batches");
        metrics.gauge(
                "last-write-age-ms",
                "time since the last batch was written (or the task start)",
                () -> (System.nanoTime() - lastWriteNanos) / 1_000_000.0);
    }

    void batch(int records, int applied, int noOpWrites, int missing, int stale, int errors) {
        recordsPut.add(records);
        writesApplied.add(applied);
        noOps.add(noOpWrites);
        missingDeletes.add(missing);
        staleSkipped.add(stale);
        recordErrors.add(errors);
        lastWriteNanos = System.nanoTime();
    }

    void counterReplays(int replays, int regressions) {
        replaysSkipped.add(replays);
        regressionsSkipped.add(regressions);
    }

    void retried() {
        retries.increment();
    }

    void putTook(long startNanos) {
        putLatency.recordSince(startNanos);
    }

    public long recordsPut() {
        return recordsPut.count();
    }

    public long writesApplied() {
        return writesApplied.count();
    }

    public long noOps() {
        return noOps.count();
    }

    public long replaysSkipped() {
        return replaysSkipped.count();
    }

    public long regressionsSkipped() {
        return regressionsSkipped.count();
    }

    public long missingDeletes() {
        return missingDeletes.count();
    }

    public long staleSkipped() {
        return staleSkipped.count();
    }

    public long recordErrors() {
        return recordErrors.count();
    }

    public long retries() {
        return retries.count();
    }
}
