/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMT with schemas from a directory and from a PostgreSQL table, reloaded while it runs. */
class SchemaSourcesTest {

    private static SinkRecord record(Map<String, Object> value) {
        return new SinkRecord("events.raw", 0, null, null, null, value, 1L);
    }

    private static boolean isValid(JsonSchemaValidation<SinkRecord> smt, Map<String, Object> value) {
        try {
            return smt.apply(record(value)) != null;
        } catch (DataException e) {
            return false;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    @Test
    void directoryOfSchemaFilesIsReloaded(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("add_to_cart.json"), Events.addToCartSchema());
        JsonSchemaValidation<SinkRecord> smt = new JsonSchemaValidation.Value<>();
        smt.configure(Map.of(
                "definitions.source",
                "directory",
                "definitions.directory",
                dir.toString(),
                "definitions.refresh.ms",
                "100"));
        try {
            assertThat(isValid(smt, Events.map(1))).isTrue();
            assertThat(isValid(smt, Events.map(0))).isFalse();

            // version 2 in the <type>.v<N>.json convention: qty may now be 0 (e.g. a "remove" signal)
            Files.writeString(
                    dir.resolve("add_to_cart.v2.json"),
                    Events.addToCartSchema().replace("\"minimum\": 1", "\"minimum\": 0"));
            await("version 2 to apply", () -> isValid(smt, Events.map(0)));

            // a broken v3 is not picked up: v2 keeps validating
            Files.writeString(dir.resolve("add_to_cart.v3.json"), "{\"type\": \"object\", ");
            await(
                    "the broken v3 to be seen",
                    () -> JsonSchemaValidationTest.validatorOf(smt)
                            .schemas()
                            .errors()
                            .containsKey("add_to_cart/3"));
            assertThat(isValid(smt, Events.map(0))).isTrue();
            assertThat(isValid(smt, Events.map(-1))).isFalse();
        } finally {
            smt.close();
        }
    }

    @Test
    void postgresSchemaRowChangesApplyWithoutRestart() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("validate_smt");
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE event_schemas (event_type text, version int, schema jsonb, updated_at timestamptz,"
                    + " PRIMARY KEY (event_type, version))");
        }
        String upsert = "INSERT INTO event_schemas VALUES (?, ?, ?::jsonb, now()) ON CONFLICT (event_type, version)"
                + " DO UPDATE SET schema = excluded.schema, updated_at = now()";
        try (Connection c = pg.connect(url);
                PreparedStatement ps = c.prepareStatement(upsert)) {
            ps.setString(1, "add_to_cart");
            ps.setInt(2, 1);
            ps.setString(3, Events.addToCartSchema());
            ps.executeUpdate();
        }
        Map<String, Object> props = new HashMap<>();
        props.put("definitions.source", "jdbc");
        props.put("definitions.jdbc.url", url);
        props.put("definitions.jdbc.user", pg.user());
        props.put("definitions.jdbc.password", pg.password());
        props.put("definitions.refresh.ms", "200");
        JsonSchemaValidation<SinkRecord> smt = new JsonSchemaValidation.Value<>();
        smt.configure(props);
        try {
            Map<String, Object> bigOrder = Events.map(20);
            assertThat(isValid(smt, bigOrder)).isTrue();

            // tighten the contract in the database: at most 10 per line
            try (Connection c = pg.connect(url);
                    PreparedStatement ps = c.prepareStatement(upsert)) {
                ps.setString(1, "add_to_cart");
                ps.setInt(2, 1);
                ps.setString(3, Events.addToCartSchema().replace("\"minimum\": 1", "\"minimum\": 1, \"maximum\": 10"));
                ps.executeUpdate();
            }
            await("the updated row to apply", () -> !isValid(smt, bigOrder));
            assertThatThrownBy(() -> smt.apply(record(bigOrder))).hasMessageContaining("/properties/qty maximum");
            assertThat(isValid(smt, Events.map(10))).isTrue();

            // the database goes away: the last good set keeps validating
            try (Connection c = pg.connect(url);
                    Statement s = c.createStatement()) {
                s.execute("ALTER TABLE event_schemas RENAME TO event_schemas_gone");
            }
            Thread.sleep(600);
            assertThat(isValid(smt, Events.map(10))).isTrue();
            assertThat(isValid(smt, bigOrder)).isFalse();
        } finally {
            smt.close();
        }
    }
}
