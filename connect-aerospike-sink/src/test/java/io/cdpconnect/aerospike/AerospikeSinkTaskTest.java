/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.testing.RecordingSinkTaskContext;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The task against an address where no Aerospike listens: it starts, and put() asks Connect to retry. */
class AerospikeSinkTaskTest {

    @Test
    void unreachableClusterIsRetriableNotFatal() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.HOSTS, "127.0.0.1:" + closedPort);
        props.put(AerospikeSinkConfig.CONNECT_TIMEOUT_MS, "500");
        props.put(AerospikeSinkConfig.RETRY_BACKOFF_MS, "250");
        AerospikeSinkTask task = new AerospikeSinkTask();
        RecordingSinkTaskContext context = new RecordingSinkTaskContext(false);
        task.initialize(context);
        task.start(props); // does not throw: the cluster may come back
        SinkRecord record = new SinkRecord(
                "segments.updates",
                0,
                null,
                null,
                null,
                "{\"user_id\":\"u-1\",\"segment_id\":\"s\",\"op\":\"add\",\"ts\":\"2026-11-23T10:00:00Z\"}",
                0);
        assertThatThrownBy(() -> task.put(List.of(record)))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort);
        assertThat(context.timeout).isEqualTo(250);
        task.put(List.of()); // an empty batch needs no connection
        task.stop();
    }
}
