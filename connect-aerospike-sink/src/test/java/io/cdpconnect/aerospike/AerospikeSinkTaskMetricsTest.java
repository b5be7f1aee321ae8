/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aerospike.client.BatchDelete;
import com.aerospike.client.BatchRecord;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.ResultCode;
import io.cdpconnect.testing.RecordingSinkTaskContext;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The task's metrics over JMX, scoped by Connect's logging context: deletes of missing records, writes, no-ops and
 * retried batches are visible as {@code cdp.aerospike-sink:connector=..,task=..} attributes.
 */
class AerospikeSinkTaskMetricsTest {

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    private volatile boolean down;

    private IAerospikeClient client() {
        return TestClients.answering((method, args) -> switch (method) {
            case "operate" -> {
                @SuppressWarnings("unchecked")
                List<BatchRecord> records = (List<BatchRecord>) args[1];
                for (BatchRecord r : records) {
                    if (down) {
                        r.setError(ResultCode.PARTITION_UNAVAILABLE, false);
                    } else if (r instanceof BatchDelete) {
                        r.setError(ResultCode.KEY_NOT_FOUND_ERROR, false);
                    } else {
                        r.resultCode = ResultCode.OK;
                    }
                }
                yield true;
            }
            default -> throw TestClients.unexpected(method);
        });
    }

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void countsAreVisibleOverJmxUnderTheConnectorAndTask() throws Exception {
        MDC.put("connector.context", "[customers-bins|task-3] ");
        AerospikeSinkTask task = new AerospikeSinkTask(Clock.systemUTC(), config -> client());
        task.initialize(new RecordingSinkTaskContext(false));
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.KEY_TYPE, "string");
        task.start(props);
        ObjectName name = new ObjectName("cdp.aerospike-sink:connector=\"customers-bins\",task=\"3\"");
        try {
            task.put(List.of(
                    new SinkRecord("customers", 0, null, "c-1", null, "{\"customer_id\":\"c-1\",\"tier\":\"gold\"}", 0),
                    new SinkRecord("customers", 0, null, "c-2", null, null, 1)));
            assertThat(jmx.getAttribute(name, "records-put")).isEqualTo(2L);
            assertThat(jmx.getAttribute(name, "writes-applied")).isEqualTo(1L);
            assertThat(jmx.getAttribute(name, "deletes-of-missing-records")).isEqualTo(1L);
            assertThat(jmx.getAttribute(name, "writes-noop")).isEqualTo(1L);
            assertThat((Long) jmx.getAttribute(name, "put-latency-count")).isEqualTo(1L);
            assertThat((double) jmx.getAttribute(name, "last-write-age-ms")).isGreaterThanOrEqualTo(0.0);

            down = true;
            assertThatThrownBy(() -> task.put(
                            List.of(new SinkRecord("customers", 0, null, "c-1", null, "{\"customer_id\":\"c-1\"}", 2))))
                    .isInstanceOf(RetriableException.class);
            assertThat(jmx.getAttribute(name, "batches-retried")).isEqualTo(1L);
        } finally {
            task.stop();
        }
        assertThat(jmx.isRegistered(name))
                .as("unregistered when the task stops")
                .isFalse();
    }
}
