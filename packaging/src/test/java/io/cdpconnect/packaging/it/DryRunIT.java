/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdpconnect.runner.PipelineApplier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cdp-apply --dry-run}: each shipped pipeline's samples run through the real SMTs and Kafka's built-ins,
 * loaded from the built bundle through Connect's plugin isolation, and end as their {@code expect} says; a sample
 * that ends otherwise makes the command exit 1, with the reasons printed.
 */
class DryRunIT {

    private static final Path PIPELINES = Path.of("pipelines");

    private record Run(int exit, String output) {}

    private static Run dryRun(Path samples, Path pipeline, String... overrides) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        String[] args = new String[5 + overrides.length];
        args[0] = "--dry-run";
        args[1] = samples.toString();
        args[2] = pipeline.toString();
        args[3] = "--bundle";
        args[4] = BundlePlugins.bundleDir();
        System.arraycopy(overrides, 0, args, 5, overrides.length);
        int exit = PipelineApplier.run(args, print, print);
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"event-routing", "event-store", "orders-to-customer-stats", "segments"})
    void shippedSamplesEndAsExpected(String pipeline) {
        Run run = dryRun(PIPELINES.resolve(pipeline).resolve("samples.jsonl"), PIPELINES.resolve(pipeline));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("dry run of " + pipeline)
                .contains(", 0 failed")
                .doesNotContainPattern("(?m)^  ✗ ");
    }

    @Test
    void eventRoutingShowsVerdictsRenderedRowsTablesAndDeadLetters() {
        Run run = dryRun(PIPELINES.resolve("event-routing/samples.jsonl"), PIPELINES.resolve("event-routing"));
        assertThat(run.output())
                .contains("validate   ✓ valid")
                .contains("\"line_total\":79.9") // rendered by the template from the file
                .contains("target     table events_add_to_cart")
                .contains("(root)  required: required property 'user_id' not found") // JSON pointer and message
                .contains("/ts  format:")
                .contains("outcome    DLQ events.raw.dlq");
    }

    @Test
    void theDryRunTestsTheFoldersSchemasWhereTheFileReadsThemFromADatabase() {
        Run run = dryRun(PIPELINES.resolve("event-store/samples.jsonl"), PIPELINES.resolve("event-store"));
        assertThat(run.output())
                .contains("dry run: inlined 6 schema(s) from schemas/")
                .contains("/properties/currency  pattern:");
    }

    @Test
    void predicatesAndNegateDecideWhichTransformRuns() {
        Run run = dryRun(
                PIPELINES.resolve("orders-to-customer-stats/samples.jsonl"),
                PIPELINES.resolve("orders-to-customer-stats"));
        assertThat(run.output())
                .contains("newOrdersOnly predicate isNewOrder is true (negate): skipped")
                .contains("newOrdersOnly predicate isNewOrder is false (negate): applied")
                .contains("✓ orders-customer-counters: dropped")
                .contains("target     aerospike test/customer_stats key c-42 (counters)")
                .contains("target     table orders");
    }

    @Test
    void aSampleThatEndsOtherwiseThanExpectedFailsTheRun() throws Exception {
        Path samples = Files.createTempFile(Path.of("target"), "samples", ".jsonl");
        Files.writeString(samples, """
                {"topic": "events.raw", "key": "u-1", "value": {"event_id": "e-1", "event_type": "add_to_cart", "ts": "2026-11-23T10:00:00Z", "properties": {"sku": "S", "qty": 1, "price": 1}}}
                """);
        Run run = dryRun(samples, PIPELINES.resolve("event-routing"));
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("✗ event-routing: dlq — expected written", "1 sample(s), 1 failed");
    }

    @Test
    void errorsToleranceNoneMeansTheTaskWouldFail() {
        Run run = dryRun(
                PIPELINES.resolve("event-routing/samples.jsonl"),
                PIPELINES.resolve("event-routing"),
                "errors.tolerance=none");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("the task FAILS (errors.tolerance=none)", "expected dlq");
    }

    @Test
    void anOverrideThatMatchesNothingFailsTheDryRun() {
        Run run =
                dryRun(PIPELINES.resolve("segments/samples.jsonl"), PIPELINES.resolve("segments"), "no.such.option=1");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("override no.such.option matches no key");
    }

    /**
     * The table a record lands in is the warehouse sink's own routing (its TableRouter, loaded from the bundle), not
     * a second copy of its rules: a character outside the BMP becomes one {@code _} per UTF-16 unit there, and a
     * name over 63 bytes is refused (the record is dead-lettered; a configured topic with such a name stops the
     * connector at its config), where a copy with a regex printed {@code orders_} and a table the sink never creates.
     */
    @Test
    void theTargetTableIsTheOneTheWarehouseSinkCreates() throws Exception {
        String longTopic = "t".repeat(64);
        Path pipeline = routingPipeline("\"topics.regex\": \"Orders.*|t+\"");
        Path samples = pipeline.resolve("samples.jsonl");
        Files.writeString(samples, """
                {"topic": "Orders\\uD83D\\uDE00", "key": "k", "value": {"id": 1}}
                {"topic": "%s", "key": "k", "value": {"id": 2}, "expect": "dlq"}
                """.formatted(longTopic));
        Run run = dryRun(samples, pipeline);
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("target     table orders__\n").contains("table name longer than 63 bytes");

        Path listed = routingPipeline("\"topics\": \"" + longTopic + "\"");
        Run refused = dryRun(samples, listed);
        assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output())
                .contains("the warehouse sink refuses this configuration")
                .contains("table name longer than 63 bytes");
    }

    private static Path routingPipeline(String topics) throws Exception {
        Path pipeline = Files.createTempDirectory(Path.of("target"), "routing");
        Files.writeString(pipeline.resolve("sink.json"), """
                {"name": "routing", "config": {
                  "connector.class": "io.cdpconnect.warehouse.WarehouseSinkConnector",
                  %s,
                  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
                  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                  "value.converter.schemas.enable": "false",
                  "warehouse.url": "jdbc:duckdb:x.duckdb",
                  "errors.tolerance": "all",
                  "errors.deadletterqueue.topic.name": "routing.dlq"}}
                """.formatted(topics));
        return pipeline;
    }
}
