/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing;

/**
 * The definition tables of the design notes ({@code definitions.source=jdbc} with the default queries), as the tests
 * create them in a database of {@link TestPostgres}. The runner's {@code cdp-apply --definitions-jdbc} creates the
 * same tables for users.
 */
public final class DefinitionTables {

    /** JSON Schemas: one row per event type and version. */
    public static final String EVENT_SCHEMAS = "CREATE TABLE event_schemas (event_type text, version int,"
            + " schema jsonb, updated_at timestamptz, PRIMARY KEY (event_type, version))";

    /** Templates: one row per event type and template name. */
    public static final String EVENT_TEMPLATES = "CREATE TABLE event_templates (event_type text, name text,"
            + " template text, updated_at timestamptz, PRIMARY KEY (event_type, name))";

    private DefinitionTables() {}
}
