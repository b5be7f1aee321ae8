/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate.it.inprocess;

import static io.cdpconnect.validate.Events.await;
import static io.cdpconnect.validate.Events.isValid;
import static io.cdpconnect.validate.Events.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.testing.DefinitionTables;
import io.cdpconnect.testing.TestPostgres;
import io.cdpconnect.validate.Events;
import io.cdpconnect.validate.JsonSchemaValidation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The SMT with schemas from a PostgreSQL table ({@code definitions.source=jdbc}), reloaded while it runs. */
class JdbcSchemaSourcesIT {

    @Test
    void postgresSchemaRowChangesApplyWithoutRestart() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String url = pg.createDatabase("validate_smt", DefinitionTables.EVENT_SCHEMAS);
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
