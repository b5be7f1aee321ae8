package io.cdpconnect.packaging.faults;

import io.cdpconnect.testing.process.ConnectWorker;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The event store on Connect 3.9.2 workers (the Connect of Confluent Platform 7.x and MSK Connect 3.x users) with
 * the same bundle: loads, runs and stays exact through a SIGKILL of a worker and a worker added mid-stream.
 */
class EventStoreOnConnect39IT extends EventStoreFaults {

    @Override
    String kafkaVersion() {
        return System.getProperty("cdp.kafka.previous.version", "3.9.2");
    }

    @Test
    @Order(1)
    void workerKilledWithSigkillAndRestartedOnConnect39() throws Exception {
        ConnectWorker victim = deployment.worker(1);
        streamWithFault(3000, 600, () -> {
            victim.kill();
            deployment.restart(victim);
        });
    }

    @Test
    @Order(2)
    void workerAddedMidStreamOnConnect39() throws Exception {
        streamWithFault(2000, 600, deployment::addWorker);
    }
}
