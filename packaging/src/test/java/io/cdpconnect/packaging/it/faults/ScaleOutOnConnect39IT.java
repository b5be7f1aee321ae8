/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.testing.process.Await;
import io.cdpconnect.testing.process.ConnectWorker;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Scale-out for a peak, on Connect 3.9.2 workers (the Connect of Confluent Platform 7.x and MSK Connect 3.x) with
 * the same bundle: the event store starts on one worker; a second and a third join while events stream; one is
 * SIGKILLed and restarted; one is removed. After each step the event store is exact and the status API shows the
 * four tasks spread over the live workers. Run it on other workers with {@code -Dcdp.kafka.previous.version=4.3.1}.
 */
class ScaleOutOnConnect39IT extends EventStoreFaults {

    @Override
    String kafkaVersion() {
        return System.getProperty("cdp.kafka.previous.version", "3.9.2");
    }

    @Override
    int initialWorkers() {
        return 1;
    }

    @Test
    @Order(1)
    void secondWorkerAddedWhileStreaming() throws Exception {
        assertThat(new HashSet<>(deployment.taskWorkers(CONNECTOR).values())).hasSize(1);
        streamWithFault(2000, 500, deployment::addWorker);
        awaitTasksSpreadOver(2);
    }

    @Test
    @Order(2)
    void thirdWorkerAddedWhileStreaming() throws Exception {
        streamWithFault(2000, 500, deployment::addWorker);
        awaitTasksSpreadOver(3);
    }

    @Test
    @Order(3)
    void workerKilledWithSigkillAndRestartedOnConnect39() throws Exception {
        ConnectWorker victim = deployment.worker(1);
        streamWithFault(2000, 500, () -> {
            victim.kill();
            deployment.restart(victim);
        });
        awaitTasksSpreadOver(3);
    }

    @Test
    @Order(4)
    void workerRemovedWhileStreaming() throws Exception {
        ConnectWorker leaving = deployment.worker(2);
        streamWithFault(2000, 500, () -> deployment.removeWorker(leaving));
        awaitTasksSpreadOver(2);
        assertThat(deployment.taskWorkers(CONNECTOR).values()).doesNotContain(leaving.workerId());
    }

    /** All 4 tasks RUNNING, on exactly {@code workers} distinct live workers, none with more than 2. */
    private void awaitTasksSpreadOver(int workers) {
        Map<Integer, String>[] last = new Map[1];
        Await.until(
                Duration.ofMinutes(2),
                "4 tasks spread over " + workers + " workers",
                () -> {
                    last[0] = deployment.taskWorkers(CONNECTOR);
                    Set<String> used = new HashSet<>(last[0].values());
                    Map<String, Integer> perWorker = new java.util.HashMap<>();
                    last[0].values().forEach(w -> perWorker.merge(w, 1, Integer::sum));
                    return last[0].size() == 4
                            && used.size() == workers
                            && perWorker.values().stream().allMatch(n -> n <= (4 + workers - 1) / workers);
                },
                () -> "tasks on " + last[0]);
    }
}
