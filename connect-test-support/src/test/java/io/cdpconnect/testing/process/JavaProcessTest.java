/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing.process;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deployment that fails to start stops what it created, including processes that never started: stopping or
 * killing one must not throw (it threw a NullPointerException, which replaced the start failure's own exception).
 */
class JavaProcessTest {
    @Test
    void stoppingOrKillingAProcessThatNeverStartedDoesNothing() {
        JavaProcess never =
                new JavaProcess("never", List.of(), "unused", "Unused", List.of(), Path.of("target", "never.log"));
        assertDoesNotThrow(() -> never.stop(1));
        assertDoesNotThrow(never::kill);
        assertFalse(never.isAlive());
    }
}
