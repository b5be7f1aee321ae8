/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * What both sinks share about Connect's errant record reporter (KIP-610): finding it on any worker version, and
 * waiting until what was reported is durable before the offsets past it are committed.
 */
public final class ErrantReporting {

    private ErrantReporting() {}

    /**
     * The task's reporter, or null when there is none: no dead letter queue / tolerance configured, or a worker older
     * than Connect 2.6 where the method (and the interface) do not exist, which is guarded here.
     */
    public static ErrantRecordReporter reporterOf(SinkTaskContext context) {
        try {
            return context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError oldWorker) {
            return null;
        }
    }

    /**
     * Blocks until every report is done.
     *
     * @throws ConnectException when a report failed (the records must not be committed as handled) or the wait is
     *                          interrupted
     */
    public static void awaitAll(List<Future<Void>> reports) {
        for (Future<Void> report : reports) {
            try {
                report.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while reporting errant records", e);
            } catch (ExecutionException e) {
                throw new ConnectException("could not report an errant record", e.getCause());
            }
        }
    }
}
