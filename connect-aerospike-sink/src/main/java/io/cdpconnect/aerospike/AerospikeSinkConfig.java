/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import io.cdpconnect.aerospike.mapping.BinNames;
import io.cdpconnect.aerospike.write.CounterIncrement;
import io.cdpconnect.common.config.CrossOptionChecks;
import io.cdpconnect.common.config.DeprecatedNames;
import io.cdpconnect.common.config.EnumOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Configuration of {@link AerospikeSinkConnector}: connection, policies, write mode and per-mode options. */
public final class AerospikeSinkConfig extends AbstractConfig {

    public enum WriteMode {
        SEGMENTS,
        COUNTERS,
        BINS
    }

    public enum SetSource {
        FIXED,
        TOPIC,
        FIELD
    }

    public enum BinsWriteAction {
        UPDATE,
        UPDATE_ONLY,
        REPLACE,
        REPLACE_ONLY,
        CREATE_ONLY
    }

    /** Generation check of a bins write against a value field (Aerospike's GenerationPolicy). */
    public enum GenerationCheck {
        NONE,
        EXPECT_EQUAL,
        EXPECT_GREATER
    }

    public enum CommitLevel {
        ALL,
        MASTER
    }

    /** How the user key is typed: integral numbers as integer keys and the rest as strings, or one type. */
    public enum KeyType {
        AUTO,
        STRING,
        LONG
    }

    /** What to do with counter records behind the stored offset guard that cannot be replays. */
    public enum OffsetRegression {
        FAIL,
        SKIP
    }

    private static final String GROUP_CONNECTION = "Connection";
    private static final String GROUP_SECURITY = "Security";
    private static final String GROUP_POLICIES = "Client policies";
    private static final String GROUP_WRITE = "Write";
    private static final String GROUP_SEGMENTS = "Segments mode";
    private static final String GROUP_COUNTERS = "Counters mode";
    private static final String GROUP_BINS = "Bins mode";

    public static final String HOSTS = "aerospike.hosts";
    public static final String NAMESPACE = "aerospike.namespace";
    public static final String SET = "aerospike.set";
    public static final String SET_SOURCE = "aerospike.set.source";
    public static final String SET_FIELD = "aerospike.set.field";
    public static final String NAMESPACE_FIELD = "aerospike.namespace.field";
    public static final String CLUSTER_NAME = "aerospike.cluster.name";

    public static final String USER = "aerospike.user";
    public static final String PASSWORD = "aerospike.password";
    public static final String AUTH_MODE = "aerospike.auth.mode";
    public static final String TLS_ENABLED = "aerospike.tls.enabled";
    public static final String TLS_NAME = "aerospike.tls.name";
    public static final String TLS_TRUSTSTORE_LOCATION = "aerospike.tls.truststore.location";
    public static final String TLS_TRUSTSTORE_PASSWORD = "aerospike.tls.truststore.password";
    public static final String TLS_TRUSTSTORE_TYPE = "aerospike.tls.truststore.type";
    public static final String TLS_KEYSTORE_LOCATION = "aerospike.tls.keystore.location";
    public static final String TLS_KEYSTORE_PASSWORD = "aerospike.tls.keystore.password";
    public static final String TLS_KEYSTORE_TYPE = "aerospike.tls.keystore.type";
    public static final String TLS_PROTOCOLS = "aerospike.tls.protocols";
    public static final String TLS_LOGIN_ONLY = "aerospike.tls.login.only";

    public static final String CONNECT_TIMEOUT_MS = "aerospike.connect.timeout.ms";
    public static final String SOCKET_TIMEOUT_MS = "aerospike.socket.timeout.ms";
    public static final String TOTAL_TIMEOUT_MS = "aerospike.total.timeout.ms";
    public static final String MAX_RETRIES = "aerospike.max.retries";
    public static final String SLEEP_BETWEEN_RETRIES_MS = "aerospike.sleep.between.retries.ms";
    public static final String MAX_CONNS_PER_NODE = "aerospike.max.connections.per.node";
    public static final String SEND_KEY = "aerospike.send.key";
    public static final String DURABLE_DELETE = "aerospike.durable.delete";
    public static final String COMMIT_LEVEL = "aerospike.commit.level";

    public static final String WRITE_MODE = "write.mode";
    public static final String KEY_FIELD = "key.field";
    public static final String KEY_TYPE = "key.type";
    public static final String KEY_FIELDS = "key.fields";
    public static final String KEY_FIELDS_SEPARATOR = "key.fields.separator";
    public static final String KEY_DIGEST = "key.digest";
    public static final String TTL_FIELD = "ttl.field";
    public static final String RECORD_TTL_SECONDS = "record.ttl.seconds";
    public static final String BATCH_SIZE = "batch.size";
    public static final String BATCH_MAX_IN_FLIGHT = "batch.max.in.flight";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    public static final String SEGMENTS_BIN = "segments.bin";
    public static final String SEGMENTS_TS_BIN = "segments.ts.bin";
    public static final String SEGMENTS_SEGMENT_FIELD = "segments.segment.field";
    public static final String SEGMENTS_OP_FIELD = "segments.op.field";
    public static final String SEGMENTS_TS_FIELD = "segments.ts.field";
    public static final String SEGMENTS_TTL_FIELD = "segments.ttl.field";
    public static final String SEGMENTS_DEFAULT_TTL_SECONDS = "segments.default.ttl.seconds";
    public static final String SEGMENTS_ADD_VALUES = "segments.add.values";
    public static final String SEGMENTS_REMOVE_VALUES = "segments.remove.values";
    public static final String SEGMENTS_TOMBSTONE_RETENTION_MS = "segments.tombstone.retention.ms";
    public static final String SEGMENTS_INDEX_CREATE = "segments.index.create";
    public static final String SEGMENTS_INDEX_NAME = "segments.index.name";
    public static final String SEGMENTS_INDEX_WAIT_MS = "segments.index.wait.ms";

    public static final String COUNTERS_INCREMENTS = "counters.increments";
    public static final String COUNTERS_OFFSETS_BIN = "counters.offsets.bin";
    public static final String COUNTERS_OFFSET_REGRESSION = "counters.offset.regression";
    public static final String COUNTERS_OFFSET_REGRESSION_TOLERANCE_MS = "counters.offset.regression.tolerance.ms";
    public static final String COUNTERS_MINOR_UNITS_SCALE = "counters.minor.units.scale";

    public static final String BINS_INCLUDE = "bins.include";
    public static final String BINS_EXCLUDE = "bins.exclude";
    public static final String BINS_RENAME = "bins.rename";
    public static final String BINS_WRITE_ACTION = "bins.write.action";
    public static final String DELETE_ENABLED = "delete.enabled";
    public static final String BINS_GENERATION_CHECK = "bins.generation.check";
    public static final String BINS_GENERATION_FIELD = "bins.generation.field";
    public static final String BINS_TS_FIELD = "bins.ts.field";
    public static final String BINS_TS_BIN = "bins.ts.bin";

    /** Names that were renamed to the one used for the same idea in every plugin; the old ones still work. */
    public static final DeprecatedNames RENAMED = DeprecatedNames.of(
            "aerospike.tls.truststore.path", TLS_TRUSTSTORE_LOCATION,
            "aerospike.tls.keystore.path", TLS_KEYSTORE_LOCATION,
            "delete.on.tombstone", DELETE_ENABLED);

    public static final ConfigDef CONFIG_DEF = configDef();

    private final WriteMode writeMode;
    private final SetSource setSource;
    private final Map<String, String> renames;
    private final List<CounterIncrement> increments;
    private final KeyType keyType;

    public AerospikeSinkConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, RENAMED.apply(originals));
        writeMode = EnumOptions.parse(WriteMode.class, getString(WRITE_MODE));
        setSource = EnumOptions.parse(SetSource.class, getString(SET_SOURCE));
        renames = parseRenames(getList(BINS_RENAME));
        keyType = EnumOptions.parse(KeyType.class, getString(KEY_TYPE));
        increments = writeMode == WriteMode.COUNTERS
                ? CounterIncrement.parseAll(getList(COUNTERS_INCREMENTS), getInt(COUNTERS_MINOR_UNITS_SCALE))
                : List.of();
        checkCrossFieldRules();
    }

    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(
                HOSTS,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Seed nodes, comma separated: host:port or host:tlsName:port (port defaults to 3000). "
                        + "The client discovers the rest of the cluster from them.",
                GROUP_CONNECTION,
                ++order,
                Width.LONG,
                "Seed hosts");
        def.define(
                NAMESPACE,
                Type.STRING,
                "test",
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Aerospike namespace records are written to.",
                GROUP_CONNECTION,
                ++order,
                Width.SHORT,
                "Namespace");
        def.define(
                SET_SOURCE,
                Type.STRING,
                "fixed",
                enumValidator(SetSource.values()),
                Importance.MEDIUM,
                "Where the set name comes from: fixed (aerospike.set), topic (the record's topic) or field "
                        + "(aerospike.set.field of the record value).",
                GROUP_CONNECTION,
                ++order,
                Width.SHORT,
                "Set source",
                enumRecommender(SetSource.values()));
        def.define(
                SET,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Set name when aerospike.set.source=fixed; empty writes to the namespace's null set.",
                GROUP_CONNECTION,
                ++order,
                Width.MEDIUM,
                "Set");
        def.define(
                SET_FIELD,
                Type.STRING,
                "",
                Importance.LOW,
                "Dotted path of the value field holding the set name when aerospike.set.source=field.",
                GROUP_CONNECTION,
                ++order,
                Width.MEDIUM,
                "Set field");
        def.define(
                NAMESPACE_FIELD,
                Type.STRING,
                "",
                Importance.LOW,
                "Dotted path of a value field holding the namespace of each record; empty uses aerospike.namespace. "
                        + "A record without it is a record error; tombstones cannot use it.",
                GROUP_CONNECTION,
                ++order,
                Width.MEDIUM,
                "Namespace field");
        def.define(
                CLUSTER_NAME,
                Type.STRING,
                "",
                Importance.LOW,
                "Expected cluster name; when set, the client refuses nodes of another cluster.",
                GROUP_CONNECTION,
                ++order,
                Width.MEDIUM,
                "Cluster name");

        order = 0;
        def.define(
                USER,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "User name (Enterprise security); empty for none.",
                GROUP_SECURITY,
                ++order,
                Width.MEDIUM,
                "User");
        def.define(
                PASSWORD,
                Type.PASSWORD,
                null,
                Importance.MEDIUM,
                "Password of aerospike.user. Config providers such as ${file:...} or ${env:...} work here.",
                GROUP_SECURITY,
                ++order,
                Width.MEDIUM,
                "Password");
        def.define(
                AUTH_MODE,
                Type.STRING,
                "internal",
                enumValidator(com.aerospike.client.policy.AuthMode.values()),
                Importance.LOW,
                "Authentication mode: internal, external (LDAP, needs TLS), external_insecure or pki.",
                GROUP_SECURITY,
                ++order,
                Width.SHORT,
                "Auth mode",
                enumRecommender(com.aerospike.client.policy.AuthMode.values()));
        def.define(
                TLS_ENABLED,
                Type.BOOLEAN,
                false,
                Importance.MEDIUM,
                "Connect to the cluster with TLS.",
                GROUP_SECURITY,
                ++order,
                Width.SHORT,
                "TLS");
        def.define(
                TLS_NAME,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "TLS name (certificate name) used for seed hosts that do not give one as host:tlsName:port.",
                GROUP_SECURITY,
                ++order,
                Width.MEDIUM,
                "TLS name");
        def.define(
                TLS_TRUSTSTORE_LOCATION,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Trust store with the cluster's CA; empty uses the JVM's default trust store."
                        + RENAMED.note(TLS_TRUSTSTORE_LOCATION),
                GROUP_SECURITY,
                ++order,
                Width.LONG,
                "Trust store location");
        def.define(
                TLS_TRUSTSTORE_PASSWORD,
                Type.PASSWORD,
                null,
                Importance.MEDIUM,
                "Trust store password.",
                GROUP_SECURITY,
                ++order,
                Width.MEDIUM,
                "Trust store password");
        def.define(
                TLS_TRUSTSTORE_TYPE,
                Type.STRING,
                "PKCS12",
                Importance.LOW,
                "Trust store type (PKCS12, JKS).",
                GROUP_SECURITY,
                ++order,
                Width.SHORT,
                "Trust store type");
        def.define(
                TLS_KEYSTORE_LOCATION,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Key store with the client certificate for mutual TLS or PKI authentication; empty for none."
                        + RENAMED.note(TLS_KEYSTORE_LOCATION),
                GROUP_SECURITY,
                ++order,
                Width.LONG,
                "Key store location");
        def.define(
                TLS_KEYSTORE_PASSWORD,
                Type.PASSWORD,
                null,
                Importance.MEDIUM,
                "Key store password.",
                GROUP_SECURITY,
                ++order,
                Width.MEDIUM,
                "Key store password");
        def.define(
                TLS_KEYSTORE_TYPE,
                Type.STRING,
                "PKCS12",
                Importance.LOW,
                "Key store type (PKCS12, JKS).",
                GROUP_SECURITY,
                ++order,
                Width.SHORT,
                "Key store type");
        def.define(
                TLS_PROTOCOLS,
                Type.LIST,
                "TLSv1.3,TLSv1.2",
                Importance.LOW,
                "Allowed TLS protocols.",
                GROUP_SECURITY,
                ++order,
                Width.MEDIUM,
                "TLS protocols");
        def.define(
                TLS_LOGIN_ONLY,
                Type.BOOLEAN,
                false,
                Importance.LOW,
                "Use TLS only for the login (authentication) connection.",
                GROUP_SECURITY,
                ++order,
                Width.SHORT,
                "TLS for login only");

        order = 0;
        def.define(
                CONNECT_TIMEOUT_MS,
                Type.INT,
                2000,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Timeout to open a connection and log in (ClientPolicy.timeout).",
                GROUP_POLICIES,
                ++order,
                Width.SHORT,
                "Connect timeout (ms)");
        def.define(
                SOCKET_TIMEOUT_MS,
                Type.INT,
                5000,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Socket idle timeout of one attempt (Policy.socketTimeout); 0 = none.",
                GROUP_POLICIES,
                ++order,
                Width.SHORT,
                "Socket timeout (ms)");
        def.define(
                TOTAL_TIMEOUT_MS,
                Type.INT,
                10000,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Total time a batch may take including retries (Policy.totalTimeout); 0 = none.",
                GROUP_POLICIES,
                ++order,
                Width.SHORT,
                "Total timeout (ms)");
        def.define(
                MAX_RETRIES,
                Type.INT,
                2,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Client-side retries of a batch before it fails. Safe because every write the sink makes is "
                        + "idempotent (last-writer-wins, offset-guarded counters, whole-record puts).",
                GROUP_POLICIES,
                ++order,
                Width.SHORT,
                "Max retries");
        def.define(
                SLEEP_BETWEEN_RETRIES_MS,
                Type.INT,
                100,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Pause between client retries.",
                GROUP_POLICIES,
                ++order,
                Width.SHORT,
                "Sleep between retries (ms)");
        def.define(
                MAX_CONNS_PER_NODE,
                Type.INT,
                100,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Maximum synchronous connections per server node (ClientPolicy.maxConnsPerNode).",
                GROUP_POLICIES,
                ++order,
                Width.SHORT,
                "Max connections per node");
        def.define(
                SEND_KEY,
                Type.BOOLEAN,
                true,
                Importance.LOW,
                "Store the user key with the record (needed to list user ids from a segment query; forced on "
                        + "in segments mode).",
                GROUP_POLICIES,
                ++order,
                Width.SHORT,
                "Send key");
        def.define(
                DURABLE_DELETE,
                Type.BOOLEAN,
                false,
                Importance.LOW,
                "Deletes leave a tombstone (Enterprise; prevents deleted records from reappearing on restart).",
                GROUP_POLICIES,
                ++order,
                Width.SHORT,
                "Durable delete");
        def.define(
                COMMIT_LEVEL,
                Type.STRING,
                "all",
                EnumOptions.validator(CommitLevel.values(), true),
                Importance.LOW,
                "all: a write returns once every replica has it (CommitLevel.COMMIT_ALL, the safe default); "
                        + "master: once the master has it (faster, a node loss may lose acknowledged writes).",
                GROUP_POLICIES,
                ++order,
                Width.SHORT,
                "Commit level",
                EnumOptions.recommender(CommitLevel.values(), true));

        order = 0;
        def.define(
                WRITE_MODE,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                enumValidator(WriteMode.values()),
                Importance.HIGH,
                "segments: segment membership updates into a map bin; counters: atomic, offset-guarded additions; "
                        + "bins: record fields to bins. Lower case, like every enum option (SEGMENTS, COUNTERS and "
                        + "BINS are still accepted: values are read case-insensitively).",
                GROUP_WRITE,
                ++order,
                Width.SHORT,
                "Write mode",
                enumRecommender(WriteMode.values()));
        def.define(
                KEY_FIELD,
                Type.STRING,
                "",
                Importance.HIGH,
                "Dotted path of the value field holding the record's user key (e.g. user_id); empty uses the "
                        + "Kafka record key. Integral numbers become integer keys, everything else a string key.",
                GROUP_WRITE,
                ++order,
                Width.MEDIUM,
                "Key field");
        def.define(
                KEY_TYPE,
                Type.STRING,
                "auto",
                EnumOptions.validator(KeyType.values(), true),
                Importance.HIGH,
                "Type of the user key, for writes and tombstone deletes alike: auto (integral numbers become "
                        + "integer keys, everything else string keys), string (always a string key: 42 -> \"42\") "
                        + "or long (always an integer key: \"42\" -> 42). A tombstone whose text key could be "
                        + "either under auto is a record error naming this option: set it when keys are numeric.",
                GROUP_WRITE,
                ++order,
                Width.SHORT,
                "Key type",
                EnumOptions.recommender(KeyType.values(), true));
        def.define(
                KEY_FIELDS,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Composite key: dotted paths of several value fields whose values, joined by key.fields.separator, "
                        + "form a string user key (e.g. tenant_id,user_id -> \"t1:u-1\"). Excludes key.field. A "
                        + "tombstone's Kafka key is read at the same fields when structured, or taken as the joined key.",
                GROUP_WRITE,
                ++order,
                Width.LONG,
                "Composite key fields");
        def.define(
                KEY_FIELDS_SEPARATOR,
                Type.STRING,
                ":",
                Importance.LOW,
                "Separator between the parts of a composite key (key.fields).",
                GROUP_WRITE,
                ++order,
                Width.SHORT,
                "Composite key separator");
        def.define(
                KEY_DIGEST,
                Type.BOOLEAN,
                false,
                Importance.LOW,
                "The key (key.field or the Kafka key) is the record's 20-byte RIPEMD-160 digest (bytes, or 40 hex "
                        + "characters), e.g. from Aerospike's XDR or another connector; no user key is stored. "
                        + "Not with SEGMENTS mode, whose reverse lookup needs the stored user key.",
                GROUP_WRITE,
                ++order,
                Width.SHORT,
                "Key is a digest");
        def.define(
                TTL_FIELD,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Dotted path of a value field with the record's TTL in seconds (-1 never expire, -2 keep the current "
                        + "TTL, 0 namespace default, n > 0 seconds); records without it use record.ttl.seconds.",
                GROUP_WRITE,
                ++order,
                Width.MEDIUM,
                "TTL field");
        def.define(
                RECORD_TTL_SECONDS,
                Type.INT,
                0,
                ConfigDef.Range.atLeast(-2),
                Importance.MEDIUM,
                "Record time-to-live set on every write: 0 = the namespace default-ttl, -1 = never expire, "
                        + "-2 = keep the record's current TTL, n > 0 = n seconds (the namespace needs nsup-period > 0).",
                GROUP_WRITE,
                ++order,
                Width.SHORT,
                "Record TTL (s)");
        def.define(
                BATCH_SIZE,
                Type.INT,
                500,
                ConfigDef.Range.between(1, 10_000),
                Importance.MEDIUM,
                "Maximum sub-commands per batch operate request.",
                GROUP_WRITE,
                ++order,
                Width.SHORT,
                "Batch size");
        def.define(
                BATCH_MAX_IN_FLIGHT,
                Type.INT,
                4,
                ConfigDef.Range.between(1, 64),
                Importance.MEDIUM,
                "Batch requests a task keeps in flight at once. Writes of one put() are grouped in rounds with at "
                        + "most one write per key; the requests of a round run concurrently, rounds one after the "
                        + "other, so each key's writes keep their topic order. 1 = one request at a time.",
                GROUP_WRITE,
                ++order,
                Width.SHORT,
                "Batches in flight");
        def.define(
                RETRY_BACKOFF_MS,
                Type.LONG,
                1000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "How long Connect waits before redelivering a batch that failed with a transient error "
                        + "(timeout, node unavailable, cluster change).",
                GROUP_WRITE,
                ++order,
                Width.SHORT,
                "Retry backoff (ms)");

        order = 0;
        def.define(
                SEGMENTS_BIN,
                Type.STRING,
                "segments",
                new BinNameValidator(),
                Importance.HIGH,
                "Map bin {segment_id: expiry epoch seconds, 0 = no expiry} holding current memberships. "
                        + "A MAPKEYS secondary index on it answers 'users in segment S'.",
                GROUP_SEGMENTS,
                ++order,
                Width.SHORT,
                "Membership bin");
        def.define(
                SEGMENTS_TS_BIN,
                Type.STRING,
                "segments_ts",
                new BinNameValidator(),
                Importance.MEDIUM,
                "Map bin {segment_id: ts epoch millis} of the last applied update per segment, removals "
                        + "included, which makes later timestamps win and keeps removals from being resurrected.",
                GROUP_SEGMENTS,
                ++order,
                Width.SHORT,
                "Timestamp bin");
        def.define(
                SEGMENTS_SEGMENT_FIELD,
                Type.STRING,
                "segment_id",
                Importance.MEDIUM,
                "Dotted path of the segment id.",
                GROUP_SEGMENTS,
                ++order,
                Width.MEDIUM,
                "Segment field");
        def.define(
                SEGMENTS_OP_FIELD,
                Type.STRING,
                "op",
                Importance.MEDIUM,
                "Dotted path of the operation (add/remove).",
                GROUP_SEGMENTS,
                ++order,
                Width.MEDIUM,
                "Op field");
        def.define(
                SEGMENTS_TS_FIELD,
                Type.STRING,
                "ts",
                Importance.MEDIUM,
                "Dotted path of the update time: ISO-8601 text (instant, offset, zoned or local date-time taken as UTC, date at midnight UTC, a space for the T) or epoch milliseconds (number or numeric text). Required on every update.",
                GROUP_SEGMENTS,
                ++order,
                Width.MEDIUM,
                "Timestamp field");
        def.define(
                SEGMENTS_TTL_FIELD,
                Type.STRING,
                "ttl_seconds",
                Importance.MEDIUM,
                "Dotted path of the membership TTL in seconds, counted from the update's ts; missing uses "
                        + "segments.default.ttl.seconds.",
                GROUP_SEGMENTS,
                ++order,
                Width.MEDIUM,
                "TTL field");
        def.define(
                SEGMENTS_DEFAULT_TTL_SECONDS,
                Type.LONG,
                0L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Membership TTL when the update has none; 0 = memberships do not expire.",
                GROUP_SEGMENTS,
                ++order,
                Width.SHORT,
                "Default membership TTL (s)");
        def.define(
                SEGMENTS_ADD_VALUES,
                Type.LIST,
                "add",
                Importance.LOW,
                "Op values meaning 'add' (case-insensitive).",
                GROUP_SEGMENTS,
                ++order,
                Width.MEDIUM,
                "Add values");
        def.define(
                SEGMENTS_REMOVE_VALUES,
                Type.LIST,
                "remove",
                Importance.LOW,
                "Op values meaning 'remove' (case-insensitive).",
                GROUP_SEGMENTS,
                ++order,
                Width.MEDIUM,
                "Remove values");
        def.define(
                SEGMENTS_TOMBSTONE_RETENTION_MS,
                Type.LONG,
                90L * 24 * 3600 * 1000,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "How long the per-segment timestamps (removal markers included) are kept. Updates older than "
                        + "now minus this horizon are skipped as stale, which keeps last-writer-wins exact; "
                        + "0 keeps timestamps forever.",
                GROUP_SEGMENTS,
                ++order,
                Width.SHORT,
                "Timestamp retention (ms)");
        def.define(
                SEGMENTS_INDEX_CREATE,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Create the MAPKEYS string secondary index on the membership bin of every set written to "
                        + "(an existing index is fine).",
                GROUP_SEGMENTS,
                ++order,
                Width.SHORT,
                "Create index");
        def.define(
                SEGMENTS_INDEX_NAME,
                Type.STRING,
                "",
                Importance.LOW,
                "Index name; '{set}' is replaced by the set name. Empty = cdp_{set}_{bin}_keys.",
                GROUP_SEGMENTS,
                ++order,
                Width.MEDIUM,
                "Index name");
        def.define(
                SEGMENTS_INDEX_WAIT_MS,
                Type.LONG,
                600_000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "How long the background index creation waits for a build to complete, logging progress, before "
                        + "it stops waiting (the server keeps building). Writes never wait for an index.",
                GROUP_SEGMENTS,
                ++order,
                Width.SHORT,
                "Index build wait (ms)");

        order = 0;
        def.define(
                COUNTERS_INCREMENTS,
                Type.LIST,
                "",
                Importance.HIGH,
                "Counters as bin=source[:long|:double|:cents|:minor], comma separated. source is a number "
                        + "literal (e.g. order_count=1) or a dotted field path. For money use :cents (or :minor with "
                        + "counters.minor.units.scale): the exact decimal becomes an integer of minor units "
                        + "(revenue_cents=total:cents, 129.90 -> 12990), so totals never drift; an amount with more "
                        + "decimal places is a record error. :double adds floats (inexact), :long integers; without "
                        + "a type, integral values add to an integer bin and others to a float bin.",
                GROUP_COUNTERS,
                ++order,
                Width.LONG,
                "Increments");
        def.define(
                COUNTERS_OFFSETS_BIN,
                Type.STRING,
                "kafka_offsets",
                new BinNameValidator(),
                Importance.LOW,
                "Map bin {topic/partition: last applied offset} guarding every counter write, so a redelivered "
                        + "record is skipped. Keyed by the record's original topic and partition (before any "
                        + "routing SMT), with the timestamp of the record that set it.",
                GROUP_COUNTERS,
                ++order,
                Width.SHORT,
                "Offsets bin");
        def.define(
                COUNTERS_OFFSET_REGRESSION,
                Type.STRING,
                "fail",
                EnumOptions.validator(OffsetRegression.values(), true),
                Importance.MEDIUM,
                "A record behind the stored offset of its partition but newer than the record that set it "
                        + "(by more than counters.offset.regression.tolerance.ms) cannot be a replay: the topic was "
                        + "re-created or the offsets point into another log. fail (default) stops the task with "
                        + "the partition, offsets and fix; skip drops such records with a warning and a metric.",
                GROUP_COUNTERS,
                ++order,
                Width.SHORT,
                "Offset regression policy",
                EnumOptions.recommender(OffsetRegression.values(), true));
        def.define(
                COUNTERS_OFFSET_REGRESSION_TOLERANCE_MS,
                Type.LONG,
                300_000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "How much newer than the guard's record a replayed record may be (producer clock skew with "
                        + "CreateTime) before it counts as an offset regression.",
                GROUP_COUNTERS,
                ++order,
                Width.SHORT,
                "Offset regression tolerance (ms)");
        def.define(
                COUNTERS_MINOR_UNITS_SCALE,
                Type.INT,
                2,
                ConfigDef.Range.between(0, 18),
                Importance.MEDIUM,
                "Decimal places of the :minor counter type (e.g. 3 for mils); :cents always uses 2. Amounts with "
                        + "more decimal places are record errors, never rounded.",
                GROUP_COUNTERS,
                ++order,
                Width.SHORT,
                "Minor units scale");

        order = 0;
        def.define(
                BINS_INCLUDE,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Top-level value fields to write (empty = all).",
                GROUP_BINS,
                ++order,
                Width.LONG,
                "Include fields");
        def.define(
                BINS_EXCLUDE,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Top-level value fields never written.",
                GROUP_BINS,
                ++order,
                Width.LONG,
                "Exclude fields");
        def.define(
                BINS_RENAME,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "field:bin pairs renaming fields to bins (bin names have at most 15 bytes).",
                GROUP_BINS,
                ++order,
                Width.LONG,
                "Renames");
        def.define(
                BINS_WRITE_ACTION,
                Type.STRING,
                "update",
                enumValidator(BinsWriteAction.values()),
                Importance.MEDIUM,
                "update merges bins into the record (creating it if needed); update_only merges into existing "
                        + "records only; replace replaces the whole record; replace_only replaces existing records "
                        + "only; create_only writes only records that do not exist yet. A write the action excludes "
                        + "(record missing or present) is a counted no-op, not an error.",
                GROUP_BINS,
                ++order,
                Width.SHORT,
                "Write action",
                enumRecommender(BinsWriteAction.values()));
        def.define(
                DELETE_ENABLED,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "A record with a null value deletes the Aerospike record (bins mode). When false, tombstones "
                        + "are reported as errors." + RENAMED.note(DELETE_ENABLED),
                GROUP_BINS,
                ++order,
                Width.SHORT,
                "Delete on tombstone");
        def.define(
                BINS_GENERATION_CHECK,
                Type.STRING,
                "none",
                EnumOptions.validator(GenerationCheck.values(), true),
                Importance.LOW,
                "Optimistic concurrency: expect_equal writes only when the record's generation equals "
                        + "bins.generation.field, expect_greater only when the field is greater. A mismatch is a "
                        + "record error (DLQ) naming both.",
                GROUP_BINS,
                ++order,
                Width.SHORT,
                "Generation check",
                EnumOptions.recommender(GenerationCheck.values(), true));
        def.define(
                BINS_GENERATION_FIELD,
                Type.STRING,
                "",
                Importance.LOW,
                "Dotted path of the expected generation for bins.generation.check.",
                GROUP_BINS,
                ++order,
                Width.MEDIUM,
                "Generation field");
        def.define(
                BINS_TS_FIELD,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Dotted path of the record's event time (ISO-8601 text (instant, offset, zoned or local date-time taken as UTC, date at midnight UTC, a space for the T) or epoch milliseconds (number or numeric text)). When set, a write applies only "
                        + "if it is newer than the time stored in bins.ts.bin by the last applied write, so late or "
                        + "replayed records never overwrite newer data (same guard as segments). Ties: the first "
                        + "applied wins.",
                GROUP_BINS,
                ++order,
                Width.MEDIUM,
                "Timestamp field");
        def.define(
                BINS_TS_BIN,
                Type.STRING,
                "cdp_ts",
                new BinNameValidator(),
                Importance.LOW,
                "Bin storing the event time (epoch millis) of the last applied write, for bins.ts.field.",
                GROUP_BINS,
                ++order,
                Width.SHORT,
                "Timestamp bin");
        return def;
    }

    private void checkCrossFieldRules() {
        boolean composite = !nonBlank(getList(KEY_FIELDS)).isEmpty();
        if (composite && !getString(KEY_FIELD).isBlank()) {
            throw CrossOptionChecks.problem(
                    KEY_FIELDS, getList(KEY_FIELDS), "use either " + KEY_FIELD + " or " + KEY_FIELDS);
        }
        if (composite && keyType == KeyType.LONG) {
            throw CrossOptionChecks.problem(
                    KEY_TYPE, getString(KEY_TYPE), "a composite key (" + KEY_FIELDS + ") is a string");
        }
        if (getBoolean(KEY_DIGEST) && composite) {
            throw CrossOptionChecks.problem(KEY_DIGEST, true, "a digest key cannot be composite (" + KEY_FIELDS + ")");
        }
        if (getBoolean(KEY_DIGEST) && writeMode == WriteMode.SEGMENTS) {
            throw CrossOptionChecks.problem(
                    KEY_DIGEST,
                    true,
                    "SEGMENTS mode stores the user key for 'users in segment' " + "queries; a digest key has none");
        }
        if (writeMode == WriteMode.BINS
                && !GenerationCheck.NONE.name().equalsIgnoreCase(getString(BINS_GENERATION_CHECK))
                && getString(BINS_GENERATION_FIELD).isBlank()) {
            throw CrossOptionChecks.problem(
                    BINS_GENERATION_FIELD,
                    "",
                    "required when " + BINS_GENERATION_CHECK + "=" + getString(BINS_GENERATION_CHECK));
        }
        if (setSource == SetSource.FIELD && getString(SET_FIELD).isBlank()) {
            throw CrossOptionChecks.problem(SET_FIELD, getString(SET_FIELD), "required when " + SET_SOURCE + "=FIELD");
        }
        if (setSource == SetSource.FIXED && getString(SET).length() > 63) {
            throw CrossOptionChecks.problem(SET, getString(SET), "set names have at most 63 characters");
        }
        if (writeMode == WriteMode.COUNTERS && increments.isEmpty()) {
            throw CrossOptionChecks.problem(
                    COUNTERS_INCREMENTS,
                    getList(COUNTERS_INCREMENTS),
                    "at least one counter is required in COUNTERS mode, e.g. order_count=1,revenue=total:double");
        }
        if (writeMode == WriteMode.SEGMENTS && getString(SEGMENTS_BIN).equals(getString(SEGMENTS_TS_BIN))) {
            throw CrossOptionChecks.problem(
                    SEGMENTS_TS_BIN, getString(SEGMENTS_TS_BIN), "must differ from " + SEGMENTS_BIN);
        }
        for (CounterIncrement increment : increments) {
            if (increment.bin().equals(getString(COUNTERS_OFFSETS_BIN))) {
                throw CrossOptionChecks.problem(
                        COUNTERS_INCREMENTS, increment.bin(), "clashes with " + COUNTERS_OFFSETS_BIN);
            }
        }
        if (getBoolean(TLS_ENABLED) == Boolean.FALSE
                && !getString(TLS_TRUSTSTORE_LOCATION).isBlank()) {
            throw CrossOptionChecks.problem(
                    TLS_TRUSTSTORE_LOCATION,
                    getString(TLS_TRUSTSTORE_LOCATION),
                    "set " + TLS_ENABLED + "=true to use a trust store");
        }
    }

    public static List<String> nonBlank(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (!v.isBlank()) {
                out.add(v.trim());
            }
        }
        return out;
    }

    public GenerationCheck generationCheck() {
        return EnumOptions.parse(GenerationCheck.class, getString(BINS_GENERATION_CHECK));
    }

    public CommitLevel commitLevel() {
        return EnumOptions.parse(CommitLevel.class, getString(COMMIT_LEVEL));
    }

    static Map<String, String> parseRenames(List<String> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw CrossOptionChecks.problem(BINS_RENAME, entry, "expected field:bin");
            }
            String bin = trimmed.substring(colon + 1).trim();
            String problem = BinNames.problem(bin);
            if (problem != null) {
                throw CrossOptionChecks.problem(BINS_RENAME, entry, problem);
            }
            out.put(trimmed.substring(0, colon).trim(), bin);
        }
        return out;
    }

    public WriteMode writeMode() {
        return writeMode;
    }

    public SetSource setSource() {
        return setSource;
    }

    public Map<String, String> renames() {
        return renames;
    }

    public List<CounterIncrement> increments() {
        return increments;
    }

    public KeyType keyType() {
        return keyType;
    }

    public OffsetRegression offsetRegression() {
        return EnumOptions.parse(OffsetRegression.class, getString(COUNTERS_OFFSET_REGRESSION));
    }

    public BinsWriteAction binsWriteAction() {
        return EnumOptions.parse(BinsWriteAction.class, getString(BINS_WRITE_ACTION));
    }

    // Typed accessors: the planners, the client factory and the task read options only through these.

    /** {@value #HOSTS}. */
    public String hosts() {
        return getString(HOSTS);
    }

    /** {@value #NAMESPACE}. */
    public String namespace() {
        return getString(NAMESPACE);
    }

    /** {@value #SET}. */
    public String set() {
        return getString(SET);
    }

    /** {@value #SET_FIELD}. */
    public String setField() {
        return getString(SET_FIELD);
    }

    /** {@value #NAMESPACE_FIELD}. */
    public String namespaceField() {
        return getString(NAMESPACE_FIELD);
    }

    /** {@value #CLUSTER_NAME}. */
    public String clusterName() {
        return getString(CLUSTER_NAME);
    }

    /** {@value #USER}. */
    public String user() {
        return getString(USER);
    }

    /** The {@value #PASSWORD} secret in clear, or null when unset. */
    public String password() {
        return passwordValue(PASSWORD);
    }

    /** {@value #AUTH_MODE}. */
    public String authMode() {
        return getString(AUTH_MODE);
    }

    /** {@value #TLS_ENABLED}. */
    public boolean tlsEnabled() {
        return getBoolean(TLS_ENABLED);
    }

    /** {@value #TLS_NAME}. */
    public String tlsName() {
        return getString(TLS_NAME);
    }

    /** {@value #TLS_TRUSTSTORE_LOCATION}. */
    public String tlsTruststoreLocation() {
        return getString(TLS_TRUSTSTORE_LOCATION);
    }

    /** The {@value #TLS_TRUSTSTORE_PASSWORD} secret in clear, or null when unset. */
    public String tlsTruststorePassword() {
        return passwordValue(TLS_TRUSTSTORE_PASSWORD);
    }

    /** {@value #TLS_TRUSTSTORE_TYPE}. */
    public String tlsTruststoreType() {
        return getString(TLS_TRUSTSTORE_TYPE);
    }

    /** {@value #TLS_KEYSTORE_LOCATION}. */
    public String tlsKeystoreLocation() {
        return getString(TLS_KEYSTORE_LOCATION);
    }

    /** The {@value #TLS_KEYSTORE_PASSWORD} secret in clear, or null when unset. */
    public String tlsKeystorePassword() {
        return passwordValue(TLS_KEYSTORE_PASSWORD);
    }

    /** {@value #TLS_KEYSTORE_TYPE}. */
    public String tlsKeystoreType() {
        return getString(TLS_KEYSTORE_TYPE);
    }

    /** {@value #TLS_PROTOCOLS}. */
    public List<String> tlsProtocols() {
        return getList(TLS_PROTOCOLS);
    }

    /** {@value #TLS_LOGIN_ONLY}. */
    public boolean tlsLoginOnly() {
        return getBoolean(TLS_LOGIN_ONLY);
    }

    /** {@value #CONNECT_TIMEOUT_MS}. */
    public int connectTimeoutMs() {
        return getInt(CONNECT_TIMEOUT_MS);
    }

    /** {@value #SOCKET_TIMEOUT_MS}. */
    public int socketTimeoutMs() {
        return getInt(SOCKET_TIMEOUT_MS);
    }

    /** {@value #TOTAL_TIMEOUT_MS}. */
    public int totalTimeoutMs() {
        return getInt(TOTAL_TIMEOUT_MS);
    }

    /** {@value #MAX_RETRIES}. */
    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    /** {@value #SLEEP_BETWEEN_RETRIES_MS}. */
    public int sleepBetweenRetriesMs() {
        return getInt(SLEEP_BETWEEN_RETRIES_MS);
    }

    /** {@value #MAX_CONNS_PER_NODE}. */
    public int maxConnsPerNode() {
        return getInt(MAX_CONNS_PER_NODE);
    }

    /** {@value #SEND_KEY}. */
    public boolean sendKey() {
        return getBoolean(SEND_KEY);
    }

    /** {@value #DURABLE_DELETE}. */
    public boolean durableDelete() {
        return getBoolean(DURABLE_DELETE);
    }

    /** {@value #KEY_FIELD}. */
    public String keyField() {
        return getString(KEY_FIELD);
    }

    /** {@value #KEY_FIELDS}. */
    public List<String> keyFields() {
        return getList(KEY_FIELDS);
    }

    /** {@value #KEY_FIELDS_SEPARATOR}. */
    public String keyFieldsSeparator() {
        return getString(KEY_FIELDS_SEPARATOR);
    }

    /** {@value #KEY_DIGEST}. */
    public boolean keyDigest() {
        return getBoolean(KEY_DIGEST);
    }

    /** {@value #TTL_FIELD}. */
    public String ttlField() {
        return getString(TTL_FIELD);
    }

    /** {@value #RECORD_TTL_SECONDS}. */
    public int recordTtlSeconds() {
        return getInt(RECORD_TTL_SECONDS);
    }

    /** {@value #BATCH_SIZE}. */
    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    /** {@value #BATCH_MAX_IN_FLIGHT}. */
    public int batchMaxInFlight() {
        return getInt(BATCH_MAX_IN_FLIGHT);
    }

    /** {@value #RETRY_BACKOFF_MS}. */
    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    /** {@value #SEGMENTS_BIN}. */
    public String segmentsBin() {
        return getString(SEGMENTS_BIN);
    }

    /** {@value #SEGMENTS_TS_BIN}. */
    public String segmentsTsBin() {
        return getString(SEGMENTS_TS_BIN);
    }

    /** {@value #SEGMENTS_SEGMENT_FIELD}. */
    public String segmentsSegmentField() {
        return getString(SEGMENTS_SEGMENT_FIELD);
    }

    /** {@value #SEGMENTS_OP_FIELD}. */
    public String segmentsOpField() {
        return getString(SEGMENTS_OP_FIELD);
    }

    /** {@value #SEGMENTS_TS_FIELD}. */
    public String segmentsTsField() {
        return getString(SEGMENTS_TS_FIELD);
    }

    /** {@value #SEGMENTS_TTL_FIELD}. */
    public String segmentsTtlField() {
        return getString(SEGMENTS_TTL_FIELD);
    }

    /** {@value #SEGMENTS_DEFAULT_TTL_SECONDS}. */
    public long segmentsDefaultTtlSeconds() {
        return getLong(SEGMENTS_DEFAULT_TTL_SECONDS);
    }

    /** {@value #SEGMENTS_ADD_VALUES}: the non-blank entries, trimmed and lower-cased. */
    public List<String> segmentsAddValues() {
        return lowerCaseList(SEGMENTS_ADD_VALUES);
    }

    /** {@value #SEGMENTS_REMOVE_VALUES}: the non-blank entries, trimmed and lower-cased. */
    public List<String> segmentsRemoveValues() {
        return lowerCaseList(SEGMENTS_REMOVE_VALUES);
    }

    /** {@value #SEGMENTS_TOMBSTONE_RETENTION_MS}. */
    public long segmentsTombstoneRetentionMs() {
        return getLong(SEGMENTS_TOMBSTONE_RETENTION_MS);
    }

    /** {@value #SEGMENTS_INDEX_CREATE}. */
    public boolean segmentsIndexCreate() {
        return getBoolean(SEGMENTS_INDEX_CREATE);
    }

    /** {@value #SEGMENTS_INDEX_NAME}. */
    public String segmentsIndexName() {
        return getString(SEGMENTS_INDEX_NAME);
    }

    /** {@value #SEGMENTS_INDEX_WAIT_MS}. */
    public long segmentsIndexWaitMs() {
        return getLong(SEGMENTS_INDEX_WAIT_MS);
    }

    /** {@value #COUNTERS_OFFSETS_BIN}. */
    public String countersOffsetsBin() {
        return getString(COUNTERS_OFFSETS_BIN);
    }

    /** {@value #COUNTERS_OFFSET_REGRESSION_TOLERANCE_MS}. */
    public long countersOffsetRegressionToleranceMs() {
        return getLong(COUNTERS_OFFSET_REGRESSION_TOLERANCE_MS);
    }

    /** {@value #BINS_INCLUDE}. */
    public List<String> binsInclude() {
        return getList(BINS_INCLUDE);
    }

    /** {@value #BINS_EXCLUDE}. */
    public List<String> binsExclude() {
        return getList(BINS_EXCLUDE);
    }

    /** {@value #DELETE_ENABLED}. */
    public boolean deleteEnabled() {
        return getBoolean(DELETE_ENABLED);
    }

    /** {@value #BINS_GENERATION_FIELD}. */
    public String binsGenerationField() {
        return getString(BINS_GENERATION_FIELD);
    }

    /** {@value #BINS_TS_FIELD}. */
    public String binsTsField() {
        return getString(BINS_TS_FIELD);
    }

    /** {@value #BINS_TS_BIN}. */
    public String binsTsBin() {
        return getString(BINS_TS_BIN);
    }

    public String passwordValue(String name) {
        Password password = getPassword(name);
        return password == null ? null : password.value();
    }

    public List<String> lowerCaseList(String name) {
        List<String> out = new ArrayList<>();
        for (String value : getList(name)) {
            if (!value.isBlank()) {
                out.add(value.trim().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static ConfigDef.Validator enumValidator(Enum<?>[] values) {
        return EnumOptions.validator(values);
    }

    private static ConfigDef.Recommender enumRecommender(Enum<?>[] values) {
        return EnumOptions.recommender(values);
    }

    /** Rejects bin names Aerospike would refuse (more than 15 bytes, empty). */
    static final class BinNameValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String problem = BinNames.problem((String) value);
            if (problem != null) {
                throw new ConfigException(name, value, problem);
            }
        }

        @Override
        public String toString() {
            return "a bin name of 1 to 15 bytes";
        }
    }
}
