package io.cdpconnect.aerospike.write;

import org.apache.kafka.connect.sink.SinkRecord;

import java.util.Collection;

/** Turns a batch of Kafka records into Aerospike batch writes, one implementation per write mode. */
public interface WritePlanner {

    WritePlan plan(Collection<SinkRecord> records, long nowMillis);
}
