package io.cdpconnect.warehouse.write;

import org.apache.kafka.connect.sink.SinkRecord;

/** Where records that cannot be written go: Connect's errant record reporter (the dead-letter queue). */
public interface ErrantRecords {

    void report(SinkRecord record, Throwable cause);

    /** Blocks until every report so far is durable, so offsets past those records may be committed. */
    void awaitReported();
}
