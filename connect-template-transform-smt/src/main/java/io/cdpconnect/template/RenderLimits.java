/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

/**
 * Bounds on what rendering one record may cost: wall time, output (and built string) size, loop iterations.
 *
 * @param timeoutMillis  longest time spent rendering one record's templates
 * @param maxOutputChars longest output of one template, and longest string a template may build
 * @param loopIterations most {@code for} loop iterations while rendering one record; also caps range()
 * @param maxCollectionEntries most entries of a list or map a template builds (literals, {@code append},
 *                       {@code update}); record data itself is not limited: only what a template iterates
 *                       (loop iterations) or emits (output size) is
 */
public record RenderLimits(long timeoutMillis, long maxOutputChars, int loopIterations, int maxCollectionEntries) {

    public static final RenderLimits DEFAULT = new RenderLimits(1000, 1_048_576, 10_000, 10_000);

    public RenderLimits {
        if (timeoutMillis <= 0 || maxOutputChars <= 0 || loopIterations <= 0 || maxCollectionEntries <= 0) {
            throw new IllegalArgumentException("render limits must be positive");
        }
    }
}
