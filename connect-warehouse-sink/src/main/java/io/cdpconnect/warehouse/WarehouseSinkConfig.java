/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse;

import io.cdpconnect.common.config.CrossOptionChecks;
import io.cdpconnect.common.config.EnumOptions;
import io.cdpconnect.common.config.Validators;
import io.cdpconnect.warehouse.dialect.ConnectionSettings;
import io.cdpconnect.warehouse.record.TableRouter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/** Configuration of {@link WarehouseSinkConnector} and its tasks. */
public final class WarehouseSinkConfig extends AbstractConfig {

    public enum InsertMode {
        INSERT,
        UPSERT
    }

    public enum PkMode {
        NONE,
        RECORD_KEY,
        RECORD_VALUE
    }

    public enum PartitionInterval {
        NONE,
        DAY,
        MONTH
    }

    /** What partition.retention does with a partition older than the intervals it keeps. */
    public enum RetentionAction {
        DETACH,
        DROP
    }

    /** copy is accepted as another name for auto (bulk loading wherever the database has it). */
    public enum WriteMethod {
        AUTO,
        COPY,
        JDBC
    }

    /** Envelope of change events: none (a record is a row), cdp-mongo, debezium. */
    public enum CdcFormat {
        NONE,
        CDP_MONGO,
        DEBEZIUM
    }

    /** What a truncate change event does. */
    public enum CdcTruncate {
        FAIL,
        SKIP
    }

    /** What a change event's delete does to the row: remove it, or keep it and mark it deleted. */
    public enum CdcDeleteMode {
        HARD,
        SOFT
    }

    /** What exactly-once does when the stored offset is beyond what a partition holds now. */
    public enum OffsetResetPolicy {
        FAIL,
        CONTINUE
    }

    /** What an upsert does with a table column the record does not carry. */
    public enum MissingFields {
        NULL,
        KEEP
    }

    private static final String CONNECTION = "Connection";
    private static final String TABLES = "Tables";
    private static final String MAPPING = "Mapping";
    private static final String WRITES = "Writes";
    private static final String DELIVERY = "Delivery";
    private static final String SECURITY = "Security";

    public static final String URL = "warehouse.url";
    public static final String USER = "warehouse.user";
    public static final String PASSWORD = "warehouse.password";
    public static final String SCHEMA = "warehouse.schema";

    public static final String TLS_MODE = "warehouse.tls.mode";
    public static final String TLS_ROOT_CERT = "warehouse.tls.root.cert";
    public static final String TLS_CERT = "warehouse.tls.cert";
    public static final String TLS_KEY = "warehouse.tls.key";
    public static final String TLS_KEY_PASSWORD = "warehouse.tls.key.password";

    public static final String TABLE_NAME_FORMAT = "table.name.format";
    public static final String AUTO_CREATE = "auto.create";
    public static final String AUTO_EVOLVE = "auto.evolve";
    public static final String PARTITION_COLUMN = "partition.column";
    public static final String PARTITION_INTERVAL = "partition.interval";
    public static final String PARTITION_RETENTION = "partition.retention";
    public static final String PARTITION_RETENTION_ACTION = "partition.retention.action";
    public static final String PARTITION_MAINTENANCE_INTERVAL_MS = "partition.maintenance.interval.ms";
    public static final String TABLE_ROUTING_MAX_TABLES = "table.routing.max.tables";
    public static final String DECIMAL_SCALE = "decimal.scale";

    public static final String FIELDS_MAPPING = "fields.mapping";
    public static final String FIELDS_INCLUDE = "fields.include";
    public static final String FIELDS_EXCLUDE = "fields.exclude";
    public static final String RAW_COLUMN = "raw.column";

    public static final String INSERT_MODE = "insert.mode";
    public static final String PK_MODE = "pk.mode";
    public static final String PK_FIELDS = "pk.fields";
    public static final String DELETE_ENABLED = "delete.enabled";
    public static final String UPSERT_MISSING_FIELDS = "upsert.missing.fields";
    public static final String CDC_FORMAT = "cdc.format";
    public static final String CDC_TRUNCATE = "cdc.truncate";
    public static final String CDC_DELETE_MODE = "cdc.delete.mode";
    public static final String CDC_DELETE_COLUMN = "cdc.delete.column";
    public static final String CDC_DELETE_COLUMN_DEFAULT = "__deleted_at";
    public static final String BATCH_SIZE = "batch.size";
    public static final String WRITE_METHOD = "write.method";
    public static final String FLUSH_INTERVAL_MS = "flush.interval.ms";

    public static final String EXACTLY_ONCE = "exactly.once";
    public static final String OFFSETS_TABLE = "offsets.table";
    public static final String EXACTLY_ONCE_ON_OFFSET_RESET = "exactly.once.on.offset.reset";
    public static final String MAX_RETRIES = "max.retries";
    public static final String OFFSETS_READ_MAX_RETRIES = "offsets.read.max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String CIRCUIT_BREAKER_RATIO = "circuit.breaker.ratio";
    public static final String CIRCUIT_BREAKER_MIN_FAILURES = "circuit.breaker.min.failures";

    public static final String DEFAULT_URL = "jdbc:duckdb:cdp-warehouse.duckdb";

    public static final ConfigDef CONFIG_DEF = configDef();

    public WarehouseSinkConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        validateCombinations();
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(
                URL,
                Type.STRING,
                DEFAULT_URL,
                Validators.nonBlank(),
                Importance.HIGH,
                "JDBC URL of the warehouse: jdbc:postgresql://host:5432/db or jdbc:duckdb:/path/file.duckdb. "
                        + "The default is a DuckDB file in the worker's working directory (zero setup).",
                CONNECTION,
                ++order,
                Width.LONG,
                "Warehouse JDBC URL");
        def.define(
                USER,
                Type.STRING,
                "",
                Importance.HIGH,
                "Database user (PostgreSQL).",
                CONNECTION,
                ++order,
                Width.MEDIUM,
                "User");
        def.define(
                PASSWORD,
                Type.PASSWORD,
                "",
                Importance.HIGH,
                "Database password. Works with config providers, e.g. ${file:/secrets/pg.properties:password}.",
                CONNECTION,
                ++order,
                Width.MEDIUM,
                "Password");
        def.define(
                SCHEMA,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Database schema the tables live in; empty means the connection's current schema "
                        + "(public on PostgreSQL, main on DuckDB).",
                CONNECTION,
                ++order,
                Width.MEDIUM,
                "Schema");

        order = 0;
        def.define(
                TLS_MODE,
                Type.STRING,
                "prefer",
                ConfigDef.ValidString.in("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
                Importance.MEDIUM,
                "TLS mode passed to the PostgreSQL driver (sslmode).",
                SECURITY,
                ++order,
                Width.SHORT,
                "TLS mode");
        def.define(
                TLS_ROOT_CERT,
                Type.STRING,
                "",
                Importance.LOW,
                "PEM file with the CA certificate(s) that sign the server's certificate (sslrootcert).",
                SECURITY,
                ++order,
                Width.LONG,
                "TLS root certificate");
        def.define(
                TLS_CERT,
                Type.STRING,
                "",
                Importance.LOW,
                "Client certificate file for mutual TLS (sslcert).",
                SECURITY,
                ++order,
                Width.LONG,
                "TLS client certificate");
        def.define(
                TLS_KEY,
                Type.STRING,
                "",
                Importance.LOW,
                "Client key file for mutual TLS (sslkey, PKCS-8 DER or PKCS-12).",
                SECURITY,
                ++order,
                Width.LONG,
                "TLS client key");
        def.define(
                TLS_KEY_PASSWORD,
                Type.PASSWORD,
                "",
                Importance.LOW,
                "Password of the client key (sslpassword).",
                SECURITY,
                ++order,
                Width.MEDIUM,
                "TLS key password");

        order = 0;
        def.define(
                TABLE_NAME_FORMAT,
                Type.STRING,
                "${topic}",
                Validators.nonBlank(),
                Importance.HIGH,
                "Target table name. ${topic} is the record's topic; ${path} is a value field by dotted path, e.g. "
                        + "events_${event_type}. The result is lower-cased and characters other than letters, digits "
                        + "and _ become _. A record whose routing field is missing goes to the dead-letter queue.",
                TABLES,
                ++order,
                Width.LONG,
                "Table name format");
        def.define(
                TABLE_ROUTING_MAX_TABLES,
                Type.INT,
                1000,
                ConfigDef.Range.atLeast(1),
                Importance.MEDIUM,
                "Most tables value-based routing (a ${field} in table.name.format) may lead to: a task fails, naming "
                        + "the value and this option, before it routes to more distinct tables than this, or before "
                        + "the connector's tables (those it created, counted in the database across tasks and "
                        + "restarts) would exceed it. Guards against routing on a field with unbounded values "
                        + "(an id instead of a type). Topic-only formats are bounded by the topics and not capped.",
                TABLES,
                ++order,
                Width.SHORT,
                "Routing: max tables");
        def.define(
                AUTO_CREATE,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Create a missing table from the first records' fields.",
                TABLES,
                ++order,
                Width.SHORT,
                "Auto create");
        def.define(
                AUTO_EVOLVE,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Add nullable columns for new fields. Columns are never dropped or narrowed.",
                TABLES,
                ++order,
                Width.SHORT,
                "Auto evolve");
        def.define(
                PARTITION_COLUMN,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Column (after mapping) holding the event time; with partition.interval, auto-created PostgreSQL "
                        + "tables are range-partitioned on it; partitions are created on demand and, for the current and the "
                        + "next interval, ahead of time (partition.maintenance.interval.ms). The column is a "
                        + "timestamptz; accepted: Connect Timestamps, ISO-8601 text (instant, offset, zoned or local "
                        + "date-time taken as UTC, date at midnight UTC, a space for the T) or epoch milliseconds "
                        + "as a number; text of digits is a record error (its unit is ambiguous).",
                TABLES,
                ++order,
                Width.MEDIUM,
                "Partition column");
        def.define(
                PARTITION_INTERVAL,
                Type.STRING,
                "none",
                enumValidator(PartitionInterval.values()),
                Importance.MEDIUM,
                "Partition size: none, day or month (PostgreSQL only; DuckDB has no partitions and ignores "
                        + "it with a warning).",
                TABLES,
                ++order,
                Width.SHORT,
                "Partition interval",
                enumRecommender(PartitionInterval.values()));
        def.define(
                PARTITION_RETENTION,
                Type.INT,
                0,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Partitions to keep attached, counted in partition.interval units and including the current one "
                        + "(13 with month: this month and the 12 before it); older partitions are archived by "
                        + "partition.retention.action on the partition.maintenance.interval.ms schedule. The current "
                        + "and future partitions are never touched. A record whose event time falls before the kept "
                        + "intervals is not written: it goes to the dead-letter queue with the reason. 0 (default) "
                        + "keeps every partition. PostgreSQL with partition.interval only (DuckDB has no partitions).",
                TABLES,
                ++order,
                Width.SHORT,
                "Partition retention");
        def.define(
                PARTITION_RETENTION_ACTION,
                Type.STRING,
                "detach",
                enumValidator(RetentionAction.values()),
                Importance.MEDIUM,
                "What partition.retention does with a partition older than it keeps: detach (default) turns it into "
                        + "a table of its own, rows kept, that can be re-attached by hand (ALTER TABLE <table> ATTACH "
                        + "PARTITION <partition> FOR VALUES FROM (...) TO (...)); drop detaches and then drops it, "
                        + "deleting its rows. Each is logged and counted (partitions-detached, partitions-dropped).",
                TABLES,
                ++order,
                Width.SHORT,
                "Partition retention action",
                enumRecommender(RetentionAction.values()));
        def.define(
                PARTITION_MAINTENANCE_INTERVAL_MS,
                Type.LONG,
                3_600_000L,
                ConfigDef.Range.atLeast(1_000L),
                Importance.LOW,
                "How often each task, in the background, creates the partitions of the current and the next "
                        + "interval ahead of time (so the first event of a month or day waits on no DDL) and applies "
                        + "partition.retention. It also runs when the task starts. Partitioned tables only.",
                TABLES,
                ++order,
                Width.SHORT,
                "Partition maintenance interval (ms)");
        def.define(
                DECIMAL_SCALE,
                Type.INT,
                18,
                ConfigDef.Range.between(0, 38),
                Importance.LOW,
                "Fractional digits of the decimal columns the sink creates on DuckDB, which needs a fixed scale: "
                        + "DECIMAL(38, decimal.scale). A value with more fractional digits than its column holds goes "
                        + "to the dead-letter queue; it is never rounded. PostgreSQL columns are unconstrained "
                        + "numeric and hold any scale.",
                TABLES,
                ++order,
                Width.SHORT,
                "Decimal scale (DuckDB)");

        order = 0;
        def.define(
                FIELDS_MAPPING,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Explicit columns as path:column pairs (e.g. properties.sku:sku,user_id:user_id); a bare path uses "
                        + "its last segment as column name. When set, only these columns (plus keys and raw.column) "
                        + "are written.",
                MAPPING,
                ++order,
                Width.LONG,
                "Field mapping");
        def.define(
                FIELDS_INCLUDE,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Top-level fields to write when no mapping is given; empty means all.",
                MAPPING,
                ++order,
                Width.LONG,
                "Included fields");
        def.define(
                FIELDS_EXCLUDE,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Top-level fields never written as columns.",
                MAPPING,
                ++order,
                Width.LONG,
                "Excluded fields");
        def.define(
                RAW_COLUMN,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Column receiving the whole value as JSONB (PostgreSQL) or JSON (DuckDB): the event-store pattern. "
                        + "With it, other fields are written only when named in fields.mapping or fields.include.",
                MAPPING,
                ++order,
                Width.MEDIUM,
                "Raw JSON column");

        order = 0;
        def.define(
                INSERT_MODE,
                Type.STRING,
                "insert",
                enumValidator(InsertMode.values()),
                Importance.HIGH,
                "insert appends rows; upsert inserts or updates by primary key.",
                WRITES,
                ++order,
                Width.SHORT,
                "Insert mode",
                enumRecommender(InsertMode.values()));
        def.define(
                PK_MODE,
                Type.STRING,
                "none",
                enumValidator(PkMode.values()),
                Importance.HIGH,
                "Where the primary key comes from: none, record_key (the Kafka key: a primitive becomes the column "
                        + "named by pk.fields, default id; a struct/map/JSON object gives its fields) or record_value "
                        + "(the columns named in pk.fields).",
                WRITES,
                ++order,
                Width.SHORT,
                "Primary key mode",
                enumRecommender(PkMode.values()));
        def.define(
                PK_FIELDS,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Primary key column names (see pk.mode).",
                WRITES,
                ++order,
                Width.LONG,
                "Primary key fields");
        def.define(
                DELETE_ENABLED,
                Type.BOOLEAN,
                false,
                Importance.MEDIUM,
                "Delete the row whose key is in a tombstone (null value); needs pk.mode=record_key. When false, "
                        + "tombstones are skipped (they carry no row).",
                WRITES,
                ++order,
                Width.SHORT,
                "Delete on tombstone");
        def.define(
                UPSERT_MISSING_FIELDS,
                Type.STRING,
                "null",
                enumValidator(MissingFields.values()),
                Importance.MEDIUM,
                "With insert.mode=upsert, what happens to a column of the table that a record does not carry, decided "
                        + "for each record on its own: null sets it to NULL (the row becomes exactly the record: right "
                        + "for full documents and CDC after-images; columns filled by anything else are nulled too), "
                        + "keep leaves the stored value (partial updates). A field present with a null value is "
                        + "written as NULL either way.",
                WRITES,
                ++order,
                Width.SHORT,
                "Upsert: missing fields",
                enumRecommender(MissingFields.values()));
        def.define(
                CDC_FORMAT,
                Type.STRING,
                "none",
                EnumOptions.validator(CdcFormat.values(), '-'),
                Importance.HIGH,
                "Records are change events to apply: cdp-mongo (this project's MongoDB source: operation, "
                        + "full_document, key {_id}) or debezium (op, after, before; key = the primary key). insert, "
                        + "read (snapshot), update and replace upsert the after-image; delete (and a tombstone) "
                        + "deletes the row by the record key; collection-level events change no row. Needs "
                        + "insert.mode=upsert and pk.mode=record_key. none: every record is a row.",
                WRITES,
                ++order,
                Width.SHORT,
                "CDC envelope",
                EnumOptions.recommender(CdcFormat.values(), '-'));
        def.define(
                CDC_TRUNCATE,
                Type.STRING,
                "fail",
                enumValidator(CdcTruncate.values()),
                Importance.LOW,
                "A truncate change event (Debezium op t): fail stops the task so you decide what the warehouse "
                        + "table should do; skip logs it and keeps the table's rows.",
                WRITES,
                ++order,
                Width.SHORT,
                "CDC truncate",
                enumRecommender(CdcTruncate.values()));
        def.define(
                CDC_DELETE_MODE,
                Type.STRING,
                "hard",
                enumValidator(CdcDeleteMode.values()),
                Importance.MEDIUM,
                "What a delete change event (and its tombstone) does with cdc.format: hard deletes the row; soft "
                        + "keeps it and sets cdc.delete.column to the event's time (the record timestamp: the MongoDB "
                        + "source sets it to the change's wall time). Every upsert writes that column as NULL, so a later insert "
                        + "or update of the key makes the row live again.",
                WRITES,
                ++order,
                Width.SHORT,
                "CDC delete mode",
                enumRecommender(CdcDeleteMode.values()));
        def.define(
                CDC_DELETE_COLUMN,
                Type.STRING,
                CDC_DELETE_COLUMN_DEFAULT,
                new ConfigDef.NonEmptyString(),
                Importance.LOW,
                "With cdc.delete.mode=soft: the timestamp column (created as timestamptz / TIMESTAMPTZ) that marks a "
                        + "deleted row; NULL while the row is live. Query live rows with WHERE "
                        + CDC_DELETE_COLUMN_DEFAULT + " IS NULL.",
                WRITES,
                ++order,
                Width.MEDIUM,
                "CDC soft-delete column");
        def.define(
                BATCH_SIZE,
                Type.INT,
                10_000,
                ConfigDef.Range.between(1, 1_000_000),
                Importance.MEDIUM,
                "Rows buffered before a write; the buffer is also written at every offset commit.",
                WRITES,
                ++order,
                Width.SHORT,
                "Batch size");
        def.define(
                FLUSH_INTERVAL_MS,
                Type.LONG,
                2_000L,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Longest time a row waits in the buffer before it is written, however small the batch; the buffer "
                        + "is also written at every offset commit (offset.flush.interval.ms), and as soon as a poll "
                        + "brings fewer records than max.poll.records (consumer.override.max.poll.records, default "
                        + "500), i.e. once the consumer has caught up.",
                WRITES,
                ++order,
                Width.SHORT,
                "Flush interval (ms)");
        def.define(
                WRITE_METHOD,
                Type.STRING,
                "auto",
                enumValidator(WriteMethod.values()),
                Importance.LOW,
                "auto (or copy, the same) uses PostgreSQL COPY (straight into the table, or through a staging "
                        + "table for upsert) and DuckDB's Appender for inserts; jdbc forces bound multi-row INSERTs "
                        + "everywhere. Every method converts values the same way and stores the same rows.",
                WRITES,
                ++order,
                Width.SHORT,
                "Write method",
                enumRecommender(WriteMethod.values()));

        order = 0;
        def.define(
                EXACTLY_ONCE,
                Type.BOOLEAN,
                false,
                Importance.HIGH,
                "Commit rows and consumed offsets in one database transaction (offsets.table) and rewind to the "
                        + "stored offsets on start and rebalance: every record lands exactly once.",
                DELIVERY,
                ++order,
                Width.SHORT,
                "Exactly once");
        def.define(
                OFFSETS_TABLE,
                Type.STRING,
                "cdp_connect_offsets",
                Validators.nonBlank(),
                Importance.LOW,
                "Table holding consumed offsets for exactly.once.",
                DELIVERY,
                ++order,
                Width.MEDIUM,
                "Offsets table");
        def.define(
                EXACTLY_ONCE_ON_OFFSET_RESET,
                Type.STRING,
                "fail",
                enumValidator(OffsetResetPolicy.values()),
                Importance.MEDIUM,
                "With exactly.once, what to do when a partition's first record after rewinding to the stored offset "
                        + "is before it (the topic was deleted and re-created, or its offsets reset): fail stops the "
                        + "task with the cause and how to reset the stored offsets (DELETE or PATCH "
                        + "/connectors/<name>/offsets); continue writes from the record the partition delivers. "
                        + "Skipping those records as already written is never an option.",
                DELIVERY,
                ++order,
                Width.SHORT,
                "Exactly once: on offset reset",
                enumRecommender(OffsetResetPolicy.values()));
        def.define(
                MAX_RETRIES,
                Type.INT,
                30,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Consecutive retriable failures (lost connection, timeout, deadlock) of writes before the task "
                        + "fails; Connect redelivers the records after each one.",
                DELIVERY,
                ++order,
                Width.SHORT,
                "Max retries");
        def.define(
                OFFSETS_READ_MAX_RETRIES,
                Type.INT,
                30,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "With exactly.once: attempts, retry.backoff.ms apart, to read the stored offsets when partitions "
                        + "are assigned, before the task fails. Apart from max.retries, which counts failed writes "
                        + "(it used to count both).",
                DELIVERY,
                ++order,
                Width.SHORT,
                "Offsets read max retries");
        def.define(
                RETRY_BACKOFF_MS,
                Type.LONG,
                2_000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Wait before Connect redelivers after a retriable failure.",
                DELIVERY,
                ++order,
                Width.SHORT,
                "Retry backoff (ms)");
        def.define(
                CIRCUIT_BREAKER_RATIO,
                Type.DOUBLE,
                0.5,
                ConfigDef.Range.between(0.0, 1.0),
                Importance.MEDIUM,
                "When at least this share of a batch's rows is rejected by the database for the same reason (same "
                        + "SQLSTATE or DuckDB error type), the cause is the table or the database, not the records: "
                        + "the task fails with the cause and nothing is dead-lettered. Applies from "
                        + "circuit.breaker.min.failures rejected rows on.",
                DELIVERY,
                ++order,
                Width.SHORT,
                "Circuit breaker ratio");
        def.define(
                CIRCUIT_BREAKER_MIN_FAILURES,
                Type.INT,
                10,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Rows of one batch that must be rejected for the same reason before circuit.breaker.ratio applies, "
                        + "so a small batch with one bad record still dead-letters it.",
                DELIVERY,
                ++order,
                Width.SHORT,
                "Circuit breaker minimum failures");
        return def;
    }

    private void validateCombinations() {
        if (pkMode() == PkMode.NONE && insertMode() == InsertMode.UPSERT) {
            throw CrossOptionChecks.problem(
                    PK_MODE, "none", "insert.mode=upsert needs pk.mode record_key or record_value");
        }
        if (pkMode() == PkMode.RECORD_VALUE && pkFields().isEmpty()) {
            throw CrossOptionChecks.problem(PK_FIELDS, "", "pk.mode=record_value needs the key columns in pk.fields");
        }
        if (deleteEnabled() && pkMode() != PkMode.RECORD_KEY) {
            throw CrossOptionChecks.problem(DELETE_ENABLED, true, "delete.enabled needs pk.mode=record_key");
        }
        if (cdcFormat() != CdcFormat.NONE && pkMode() != PkMode.RECORD_KEY) {
            throw CrossOptionChecks.problem(
                    PK_MODE,
                    getString(PK_MODE),
                    "cdc.format needs pk.mode=record_key: deletes " + "carry only the record key");
        }
        if (cdcFormat() != CdcFormat.NONE && insertMode() != InsertMode.UPSERT) {
            throw CrossOptionChecks.problem(
                    INSERT_MODE,
                    getString(INSERT_MODE),
                    "cdc.format needs insert.mode=upsert: " + "updates replace the row of their key");
        }
        String urlUser = urlParameter("user");
        if (urlUser != null && !user().isEmpty() && !urlUser.equals(user())) {
            throw CrossOptionChecks.problem(
                    USER,
                    user(),
                    "warehouse.url sets user=" + urlUser + ", which the driver uses "
                            + "instead of warehouse.user: name the user in one place only");
        }
        String urlPassword = urlParameter("password");
        if (urlPassword != null
                && password() != null
                && !password().value().isEmpty()
                && !urlPassword.equals(password().value())) {
            throw CrossOptionChecks.problem(
                    PASSWORD,
                    "[hidden]",
                    "warehouse.url sets password=..., which the driver uses "
                            + "instead of warehouse.password: remove it from the URL (a password there is not masked)");
        }
        if (cdcFormat() == CdcFormat.NONE && cdcDeleteMode() == CdcDeleteMode.SOFT) {
            throw CrossOptionChecks.problem(
                    CDC_DELETE_MODE,
                    "soft",
                    "cdc.delete.mode=soft applies change events' deletes: " + "set cdc.format (cdp-mongo or debezium)");
        }
        if (partitionInterval() != PartitionInterval.NONE && partitionColumn().isEmpty()) {
            throw CrossOptionChecks.problem(PARTITION_COLUMN, "", "partition.interval needs partition.column");
        }
        if (partitionRetention() > 0) {
            if (partitionInterval() == PartitionInterval.NONE) {
                throw CrossOptionChecks.problem(
                        PARTITION_RETENTION,
                        partitionRetention(),
                        "partition.retention needs a "
                                + "partitioned table: set partition.interval (day or month) and partition.column, or 0");
            }
            if (url().startsWith("jdbc:duckdb:")) {
                throw CrossOptionChecks.problem(
                        PARTITION_RETENTION,
                        partitionRetention(),
                        "DuckDB has no partitions to "
                                + "detach or drop: partition.retention applies to PostgreSQL only; set it to 0");
            }
        } else if (retentionAction() == RetentionAction.DROP) {
            throw CrossOptionChecks.problem(
                    PARTITION_RETENTION_ACTION,
                    "drop",
                    "partition.retention.action=drop has no "
                            + "effect without partition.retention (the number of intervals to keep)");
        }
        TableRouter.checkTopics(tableNameFormat(), topicsList());
        checkMappedColumnsAreDistinct(fieldMapping());
    }

    /** Two paths mapped to one column would keep only the last one's value: a silent merge, refused. */
    private void checkMappedColumnsAreDistinct(Map<String, String> mapping) {
        Map<String, String> pathOf = new LinkedHashMap<>();
        String raw = rawColumn();
        for (Map.Entry<String, String> e : mapping.entrySet()) {
            String earlier = pathOf.put(e.getValue(), e.getKey());
            if (earlier != null) {
                throw CrossOptionChecks.problem(
                        FIELDS_MAPPING,
                        getList(FIELDS_MAPPING),
                        "'" + earlier + "' and '"
                                + e.getKey() + "' both map to the column " + e.getValue()
                                + "; only one value could be kept. "
                                + "Give one of them its own column (path:column)");
            }
            if (e.getValue().equals(raw)) {
                throw CrossOptionChecks.problem(
                        FIELDS_MAPPING,
                        getList(FIELDS_MAPPING),
                        "'" + e.getKey() + "' maps to " + "the column " + raw
                                + ", which raw.column fills with the whole value; give it another column");
            }
        }
    }

    /** A query parameter of warehouse.url ({@code ?user=...&...}), URL-decoded, or null. */
    String urlParameter(String name) {
        String url = url();
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0
                        ? ""
                        : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    public String url() {
        return getString(URL).trim();
    }

    public String user() {
        return getString(USER);
    }

    public Password password() {
        return getPassword(PASSWORD);
    }

    /** What the dialect needs to connect: URL, credentials, TLS and the fixed timeouts. */
    public ConnectionSettings connectionSettings() {
        return new ConnectionSettings(
                url(),
                user(),
                password().value(),
                getString(TLS_MODE),
                getString(TLS_ROOT_CERT),
                getString(TLS_CERT),
                getString(TLS_KEY),
                getPassword(TLS_KEY_PASSWORD).value(),
                ConnectionSettings.CONNECT_TIMEOUT_SECONDS,
                ConnectionSettings.SOCKET_TIMEOUT_SECONDS);
    }

    public String schema() {
        return getString(SCHEMA).trim();
    }

    public String tableNameFormat() {
        return getString(TABLE_NAME_FORMAT);
    }

    public boolean autoCreate() {
        return getBoolean(AUTO_CREATE);
    }

    public boolean autoEvolve() {
        return getBoolean(AUTO_EVOLVE);
    }

    public String partitionColumn() {
        return getString(PARTITION_COLUMN).trim();
    }

    public PartitionInterval partitionInterval() {
        return EnumOptions.parse(PartitionInterval.class, getString(PARTITION_INTERVAL));
    }

    public int partitionRetention() {
        return getInt(PARTITION_RETENTION);
    }

    public RetentionAction retentionAction() {
        return EnumOptions.parse(RetentionAction.class, getString(PARTITION_RETENTION_ACTION));
    }

    public long partitionMaintenanceIntervalMs() {
        return getLong(PARTITION_MAINTENANCE_INTERVAL_MS);
    }

    public int routingMaxTables() {
        return getInt(TABLE_ROUTING_MAX_TABLES);
    }

    /** The connector's topics list (Connect's own option), empty with topics.regex. */
    private List<String> topicsList() {
        Object topics = originals().get("topics");
        if (topics == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String t : topics.toString().split(",")) {
            if (!t.isBlank()) {
                out.add(t.trim());
            }
        }
        return out;
    }

    public int decimalScale() {
        return getInt(DECIMAL_SCALE);
    }

    /** Ordered path to column pairs from fields.mapping. */
    public Map<String, String> fieldMapping() {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String entry : getList(FIELDS_MAPPING)) {
            String item = entry.trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            String path = colon < 0 ? item : item.substring(0, colon).trim();
            String column = colon < 0
                    ? path.substring(path.lastIndexOf('.') + 1)
                    : item.substring(colon + 1).trim();
            if (path.isEmpty() || column.isEmpty()) {
                throw CrossOptionChecks.problem(FIELDS_MAPPING, entry, "expected path:column");
            }
            mapping.put(path, column);
        }
        return mapping;
    }

    public List<String> fieldsInclude() {
        return trimmed(getList(FIELDS_INCLUDE));
    }

    public List<String> fieldsExclude() {
        return trimmed(getList(FIELDS_EXCLUDE));
    }

    public String rawColumn() {
        return getString(RAW_COLUMN).trim();
    }

    public InsertMode insertMode() {
        return EnumOptions.parse(InsertMode.class, getString(INSERT_MODE));
    }

    public PkMode pkMode() {
        return EnumOptions.parse(PkMode.class, getString(PK_MODE));
    }

    public List<String> pkFields() {
        return trimmed(getList(PK_FIELDS));
    }

    public boolean deleteEnabled() {
        return getBoolean(DELETE_ENABLED);
    }

    public MissingFields upsertMissingFields() {
        return EnumOptions.parse(MissingFields.class, getString(UPSERT_MISSING_FIELDS));
    }

    public CdcFormat cdcFormat() {
        return EnumOptions.parse(CdcFormat.class, getString(CDC_FORMAT));
    }

    public CdcDeleteMode cdcDeleteMode() {
        return EnumOptions.parse(CdcDeleteMode.class, getString(CDC_DELETE_MODE));
    }

    /** The soft-delete column (cdc.format with cdc.delete.mode=soft), or null when deletes remove the row. */
    public String softDeleteColumn() {
        return cdcFormat() != CdcFormat.NONE && cdcDeleteMode() == CdcDeleteMode.SOFT
                ? getString(CDC_DELETE_COLUMN).trim()
                : null;
    }

    public CdcTruncate cdcTruncate() {
        return EnumOptions.parse(CdcTruncate.class, getString(CDC_TRUNCATE));
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public long flushIntervalMs() {
        return getLong(FLUSH_INTERVAL_MS);
    }

    public WriteMethod writeMethod() {
        return EnumOptions.parse(WriteMethod.class, getString(WRITE_METHOD));
    }

    public boolean exactlyOnce() {
        return getBoolean(EXACTLY_ONCE);
    }

    public String offsetsTable() {
        return getString(OFFSETS_TABLE).trim();
    }

    public OffsetResetPolicy offsetResetPolicy() {
        return EnumOptions.parse(OffsetResetPolicy.class, getString(EXACTLY_ONCE_ON_OFFSET_RESET));
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    public int offsetsReadMaxRetries() {
        return getInt(OFFSETS_READ_MAX_RETRIES);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    public double circuitBreakerRatio() {
        return getDouble(CIRCUIT_BREAKER_RATIO);
    }

    public int circuitBreakerMinFailures() {
        return getInt(CIRCUIT_BREAKER_MIN_FAILURES);
    }

    private static List<String> trimmed(List<String> values) {
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            if (!v.isBlank()) {
                out.add(v.trim());
            }
        }
        return out;
    }

    private static ConfigDef.Validator enumValidator(Enum<?>[] values) {
        return EnumOptions.validator(values, true);
    }

    private static ConfigDef.Recommender enumRecommender(Enum<?>[] values) {
        return EnumOptions.recommender(values, true);
    }
}
