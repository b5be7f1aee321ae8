/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse;

import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.Counter;
import io.cdpconnect.common.metrics.Latency;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The warehouse sink task's metrics ({@code cdp.warehouse-sink}), all created when the task starts so the set a
 * dashboard sees does not depend on what has happened yet.
 */
final class SinkMetrics {

    static final String PLUGIN = "warehouse-sink";

    final Counter recordsPut;
    final Counter rowsWritten;
    final Counter batches;
    final Counter recordsFailed;
    final Counter recordsSkipped;
    final Counter retries;
    final Latency flushLatency;
    final Counter partitionsCreated;
    final Counter partitionsDetached;
    final Counter partitionsDropped;
    private volatile long lastCommitNanos = System.nanoTime();

    SinkMetrics(CdpMetrics metrics, IntSupplier buffered, LongSupplier batchAttempts, LongSupplier isolationProbes) {
        recordsPut = metrics.counter("records-put", "records handed to put()");
        rowsWritten = metrics.counter("rows-written", "rows committed to the warehouse");
        batches = metrics.counter("batches-written", "committed write transactions");
        recordsFailed = metrics.counter(
                "records-failed",
                "records sent to the errant record reporter (DLQ): unmappable or rejected by the database");
        recordsSkipped = metrics.counter(
                "records-skipped",
                "records that change no row: tombstones with delete.enabled=false, and change events of no row, each"
                        + " logged (collection events, truncates with cdc.truncate=skip, an update whose document was"
                        + " deleted before the source's lookup)");
        retries = metrics.counter("write-retries", "writes that failed transiently and are retried");
        partitionsCreated = metrics.counter(
                "partitions-created", "partitions created, on demand or ahead of time for the next interval");
        partitionsDetached = metrics.counter(
                "partitions-detached",
                "partitions older than partition.retention detached (archived as tables of their own)");
        partitionsDropped = metrics.counter(
                "partitions-dropped",
                "partitions older than partition.retention dropped (partition.retention.action=drop)");
        flushLatency = metrics.latency("flush-latency", "time of one committed write, transaction included");
        metrics.longGauge(
                "write-attempts",
                "transactions that wrote a whole batch: first attempts, retries, "
                        + "and the passes that leave out rows the database rejected",
                batchAttempts);
        metrics.longGauge(
                "isolation-probes",
                "throw-away transactions that located rows the database rejects "
                        + "without restarting the batch per bad row (DuckDB, which has no savepoints)",
                isolationProbes);
        metrics.longGauge("buffered-records", "rows mapped and waiting for the next write", buffered::getAsInt);
        metrics.gauge(
                "last-commit-age-ms",
                "time since the last committed write (or the task start)",
                () -> (System.nanoTime() - lastCommitNanos) / 1_000_000.0);
    }

    void committed(int rows, int failed, long startNanos) {
        rowsWritten.add(rows);
        recordsFailed.add(failed);
        batches.increment();
        flushLatency.recordSince(startNanos);
        lastCommitNanos = System.nanoTime();
    }
}
