/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.it.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.common.definitions.Definition;
import io.cdpconnect.common.definitions.DefinitionKind;
import io.cdpconnect.common.definitions.DefinitionStore;
import io.cdpconnect.common.definitions.JdbcDefinitionSource;
import io.cdpconnect.testing.DefinitionTables;
import io.cdpconnect.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JDBC source against a real PostgreSQL, with the design notes' tables and default queries. */
class JdbcDefinitionSourceIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static TestPostgres pg;
    private static String url;

    @BeforeAll
    static void createTables() throws SQLException {
        pg = TestPostgres.get();
        url = pg.createDatabase("definitions");
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement()) {
            s.execute(DefinitionTables.EVENT_SCHEMAS);
            s.execute(DefinitionTables.EVENT_TEMPLATES);
        }
    }

    private static void upsertSchema(String type, int version, String schema) throws SQLException {
        try (Connection c = pg.connect(url);
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO event_schemas VALUES (?, ?, ?::jsonb, now()) ON CONFLICT (event_type, version)"
                                + " DO UPDATE SET schema = excluded.schema, updated_at = now()")) {
            ps.setString(1, type);
            ps.setInt(2, version);
            ps.setString(3, schema);
            ps.executeUpdate();
        }
    }

    private static JdbcDefinitionSource schemaSource(String query) {
        return new JdbcDefinitionSource(url, pg.user(), new Password(pg.password()), query);
    }

    @Test
    void schemaRowChangesApplyAfterTheRefreshIntervalWithoutReopening() throws Exception {
        upsertSchema("add_to_cart", 1, "{\"title\": \"v1\"}");
        upsertSchema("add_to_cart", 2, "{\"title\": \"v2\"}");
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        try (DefinitionStore<JsonNode> store = DefinitionStore.open(
                "jdbc-test",
                kind,
                schemaSource(DefinitionKind.SCHEMAS_QUERY),
                (d, r) -> MAPPER.readTree(d.body()),
                Duration.ofMillis(100))) {
            assertThat(store.latest("add_to_cart").get("title").asText()).isEqualTo("v2");
            assertThat(store.latestEntry("add_to_cart").definition().updatedAt())
                    .isNotNull();

            upsertSchema("add_to_cart", 2, "{\"title\": \"v2-fixed\"}");
            upsertSchema("page_view", 1, "{\"title\": \"pv\"}");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.latest("page_view") == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.latest("add_to_cart").get("title").asText()).isEqualTo("v2-fixed");
            assertThat(store.get("add_to_cart", 1).get("title").asText()).isEqualTo("v1");
            assertThat(store.latest("page_view").get("title").asText()).isEqualTo("pv");
        }
    }

    @Test
    void failedRefreshKeepsTheLastGoodSet() throws Exception {
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE flaky_schemas AS SELECT 'x'::text AS event_type, 1 AS version,"
                    + " '{\"title\": \"x\"}'::text AS schema");
        }
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        try (DefinitionStore<JsonNode> store = DefinitionStore.open(
                "jdbc-test",
                kind,
                schemaSource("SELECT event_type, version, schema FROM flaky_schemas"),
                (d, r) -> MAPPER.readTree(d.body()),
                Duration.ZERO)) {
            try (Connection c = pg.connect(url);
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE flaky_schemas");
            }
            assertThatThrownBy(store::reload).isInstanceOf(SQLException.class);
            assertThat(store.latest("x").get("title").asText()).isEqualTo("x");
        }
    }

    @Test
    void templatesTableWithTheDefaultQuery() throws Exception {
        try (Connection c = pg.connect(url);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO event_templates VALUES ('add_to_cart', 'value', '{{ user_id }}', now()),"
                    + " ('add_to_cart', 'headers.source', 'web', now()), ('page_view', 'topic', 'pv', now())");
        }
        DefinitionKind kind = DefinitionKind.templates();
        try (DefinitionStore<String> store = DefinitionStore.open(
                "jdbc-test",
                kind,
                new JdbcDefinitionSource(url, pg.user(), new Password(pg.password()), kind.defaultQuery()),
                (d, r) -> d.body(),
                Duration.ZERO)) {
            assertThat(store.named("add_to_cart")).containsOnlyKeys("value", "headers.source");
            assertThat(store.get("page_view", "topic")).isEqualTo("pv");
        }
    }

    @Test
    void aQueryThatCannotRunFailsTheOpenClearly() {
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        assertThatThrownBy(() -> DefinitionStore.open(
                        "jdbc-test",
                        kind,
                        schemaSource("SELECT event_type, version, schema FROM no_such_table"),
                        (d, r) -> d.body(),
                        Duration.ZERO))
                .hasMessageContaining("could not load schemas from jdbc")
                .hasMessageContaining("no_such_table");
        assertThatThrownBy(() -> DefinitionStore.open(
                        "jdbc-test",
                        kind,
                        schemaSource("SELECT event_type, version FROM event_schemas"),
                        (d, r) -> d.body(),
                        Duration.ZERO))
                .hasMessageContaining("must return event type, name and body");
    }

    @Test
    void oneConnectionIsReusedAndUnchangedTablesAreNotReadAgain() throws Exception {
        upsertSchema("reuse", 1, "{\"title\": \"r1\"}");
        JdbcDefinitionSource source = schemaSource(DefinitionKind.SCHEMAS_QUERY);
        try (source) {
            source.load();
            source.load();
            source.load();
            try (Connection c = pg.connect(url);
                    Statement s = c.createStatement();
                    java.sql.ResultSet rows = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            + "current_database() AND application_name = '" + JdbcDefinitionSource.APPLICATION_NAME
                            + "'")) {
                rows.next();
                assertThat(rows.getInt(1)).as("connections held by the source").isEqualTo(1);
            }
            assertThat(source.fullReads())
                    .as("unchanged rows are not read again")
                    .isEqualTo(1);
            upsertSchema("reuse", 1, "{\"title\": \"r2\"}");
            List<Definition> after = source.load();
            assertThat(source.fullReads()).isEqualTo(2);
            assertThat(after).anySatisfy(d -> assertThat(d.body()).contains("r2"));
        }
    }
}
