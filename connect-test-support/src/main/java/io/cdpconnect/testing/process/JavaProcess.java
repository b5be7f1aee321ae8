/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One JVM started from a class path and a main class, its stdout and stderr appended to a log file that stays
 * after the process ends. Every live process is also ended by a JVM shutdown hook, so an aborted test run leaves
 * no broker or worker behind.
 */
public final class JavaProcess {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "cdp-process-reaper"));
    }

    private final String name;
    private final List<String> command;
    private final Path log;
    private volatile Process process;

    public JavaProcess(
            String name, List<String> jvmOptions, String classPath, String mainClass, List<String> args, Path log) {
        this.name = name;
        this.log = log;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        this.command = List.copyOf(cmd);
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** Starts the process (again, after a kill or stop), appending to the same log. */
    public synchronized void start() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Files.createDirectories(log.getParent());
        Files.writeString(
                log,
                "=== start " + name + " " + java.time.Instant.now() + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("CLASSPATH"); // the class path is libs/ and nothing else
        process = builder.start();
        LIVE.add(process);
    }

    /** Runs the process to completion (a tool such as the storage formatter) and fails on a non-zero exit. */
    public void runToCompletion(long timeoutSeconds) throws IOException, InterruptedException {
        start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException(name + " did not finish in " + timeoutSeconds + " s; log: " + log);
        }
        LIVE.remove(process);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited " + process.exitValue() + ":\n" + tail(40));
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed, as when the kernel kills an OOM JVM. */
    public synchronized void kill() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly(); // SIGKILL on Unix
            p.waitFor(30, TimeUnit.SECONDS);
        }
        forget(p);
    }

    /** SIGTERM and a wait for a clean shutdown (SIGKILL after {@code graceSeconds}). */
    public synchronized void stop(long graceSeconds) throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy(); // SIGTERM: the JVM runs its shutdown hooks (Connect stops its tasks and leaves the group)
            if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
        forget(p);
    }

    /**
     * Drops {@code p} from the processes the reaper kills at exit; a process that never started is null (a
     * deployment whose start failed stops all of its processes, and an exception here would hide that failure).
     */
    private static void forget(Process p) {
        if (p != null) {
            LIVE.remove(p);
        }
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + (isAlive() ? " (pid " + pid() + ")" : " (stopped)");
    }
}
