/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * Background threads of a connector or task (definition refresh, index builds) that log with the connector's
 * context. Connect sets {@code connector.context} in the MDC of the threads it runs plugins on; a thread a plugin
 * starts itself inherits nothing, so its log lines could not be told apart per connector. These helpers capture the
 * creating thread's MDC and install it in the new thread.
 */
public final class ConnectorThreads {

    private ConnectorThreads() {}

    /** Daemon threads named {@code <name>-<n>} that run with the MDC of the thread calling this method. */
    public static ThreadFactory daemonFactory(String name) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(withContext(context, runnable), name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** {@code task} run with the MDC of the thread calling this method. */
    public static Runnable withCurrentContext(Runnable task) {
        return withContext(MDC.getCopyOfContextMap(), task);
    }

    private static Runnable withContext(Map<String, String> context, Runnable task) {
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                task.run();
            } finally {
                if (previous != null) {
                    MDC.setContextMap(previous);
                } else {
                    MDC.clear();
                }
            }
        };
    }
}
