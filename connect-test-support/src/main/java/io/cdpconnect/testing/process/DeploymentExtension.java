/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing.process;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * JUnit extension for multi-process tests: when a test fails, prints the tail of every broker and worker log of
 * the open deployments (the full logs stay under {@code target/multiproc/}); after the class, closes any deployment
 * it left open, so a failing test never leaves a JVM running.
 */
public final class DeploymentExtension implements TestWatcher, AfterAllCallback {

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (ConnectDeployment d : ConnectDeployment.OPEN) {
            System.err.println("=== " + context.getDisplayName() + " failed: " + cause);
            System.err.println(d.logTails(80));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (ConnectDeployment d : ConnectDeployment.OPEN) {
            d.close();
        }
    }
}
