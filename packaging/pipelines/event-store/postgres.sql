-- Tables of the event-store pipeline's contracts (shared/design.md). The schemas themselves are the files in
-- schemas/: `bin/cdp-apply --definitions-jdbc URL ...` upserts them into event_schemas (and creates the table
-- when it is missing). The validation SMT re-reads the table every definitions.refresh.ms: change a file, apply
-- again, and the next records are validated against it, with no connector restart.
CREATE TABLE IF NOT EXISTS event_schemas (event_type text, version int, schema jsonb, updated_at timestamptz,
                                          PRIMARY KEY (event_type, version));
