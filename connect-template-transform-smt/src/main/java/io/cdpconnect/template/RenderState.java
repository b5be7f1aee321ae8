/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * What one record's render has used so far and which undefined names it met. Jinjava calls back into the
 * sandbox through shared, stateless hooks (the EL resolver, the node pre-processor, filters), so the state of
 * the render in progress is reached through a thread-local: a task renders its records on one thread.
 */
final class RenderState {

    private static final ThreadLocal<RenderState> CURRENT = new ThreadLocal<>();

    private final RenderLimits limits;
    private final boolean failOnUndefined;
    /** The render's CPU-time budget on this thread ({@link #cpuNanos()}), not wall-clock time: see {@link #beforeNode}. */
    private final long deadlineNanos;

    private int nodesSinceClockCheck;
    private int loopIterations;
    private final List<Undefined> undefined = new ArrayList<>(2);
    /** Index into {@link #undefined} where the node being rendered started. */
    private int nodeStart;
    /** For each {@code default}/{@code defined} call being evaluated: the undefined count when it began. */
    private int[] calls = new int[8];

    private int callDepth;

    private RenderState(RenderLimits limits, boolean failOnUndefined) {
        this.limits = limits;
        this.failOnUndefined = failOnUndefined;
        this.deadlineNanos = cpuNanos() + limits.timeoutMillis() * 1_000_000L;
    }

    static final int CLOCK_CHECK_NODES = 32;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_CLOCK = cpuClockAvailable();

    private static boolean cpuClockAvailable() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** This thread's CPU time where the JVM measures it, else wall-clock time. */
    static long cpuNanos() {
        return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    static RenderState begin(RenderLimits limits, boolean failOnUndefined) {
        RenderState state = new RenderState(limits, failOnUndefined);
        CURRENT.set(state);
        return state;
    }

    static void end() {
        CURRENT.remove();
    }

    /** The render in progress on this thread, or null outside a render (e.g. while compiling). */
    static RenderState current() {
        return CURRENT.get();
    }

    /** Called before every template node renders. */
    void beforeNode(boolean loopIteration, int line) {
        nodeStart = undefined.size();
        callDepth = 0;
        if (loopIteration && ++loopIterations > limits.loopIterations()) {
            throw new RenderLimitException(
                    "more than " + limits.loopIterations() + " loop iterations (limits.loop.iterations)", line);
        }
        // The limit stops a runaway template, which burns CPU. Wall-clock time would also count the time this
        // thread waits for a core (a loaded worker, GC, a cold first render) and dead-letter valid records, so the
        // budget is the thread's CPU time, read every CLOCK_CHECK_NODES nodes because reading it costs a syscall.
        if (++nodesSinceClockCheck >= CLOCK_CHECK_NODES) {
            nodesSinceClockCheck = 0;
            if (cpuNanos() - deadlineNanos > 0) {
                throw new RenderLimitException(
                        "rendering used more than " + limits.timeoutMillis()
                                + " ms of CPU time (limits.render.timeout.ms)",
                        line);
            }
        }
    }

    /** A reference to a variable or field that does not exist. */
    void undefined(String name, int line) {
        if (undefined.size() < 16) {
            undefined.add(new Undefined(name, line));
        }
    }

    /**
     * Jinjava looks a method name up as a property before calling it ({@code value.items()} first reads
     * {@code value.items}); that lookup is not a reference to a missing field, so the call takes it back.
     */
    void retractLookup(String name) {
        int last = undefined.size() - 1;
        if (last >= nodeStart && last >= 0 && undefined.get(last).name().equals(name)) {
            undefined.remove(last);
        }
    }

    /**
     * Jinjava looks a filter or test up just before evaluating its input and arguments: the moment a
     * {@code default}/{@code defined} call begins.
     */
    void beginForgivingCall() {
        if (callDepth == calls.length) {
            calls = java.util.Arrays.copyOf(calls, callDepth * 2);
        }
        calls[callDepth++] = undefined.size();
    }

    /**
     * A {@code default}/{@code defined} call ends, as Jinja's StrictUndefined would see it: a missing input is
     * handled (its undefined reference is not an error, though an argument used in its place still is); with
     * the input present the arguments are not used, so their undefined references do not count either.
     */
    void endForgivingCall(boolean inputMissing) {
        int from = callDepth > 0 ? calls[--callDepth] : nodeStart;
        if (inputMissing) {
            if (undefined.size() > from) {
                undefined.remove(from);
            }
        } else {
            while (undefined.size() > from) {
                undefined.remove(undefined.size() - 1);
            }
        }
    }

    boolean failOnUndefined() {
        return failOnUndefined;
    }

    /** The first undefined reference that was not handled, or null. */
    Undefined firstUndefined() {
        return undefined.isEmpty() ? null : undefined.get(0);
    }

    /** A reference to a missing variable or field, and the template line it is on. */
    record Undefined(String name, int line) {}

    void clearUndefined() {
        undefined.clear();
        nodeStart = 0;
    }
}
