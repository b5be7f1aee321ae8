/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import static io.cdpconnect.validate.Events.await;
import static io.cdpconnect.validate.Events.isValid;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SMT with schemas from a directory, reloaded while it runs; from a PostgreSQL table:
 * {@code it.inprocess.JdbcSchemaSourcesIT}.
 */
class SchemaSourcesTest {

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
}
