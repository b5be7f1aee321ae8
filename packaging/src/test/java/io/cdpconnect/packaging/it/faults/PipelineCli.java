/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Applies a pipeline folder exactly as a user does: {@code bin/cdp-apply URL FOLDER key=value...} in its own process. */
public final class PipelineCli {

    private PipelineCli() {}

    public static Path pipeline(String name) {
        return Path.of("pipelines", name).toAbsolutePath();
    }

    /** Runs {@code bin/cdp-apply}; fails with its output unless it exits 0. Returns the output. */
    public static String apply(String connectUrl, String pipeline, Map<String, String> overrides)
            throws IOException, InterruptedException {
        return apply(connectUrl, pipeline(pipeline), overrides);
    }

    /** Runs {@code bin/cdp-apply} on a pipeline folder anywhere (e.g. a copy under {@code target/}). */
    public static String apply(String connectUrl, Path folder, Map<String, String> overrides)
            throws IOException, InterruptedException {
        String pipeline = folder.getFileName().toString();
        Path script = Path.of("..", "bin", "cdp-apply").toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(script.toString(), connectUrl, folder.toString()));
        overrides.forEach((k, v) -> cmd.add(k + "=" + v));
        Path out = Files.createTempFile(Path.of("target"), "cdp-apply-", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bin/cdp-apply did not finish: " + Files.readString(out));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("bin/cdp-apply " + pipeline + " exited " + p.exitValue() + ":\n" + output);
        }
        return output;
    }
}
