/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The render limit stops runaway templates; it must never fail a valid record because the task thread waited
 * (a loaded worker, a GC pause, a cold first render): seen in the multi-process fault matrix, where valid events
 * were dead-lettered with "rendering took longer than 1000 ms" while the box ran at load 20.
 */
class RenderTimeLimitTest {

    private static final RenderLimits LIMITS = new RenderLimits(50, 1_000_000, 1_000_000, 10_000);

    @AfterEach
    void end() {
        RenderState.end();
    }

    @Test
    void timeTheThreadSpendsWaitingDoesNotCountAgainstTheLimit() throws Exception {
        RenderState state = RenderState.begin(LIMITS, true);
        Thread.sleep(200); // descheduled, as under CPU contention: four times the limit of wall-clock time
        assertThatCode(() -> {
                    for (int i = 0; i < 10 * RenderState.CLOCK_CHECK_NODES; i++) {
                        state.beforeNode(false, 1);
                    }
                })
                .doesNotThrowAnyException();
    }

    @Test
    void aRenderThatBurnsMoreCpuThanTheLimitFailsAsATemplateError() {
        RenderState state = RenderState.begin(LIMITS, true);
        long start = RenderState.cpuNanos();
        long spin = 0;
        while (RenderState.cpuNanos() - start < 120_000_000L) {
            spin++; // a runaway template: CPU time, not waiting
        }
        long spun = spin;
        assertThatThrownBy(() -> {
                    for (int i = 0; i < RenderState.CLOCK_CHECK_NODES; i++) {
                        state.beforeNode(false, 7);
                    }
                })
                .isInstanceOf(RenderLimitException.class)
                .hasMessageContaining("limits.render.timeout.ms")
                .as("spun %d times", spun);
    }
}
