/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import java.util.concurrent.locks.LockSupport;

/**
 * Sleeps until a deadline with sub-millisecond precision. An idle poll's back-off is often well under a millisecond
 * (a sixteenth of a few ms of idle time); {@code Thread.sleep} and {@code TimeUnit.sleep} round any such sleep up to
 * a whole millisecond on Java 17, which would add that to the latency of the next change.
 */
final class IdleSleep {
    private IdleSleep() {}

    /** Returns at or after {@code deadlineNanos} ({@link System#nanoTime()}); at once if it has passed. */
    static void until(long deadlineNanos) throws InterruptedException {
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while an idle poll waited");
            }
        }
    }
}
