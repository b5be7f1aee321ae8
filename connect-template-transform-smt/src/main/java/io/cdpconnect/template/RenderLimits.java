package io.cdpconnect.template;

/**
 * Bounds on what rendering one record may cost: wall time, output (and built string) size, loop iterations.
 *
 * @param timeoutMillis  longest time spent rendering one record's templates
 * @param maxOutputChars longest output of one template, and longest string a template may build
 * @param loopIterations most {@code for} loop iterations while rendering one record; also caps range() and
 *                       list/map sizes
 */
public record RenderLimits(long timeoutMillis, long maxOutputChars, int loopIterations) {

    public static final RenderLimits DEFAULT = new RenderLimits(1000, 1_048_576, 10_000);

    public RenderLimits {
        if (timeoutMillis <= 0 || maxOutputChars <= 0 || loopIterations <= 0) {
            throw new IllegalArgumentException("render limits must be positive");
        }
    }
}
