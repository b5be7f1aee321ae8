/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations of the most recent {@value #WINDOW} events (a ring buffer): recording is one array store, the
 * percentiles are computed only when someone reads them (JMX, a test), so the hot path pays nothing for them.
 */
public final class Latency {

    static final int WINDOW = 1024;

    private final AtomicLongArray samples = new AtomicLongArray(WINDOW);
    private final AtomicLong recorded = new AtomicLong();
    private volatile long maxNanos;

    /** Records one duration in nanoseconds. */
    public void record(long nanos) {
        long n = recorded.getAndIncrement();
        samples.set((int) (n % WINDOW), nanos);
        if (nanos > maxNanos) {
            maxNanos = nanos; // a lost race only under-reports a max that the next larger sample fixes
        }
    }

    /** Records the time since {@code startNanos} (from {@link System#nanoTime()}). */
    public void recordSince(long startNanos) {
        record(System.nanoTime() - startNanos);
    }

    public long count() {
        return recorded.get();
    }

    /** The {@code q} quantile (0..1) of the window in milliseconds; 0 before any sample. */
    public double quantileMs(double q) {
        int n = (int) Math.min(recorded.get(), WINDOW);
        if (n == 0) {
            return 0;
        }
        long[] copy = new long[n];
        for (int i = 0; i < n; i++) {
            copy[i] = samples.get(i);
        }
        Arrays.sort(copy);
        int index = (int) Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
        return copy[index] / 1_000_000.0;
    }

    /** The largest duration recorded since the group was opened, in milliseconds. */
    public double maxMs() {
        return maxNanos / 1_000_000.0;
    }
}
