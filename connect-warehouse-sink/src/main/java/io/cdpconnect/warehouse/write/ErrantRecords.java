/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.write;

import io.cdpconnect.common.ErrantReporting;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where records that cannot be written go: Connect's errant record reporter (the dead-letter queue).
 *
 * <p>Reports are queued and only sent when the write they belong to commits ({@link #awaitReported()}). A write
 * that fails before that (retriable error, schema drift retry, fenced transaction) discards its reports with
 * {@link #discardFrom(long)}: Connect redelivers those records and they are reported once, when it succeeds.
 * Without a reporter (worker older than 2.6, or no DLQ support) a bad record fails the task at once.
 */
public class ErrantRecords {

    private static final Logger log = LoggerFactory.getLogger(ErrantRecords.class);

    private record Queued(long seq, SinkRecord record, Throwable cause) {}

    private final ErrantRecordReporter reporter;
    private final List<Queued> queued = new ArrayList<>();
    private final List<Future<Void>> sent = new ArrayList<>();
    private long nextSeq;
    private long sentTotal;

    public ErrantRecords(ErrantRecordReporter reporter) {
        this.reporter = reporter;
    }

    public void report(SinkRecord record, Throwable cause) {
        if (reporter == null) {
            throw new ConnectException(
                    "record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                            + " cannot be written and no errant record reporter is available",
                    cause);
        }
        queued.add(new Queued(nextSeq++, record, cause));
    }

    /** A position in the queue; {@link #discardFrom(long)} drops what was reported after it and is not sent yet. */
    public long mark() {
        return nextSeq;
    }

    public void discardFrom(long mark) {
        queued.removeIf(q -> q.seq >= mark);
    }

    /** Drops queued reports of records that will be consumed again elsewhere (revoked partitions). */
    public void discardIf(java.util.function.Predicate<SinkRecord> redelivered) {
        queued.removeIf(q -> redelivered.test(q.record));
    }

    /** Reports sent to the reporter since the task started. */
    public long sentTotal() {
        return sentTotal;
    }

    /** Reports queued and not sent yet. */
    public int queued() {
        return queued.size();
    }

    /** Sends what is queued and blocks until every report is durable, so offsets past them may be committed. */
    public void awaitReported() {
        for (Iterator<Queued> it = queued.iterator(); it.hasNext(); ) {
            Queued q = it.next();
            log.warn(
                    "sending record {}-{}@{} to the errant record reporter: {}",
                    q.record.topic(),
                    q.record.kafkaPartition(),
                    q.record.kafkaOffset(),
                    q.cause.getMessage());
            sent.add(reporter.report(q.record, q.cause));
            sentTotal++;
            it.remove();
        }
        try {
            ErrantReporting.awaitAll(sent);
        } finally {
            sent.clear();
        }
    }
}
