/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs dropped records without flooding the log: the first drop is logged with its detail, then at most one
 * summary line per interval with the count since the last line.
 */
final class DropLog {

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final AtomicLong sinceLastLine = new AtomicLong();
    private volatile long lastLine = System.nanoTime() - INTERVAL_NANOS;

    DropLog(Logger log) {
        this.log = log;
    }

    void dropped(String what, String detail) {
        long pending = sinceLastLine.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastLine >= INTERVAL_NANOS) {
            lastLine = now;
            long count = sinceLastLine.getAndSet(0);
            log.warn(
                    "dropped {} record(s) in the last interval ({}); latest: {}",
                    Math.max(count, pending),
                    what,
                    detail);
        }
    }
}
