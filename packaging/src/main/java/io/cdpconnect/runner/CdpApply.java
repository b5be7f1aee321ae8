/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code bin/cdp-apply} command line:
 * <pre>
 * cdp-apply [--plan] [--prune] [--definitions-jdbc URL [--definitions-user U] [--definitions-password P]]
 *           CONNECT_URL PIPELINE_DIR [key=value | connector-name:key=value ...]
 * cdp-apply --dry-run SAMPLES.jsonl PIPELINE_DIR [--bundle DIR] [key=value ...]
 * cdp-apply status CONNECT_URL PIPELINE [--bootstrap-servers HOST:PORT]
 * </pre>
 * Exit codes: 0 done, 1 invalid config / failed sample / failed connector, 2 usage error.
 */
final class CdpApply {

    static final String USAGE = """
            usage:
              cdp-apply [options] CONNECT_URL PIPELINE_DIR [key=value | connector-name:key=value ...]
                  validate every connector config, show what changes against the cluster, then PUT them
                  --plan                       show the changes only, apply nothing
                  --prune                      delete connectors labelled cdp.pipeline=<folder name> that the
                                               folder no longer has
                  --definitions-jdbc URL       upsert schemas/ and templates/ into event_schemas / event_templates
                                               of this PostgreSQL and point the SMTs at it (instead of inlining)
                  --definitions-user USER  --definitions-password PASSWORD
              cdp-apply --dry-run SAMPLES.jsonl PIPELINE_DIR [--bundle DIR] [key=value ...]
                  run each connector's transform chain offline on the sample records; exit 1 if a sample fails
              cdp-apply status CONNECT_URL PIPELINE [--bootstrap-servers HOST:PORT]
                  connector and task states (with a failed task's trace), sink lag and DLQ counts
            """;

    private CdpApply() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length > 0 && "status".equals(args[0])) {
                return status(args, out);
            }
            return applyOrDryRun(args, out);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("cdp-apply: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("cdp-apply: " + e);
            return 1;
        }
    }

    private static int applyOrDryRun(String[] args, PrintStream out) throws Exception {
        boolean plan = false;
        boolean prune = false;
        Path samples = null;
        Path bundle = null;
        String jdbcUrl = null;
        String jdbcUser = null;
        String jdbcPassword = null;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--plan" -> plan = true;
                case "--prune" -> prune = true;
                case "--dry-run" -> samples = Path.of(value(args, ++i, "--dry-run"));
                case "--bundle" -> bundle = Path.of(value(args, ++i, "--bundle"));
                case "--definitions-jdbc" -> jdbcUrl = value(args, ++i, "--definitions-jdbc");
                case "--definitions-user" -> jdbcUser = value(args, ++i, "--definitions-user");
                case "--definitions-password" -> jdbcPassword = value(args, ++i, "--definitions-password");
                case "-h", "--help" -> throw new UsageException("");
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new UsageException("unknown option " + args[i]);
                    }
                    positional.add(args[i]);
                }
            }
        }
        if (samples != null) {
            if (positional.isEmpty()) {
                throw new UsageException("--dry-run needs SAMPLES.jsonl and PIPELINE_DIR");
            }
            PipelineApplier.Pipeline pipeline =
                    PipelineApplier.load(Path.of(positional.get(0)), overrides(positional, 1), null, true);
            try (DryRun dryRun = DryRun.open(bundle != null ? bundle : LocalRunner.defaultBundle(), out)) {
                return dryRun.run(pipeline, samples).failed() > 0 ? 1 : 0;
            }
        }
        if (positional.size() < 2) {
            throw new UsageException("need CONNECT_URL and PIPELINE_DIR");
        }
        PipelineDefinitions.JdbcTarget jdbc =
                jdbcUrl == null ? null : new PipelineDefinitions.JdbcTarget(jdbcUrl, jdbcUser, jdbcPassword);
        PipelineApplier.Pipeline pipeline =
                PipelineApplier.load(Path.of(positional.get(1)), overrides(positional, 2), jdbc, false);
        PipelineApplier applier = new PipelineApplier(positional.get(0), out);
        int invalid = applier.validate(pipeline.connectors());
        if (invalid > 0) {
            out.printf("%d problem(s); nothing applied%n", invalid);
            return 1;
        }
        out.println("changes against " + positional.get(0) + ":");
        PipelineApplier.Plan changes = applier.plan(pipeline.connectors());
        if (plan) {
            out.println("--plan: nothing applied");
            return 0;
        }
        List<PipelineDefinitions.JdbcTarget> targets = jdbc != null
                ? List.of(jdbc)
                : pipeline.definitions()
                        .databaseTargets(pipeline.connectors().stream()
                                .map(PipelineApplier.ConnectorConfig::config)
                                .toList());
        for (PipelineDefinitions.JdbcTarget target : targets) {
            int rows;
            try {
                rows = pipeline.definitions().upsert(target);
            } catch (java.sql.SQLException | RuntimeException e) {
                out.printf(
                        "cannot upsert the folder's definitions into %s, which the pipeline reads them from: %s%n"
                                + "pass --definitions-jdbc URL (with --definitions-user/--definitions-password) naming that "
                                + "database as this machine reaches it; nothing applied%n",
                        target.describe(), e.getMessage());
                return 1;
            }
            out.printf(
                    "→ definitions: %d row(s) inserted or changed in %s (%d schema(s), %d template(s))%n",
                    rows,
                    target.describe(),
                    pipeline.definitions().schemas().size(),
                    pipeline.definitions().templates().size());
        }
        if (changes.changesNothing()) {
            out.println("every connector is up to date");
        } else {
            applier.apply(pipeline.connectors());
        }
        if (prune) {
            applier.prune(pipeline.connectors());
        } else if (!changes.orphaned().isEmpty()) {
            out.printf(
                    "%d connector(s) of this pipeline are no longer in the folder; --prune deletes them%n",
                    changes.orphaned().size());
        }
        return 0;
    }

    private static int status(String[] args, PrintStream out) {
        String bootstrap = null;
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if ("--bootstrap-servers".equals(args[i])) {
                bootstrap = value(args, ++i, args[i - 1]);
            } else if (args[i].startsWith("--")) {
                throw new UsageException("unknown option " + args[i]);
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.size() != 2) {
            throw new UsageException("status needs CONNECT_URL and PIPELINE");
        }
        return new PipelineStatus(positional.get(0), bootstrap, out).print(positional.get(1));
    }

    private static List<Overrides.Override> overrides(List<String> positional, int from) {
        List<Overrides.Override> overrides = new ArrayList<>();
        for (int i = from; i < positional.size(); i++) {
            overrides.add(Overrides.parse(positional.get(i)));
        }
        return overrides;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
