/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ConnectorThreadsTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void backgroundThreadsLogWithTheContextOfTheConnectorThatStartedThem() throws Exception {
        MDC.put("connector.context", "[event-store|task-1] ");
        ExecutorService executor = Executors.newSingleThreadExecutor(ConnectorThreads.daemonFactory("cdp-refresh"));
        MDC.clear(); // the creating thread moves on; the background thread keeps the captured context
        try {
            String[] seen = new String[2];
            executor.submit(() -> {
                        seen[0] = MDC.get("connector.context");
                        seen[1] = Thread.currentThread().getName();
                        assertTrue(Thread.currentThread().isDaemon());
                    })
                    .get(10, TimeUnit.SECONDS);
            assertEquals("[event-store|task-1] ", seen[0]);
            assertEquals("cdp-refresh-1", seen[1]);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aWrappedTaskRestoresTheRunningThreadsOwnContext() {
        MDC.put("connector.context", "[a|task-0] ");
        Runnable task =
                ConnectorThreads.withCurrentContext(() -> assertEquals("[a|task-0] ", MDC.get("connector.context")));
        MDC.clear();
        task.run();
        assertNull(MDC.get("connector.context"));
    }
}
