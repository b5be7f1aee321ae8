/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A monotonic count since the metric group was opened; allocation-free and contention-friendly. */
public final class Counter {

    private final LongAdder adder = new LongAdder();

    public void increment() {
        adder.increment();
    }

    public void add(long n) {
        adder.add(n);
    }

    public long count() {
        return adder.sum();
    }
}
