/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The idle back-off of a poll sleeps a sixteenth of the idle time, often well under a millisecond while changes
 * arrive every few ms. On Java 17 {@code Thread.sleep}/{@code TimeUnit.sleep} round any sub-millisecond sleep up to
 * a whole millisecond, which would add up to 1 ms to such a change's latency instead of the T/16 documented.
 */
class IdleSleepTest {

    @Test
    void aSubMillisecondSleepIsNotRoundedUpToAMillisecond() throws InterruptedException {
        int sleeps = 100;
        long step = TimeUnit.MICROSECONDS.toNanos(100);
        long start = System.nanoTime();
        for (int i = 0; i < sleeps; i++) {
            long deadline = System.nanoTime() + step;
            IdleSleep.until(deadline);
            assertThat(System.nanoTime()).as("never wakes before its deadline").isGreaterThanOrEqualTo(deadline);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // 100 x 100 µs is 10 ms (about 20 with the kernel's wake-up slack); rounded up to 1 ms each it is at least
        // 100 ms. 80 ms leaves room for a loaded machine.
        assertThat(elapsedMs).as("100 sleeps of 100 µs").isLessThan(80);
    }

    @Test
    void aDeadlineInThePastReturnsAtOnce() throws InterruptedException {
        long start = System.nanoTime();
        IdleSleep.until(start - TimeUnit.SECONDS.toNanos(1));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5);
    }

    @Test
    void anInterruptEndsTheSleepWithInterruptedException() {
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        assertThatThrownBy(() -> IdleSleep.until(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)))
                .isInstanceOf(InterruptedException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        assertThat(Thread.interrupted())
                .as("the interrupt is consumed, as Thread.sleep does")
                .isFalse();
    }
}
