/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import io.cdpconnect.common.EventTimes;
import io.cdpconnect.common.config.CrossOptionChecks;
import io.cdpconnect.common.config.EnumOptions;
import io.cdpconnect.common.config.Validators;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Configuration of {@link MongoCdcSourceConnector} and its tasks. */
public final class MongoCdcSourceConfig extends AbstractConfig {

    // ---- connection
    public static final String MONGO_URI = "mongo.uri";
    public static final String MONGO_TLS_ENABLED = "mongo.tls.enabled";
    public static final String MONGO_TLS_TRUSTSTORE_LOCATION = "mongo.tls.truststore.location";
    public static final String MONGO_TLS_TRUSTSTORE_PASSWORD = "mongo.tls.truststore.password";
    public static final String MONGO_TLS_TRUSTSTORE_TYPE = "mongo.tls.truststore.type";
    public static final String MONGO_TLS_KEYSTORE_LOCATION = "mongo.tls.keystore.location";
    public static final String MONGO_TLS_KEYSTORE_PASSWORD = "mongo.tls.keystore.password";
    public static final String MONGO_TLS_KEYSTORE_TYPE = "mongo.tls.keystore.type";
    public static final String MONGO_TLS_ALLOW_INVALID_HOSTNAMES = "mongo.tls.allow.invalid.hostnames";

    // ---- what to read
    public static final String DATABASE = "database";
    public static final String COLLECTIONS_INCLUDE = "collections.include";
    public static final String COLLECTIONS_EXCLUDE = "collections.exclude";
    public static final String COLLECTIONS_REFRESH_INTERVAL_MS = "collections.refresh.interval.ms";
    public static final String PIPELINE = "pipeline";
    public static final String STREAM_SCOPE = "stream.scope";
    public static final String FULL_DOCUMENT = "full.document";
    public static final String FULL_DOCUMENT_BEFORE_CHANGE = "full.document.before.change";

    // ---- output
    public static final String OUTPUT_FORMAT = "output.format";
    public static final String DOCUMENT_FORMAT = "document.format";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String TOPIC_NAMESPACE_MAP = "topic.namespace.map";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    public static final String HEARTBEAT_TOPIC = "heartbeat.topic";
    public static final String LIFECYCLE_EVENTS = "lifecycle.events";
    public static final String DELETE_TOMBSTONES = "delete.tombstones";
    public static final String DECIMAL_SCALE = "decimal.scale";
    public static final String DOCUMENT_FIELD_NAMES = "document.field.names";

    // ---- start-up and recovery
    public static final String STARTUP_MODE = "startup.mode";
    public static final String STARTUP_TIMESTAMP = "startup.timestamp";
    public static final String ON_HISTORY_LOST = "on.history.lost";
    public static final String ON_INVALIDATE = "on.invalidate";
    public static final String HISTORY_WARNING_MARGIN_MS = "history.warning.margin.ms";

    // ---- behaviour
    public static final String BATCH_SIZE = "batch.size";
    public static final String POLL_AWAIT_MS = "poll.await.ms";
    public static final String SNAPSHOT_BATCH_SIZE = "snapshot.batch.size";
    public static final String CURSOR_BATCH_SIZE = "cursor.batch.size";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String MAX_RETRIES = "max.retries";

    // ---- errors
    public static final String ON_INVALID = "on.invalid";
    public static final String MAX_EVENT_SIZE_BYTES = "max.event.size.bytes";
    public static final String ON_OVERSIZED = "on.oversized";

    /**
     * Set by the connector in each task's config: the task's number and the number of tasks. A task streams the
     * collections in scope whose namespace hashes to its number ({@link TaskOwnership}), so no collection name is
     * ever written into a task config and creating or dropping a collection changes no task config.
     */
    public static final String TASK_INDEX = "task.index";

    public static final String TASK_COUNT = "task.count";

    public enum OutputFormat {
        SCHEMA,
        JSON
    }

    public enum DocumentFormat {
        STRUCT,
        JSON
    }

    public enum StartupMode {
        LATEST,
        TIMESTAMP,
        SNAPSHOT
    }

    public enum HistoryLostPolicy {
        FAIL,
        LATEST,
        SNAPSHOT
    }

    public enum InvalidatePolicy {
        RESTART,
        STOP,
        FAIL
    }

    public enum StreamScope {
        COLLECTION,
        DATABASE
    }

    public enum LifecycleEvents {
        EMIT,
        LOG
    }

    public enum InvalidPolicy {
        FAIL,
        LOG
    }

    public enum OversizedPolicy {
        FAIL,
        LOG,
        KEY_ONLY
    }

    private static final String G_CONNECTION = "Connection";
    private static final String G_SCOPE = "What to read";
    private static final String G_OUTPUT = "Output";
    private static final String G_STARTUP = "Start-up and recovery";
    private static final String G_BEHAVIOUR = "Behaviour";
    private static final String G_ERRORS = "Errors";

    public static final ConfigDef CONFIG_DEF = configDef();
    /** What a task parses: the user's options plus the assignment the connector adds for each task. */
    static final ConfigDef TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF)
            .defineInternal(TASK_INDEX, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW, "")
            .defineInternal(TASK_COUNT, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.LOW, "");

    private final Pattern include;
    private final Pattern exclude;
    private final List<BsonDocument> pipeline;
    private final Map<String, String> namespaceMap;

    public MongoCdcSourceConfig(Map<?, ?> props) {
        super(TASK_CONFIG_DEF, props);
        include = compile(COLLECTIONS_INCLUDE, getString(COLLECTIONS_INCLUDE));
        exclude = compile(COLLECTIONS_EXCLUDE, getString(COLLECTIONS_EXCLUDE));
        pipeline = parsePipeline(getString(PIPELINE));
        namespaceMap = parseNamespaceMap(getString(TOPIC_NAMESPACE_MAP));
        if (startupMode() == StartupMode.TIMESTAMP && startupTimestamp() == null) {
            throw CrossOptionChecks.problem(STARTUP_TIMESTAMP, null, "required when " + STARTUP_MODE + "=timestamp");
        }
        String changesToken = stageChanging(pipeline, "_id");
        if (changesToken != null) {
            // MongoDB fails the stream at its first event (280) and the task on every restart: refuse it here.
            throw CrossOptionChecks.problem(
                    PIPELINE,
                    getString(PIPELINE),
                    "each event's _id is its resume token, and " + changesToken
                            + "; MongoDB fails a change stream whose pipeline removes or changes it: keep _id as it is");
        }
        if (streamScope() == StreamScope.DATABASE) {
            String why = stageChanging(pipeline, "ns");
            if (why != null) {
                throw CrossOptionChecks.problem(
                        PIPELINE,
                        getString(PIPELINE),
                        "with " + STREAM_SCOPE + "=database each event "
                                + "is routed to its collection by its 'ns' field, and " + why
                                + "; keep 'ns' in the events or "
                                + "use " + STREAM_SCOPE + "=collection");
            }
        }
    }

    /**
     * Why a stage removes or rewrites the event field {@code field} ({@code ns}: its collection, {@code _id}: its
     * resume token), or null when none does. A value that is the field itself ({@code "$_id"}) keeps it. An
     * inclusion {@code $project} keeps {@code _id} unless it excludes it, and drops every other field it does not name.
     * A {@code $replaceRoot} whose new root is an expression ({@code $mergeObjects} of {@code $$ROOT}, ...) cannot be
     * judged here and is let through for {@code _id}: the server checks each event.
     */
    static String stageChanging(List<BsonDocument> stages, String field) {
        boolean id = field.equals("_id");
        for (BsonDocument stage : stages) {
            String op = stage.getFirstKey();
            BsonValue arg = stage.get(op);
            switch (op) {
                case "$replaceRoot", "$replaceWith" -> {
                    BsonValue root = op.equals("$replaceRoot") && arg.isDocument()
                            ? arg.asDocument().get("newRoot")
                            : arg;
                    if (!id || replacesField(root, field)) {
                        return "the stage " + op + " replaces the event";
                    }
                }
                case "$unset" -> {
                    List<BsonValue> fields = arg.isArray() ? arg.asArray() : List.of(arg);
                    for (BsonValue f : fields) {
                        if (f.isString() && names(f.asString().getValue(), field)) {
                            return "$unset removes " + f.asString().getValue();
                        }
                    }
                }
                case "$project" -> {
                    if (arg.isDocument()) {
                        BsonDocument p = arg.asDocument();
                        boolean inclusion = false;
                        for (Map.Entry<String, BsonValue> e : p.entrySet()) {
                            BsonValue v = e.getValue();
                            boolean excluded = v.isBoolean()
                                    ? !v.asBoolean().getValue()
                                    : v.isNumber() && v.asNumber().intValue() == 0;
                            boolean namesField = names(e.getKey(), field);
                            boolean keeps = v.isBoolean() || v.isNumber() || isItself(v, e.getKey());
                            if (namesField && (excluded || !keeps)) {
                                return "$project removes or rewrites " + e.getKey();
                            }
                            if (!excluded && !e.getKey().equals("_id") && !namesField) {
                                inclusion = true;
                            }
                        }
                        if (!id && inclusion && !p.containsKey(field)) {
                            return "$project keeps only the fields it names, and not " + field;
                        }
                    }
                }
                case "$set", "$addFields" -> {
                    if (arg.isDocument()) {
                        for (Map.Entry<String, BsonValue> e : arg.asDocument().entrySet()) {
                            if (names(e.getKey(), field) && !isItself(e.getValue(), e.getKey())) {
                                return op + " rewrites " + e.getKey();
                            }
                        }
                    }
                }
                default -> {
                    // other stages ($match, $redact of documents, ...) keep the event's fields
                }
            }
        }
        return null;
    }

    /** Whether a path is the field or a path inside it. */
    private static boolean names(String path, String field) {
        return path.equals(field) || path.startsWith(field + ".");
    }

    /** {@code "$f"} for the field {@code f}: the field kept as it is. */
    private static boolean isItself(BsonValue v, String path) {
        return v.isString() && v.asString().getValue().equals("$" + path);
    }

    /**
     * Whether a new root certainly loses or changes {@code field}: a field path such as {@code "$fullDocument"}, or a
     * literal document that does not carry the field as it is. An expression object is not judged.
     */
    private static boolean replacesField(BsonValue root, String field) {
        if (root == null) {
            return false;
        }
        if (root.isString()) {
            return !root.asString().getValue().equals("$$ROOT");
        }
        if (root.isDocument()) {
            BsonDocument d = root.asDocument();
            boolean expression = d.size() == 1 && d.getFirstKey().startsWith("$");
            return !expression && !(d.containsKey(field) && isItself(d.get(field), field));
        }
        return true;
    }

    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int o = 0;
        def.define(
                MONGO_URI,
                Type.PASSWORD,
                ConfigDef.NO_DEFAULT_VALUE,
                Validators.nonBlankPassword(),
                Importance.HIGH,
                "MongoDB connection string (mongodb:// or mongodb+srv://), credentials included. A replica set or sharded "
                        + "cluster is required for change streams. Kept as a password: masked in the REST API and logs; "
                        + "use a config provider such as ${file:...} or ${env:...} to keep it out of the config.",
                G_CONNECTION,
                ++o,
                Width.LONG,
                "MongoDB URI");
        def.define(
                MONGO_TLS_ENABLED,
                Type.BOOLEAN,
                false,
                Importance.MEDIUM,
                "Connect over TLS. Can also be enabled in the URI (tls=true); the trust and key stores below apply when set.",
                G_CONNECTION,
                ++o,
                Width.SHORT,
                "TLS enabled");
        def.define(
                MONGO_TLS_TRUSTSTORE_LOCATION,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Trust store file with the CA certificates that sign the server certificates. Empty: the JVM's default trust store.",
                G_CONNECTION,
                ++o,
                Width.LONG,
                "TLS trust store");
        def.define(
                MONGO_TLS_TRUSTSTORE_PASSWORD,
                Type.PASSWORD,
                null,
                Importance.MEDIUM,
                "Password of the trust store.",
                G_CONNECTION,
                ++o,
                Width.MEDIUM,
                "TLS trust store password");
        def.define(
                MONGO_TLS_TRUSTSTORE_TYPE,
                Type.STRING,
                "PKCS12",
                ConfigDef.ValidString.in("PKCS12", "JKS"),
                Importance.LOW,
                "Trust store type.",
                G_CONNECTION,
                ++o,
                Width.SHORT,
                "TLS trust store type");
        def.define(
                MONGO_TLS_KEYSTORE_LOCATION,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Key store with the client certificate and key, for X.509 authentication or servers requiring client certificates.",
                G_CONNECTION,
                ++o,
                Width.LONG,
                "TLS key store");
        def.define(
                MONGO_TLS_KEYSTORE_PASSWORD,
                Type.PASSWORD,
                null,
                Importance.MEDIUM,
                "Password of the key store and of its key.",
                G_CONNECTION,
                ++o,
                Width.MEDIUM,
                "TLS key store password");
        def.define(
                MONGO_TLS_KEYSTORE_TYPE,
                Type.STRING,
                "PKCS12",
                ConfigDef.ValidString.in("PKCS12", "JKS"),
                Importance.LOW,
                "Key store type.",
                G_CONNECTION,
                ++o,
                Width.SHORT,
                "TLS key store type");
        def.define(
                MONGO_TLS_ALLOW_INVALID_HOSTNAMES,
                Type.BOOLEAN,
                false,
                Importance.LOW,
                "Accept server certificates whose host name does not match. For tests only.",
                G_CONNECTION,
                ++o,
                Width.SHORT,
                "TLS allow invalid host names");

        o = 0;
        def.define(
                DATABASE,
                Type.STRING,
                "",
                Importance.HIGH,
                "Database to read. Empty: every database of the deployment except admin, config and local.",
                G_SCOPE,
                ++o,
                Width.MEDIUM,
                "Database");
        def.define(
                COLLECTIONS_INCLUDE,
                Type.STRING,
                "",
                regex(),
                Importance.HIGH,
                "Regular expression on the full namespace 'database.collection'; only matching collections are read. "
                        + "Empty: all collections in scope. Example: shop\\.(orders|customers)",
                G_SCOPE,
                ++o,
                Width.LONG,
                "Collections to include");
        def.define(
                COLLECTIONS_EXCLUDE,
                Type.STRING,
                "",
                regex(),
                Importance.MEDIUM,
                "Regular expression on 'database.collection'; matching collections are skipped (applied after the include).",
                G_SCOPE,
                ++o,
                Width.LONG,
                "Collections to exclude");
        def.define(
                COLLECTIONS_REFRESH_INTERVAL_MS,
                Type.LONG,
                30_000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "How often the connector looks for collections created or dropped in scope and, when the set changes, "
                        + "reassigns collections to tasks. 0 disables the check.",
                G_SCOPE,
                ++o,
                Width.SHORT,
                "Collection refresh interval");
        def.define(
                STREAM_SCOPE,
                Type.STRING,
                "collection",
                EnumOptions.validator(StreamScope.values()),
                Importance.MEDIUM,
                "collection: one change stream per collection. database: one database-level change stream per task "
                        + "and database, with a $match on ns.coll for the task's collections of that database; each "
                        + "collection keeps its own source partition and position (switching scope keeps positions), "
                        + "the stream starts at the oldest position of its collections and each collection drops "
                        + "what it has already passed. For many, mostly quiet collections: one cursor and one "
                        + "round trip per poll instead of one per collection. Needs the changeStream and find "
                        + "privileges on the database. A pipeline must keep 'ns'. After an event over 16 MB or a "
                        + "lost history the task reads one stream per collection until it restarts (logged).",
                G_SCOPE,
                ++o,
                Width.SHORT,
                "Stream scope",
                EnumOptions.recommender(StreamScope.values()));
        def.define(
                PIPELINE,
                Type.STRING,
                "[]",
                Validators.parsedBy("a JSON array of aggregation stages", (name, value) -> parsePipeline(value)),
                Importance.MEDIUM,
                "Aggregation stages appended to every change stream, as a JSON array, e.g. "
                        + "[{\"$match\": {\"operationType\": {\"$in\": [\"insert\", \"update\"]}}}]. "
                        + "Do not filter out 'invalidate': the server always sends it. Keep each event's _id (its "
                        + "resume token) as it is: a stage that removes or changes it is refused.",
                G_SCOPE,
                ++o,
                Width.LONG,
                "Pipeline");
        def.define(
                FULL_DOCUMENT,
                Type.STRING,
                "updateLookup",
                ConfigDef.ValidString.in("off", "updateLookup", "whenAvailable", "required"),
                Importance.MEDIUM,
                "Full document on update events: off (only the update description), updateLookup (the current document, "
                        + "looked up when the event is read), whenAvailable / required (the post-image stored at the change; "
                        + "MongoDB 6+, changeStreamPreAndPostImages enabled on the collection).",
                G_SCOPE,
                ++o,
                Width.SHORT,
                "Full document");
        def.define(
                FULL_DOCUMENT_BEFORE_CHANGE,
                Type.STRING,
                "off",
                ConfigDef.ValidString.in("off", "whenAvailable", "required"),
                Importance.MEDIUM,
                "Document before the change on update, replace and delete events (MongoDB 6+, changeStreamPreAndPostImages "
                        + "enabled on the collection).",
                G_SCOPE,
                ++o,
                Width.SHORT,
                "Full document before change");

        o = 0;
        def.define(
                OUTPUT_FORMAT,
                Type.STRING,
                "schema",
                EnumOptions.validator(OutputFormat.values()),
                Importance.HIGH,
                "schema: key and value are Structs with a Connect schema (for Avro/Protobuf/JSON-Schema converters). "
                        + "json: key and value are JSON text (MongoDB relaxed extended JSON) written straight from the "
                        + "raw BSON; use org.apache.kafka.connect.storage.StringConverter as key and value converter. "
                        + "The value is compact (no blanks) and leaves out envelope fields the event does not have "
                        + "(full_document is always there, null when the event has none); the key keeps the "
                        + "driver's text ({\"_id\": ...}) byte for byte.",
                G_OUTPUT,
                ++o,
                Width.SHORT,
                "Output format",
                EnumOptions.recommender(OutputFormat.values()));
        def.define(
                DOCUMENT_FORMAT,
                Type.STRING,
                "struct",
                EnumOptions.validator(DocumentFormat.values()),
                Importance.MEDIUM,
                "With output.format=schema: full documents as Structs in one schema per collection that only widens (new "
                        + "fields are added as optional, int32 widens to int64 and double; nested structs named "
                        + "<db>.<collection>.<path>) (struct), "
                        + "or as a string of relaxed extended JSON (json), which keeps every BSON type.",
                G_OUTPUT,
                ++o,
                Width.SHORT,
                "Document format",
                EnumOptions.recommender(DocumentFormat.values()));
        def.define(
                TOPIC_PREFIX,
                Type.STRING,
                "",
                Importance.HIGH,
                "Topic name prefix: events of db.coll go to '<prefix>.db.coll' ('db.coll' when empty).",
                G_OUTPUT,
                ++o,
                Width.MEDIUM,
                "Topic prefix");
        def.define(
                TOPIC_NAMESPACE_MAP,
                Type.STRING,
                "{}",
                Validators.parsedBy(
                        "a JSON object {\"db.coll\" or \"db\": \"topic\"}", (name, value) -> parseNamespaceMap(value)),
                Importance.MEDIUM,
                "Explicit topics as a JSON object from namespace or database to topic name, e.g. "
                        + "{\"shop.orders\": \"orders\", \"crm\": \"crm-changes\"}. The collection entry wins over the database "
                        + "entry; the prefix is not added to mapped names.",
                G_OUTPUT,
                ++o,
                Width.LONG,
                "Topic namespace map");
        def.define(
                HEARTBEAT_INTERVAL_MS,
                Type.LONG,
                0L,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "When > 0, a stream that delivered nothing for this long writes a heartbeat record carrying its latest "
                        + "resume token to heartbeat.topic, so the stored offset of a quiet collection stays inside the oplog window.",
                G_OUTPUT,
                ++o,
                Width.SHORT,
                "Heartbeat interval");
        def.define(
                HEARTBEAT_TOPIC,
                Type.STRING,
                "__cdp_mongo_heartbeats",
                Validators.nonBlank(),
                Importance.LOW,
                "Topic of heartbeat records.",
                G_OUTPUT,
                ++o,
                Width.MEDIUM,
                "Heartbeat topic");
        def.define(
                LIFECYCLE_EVENTS,
                Type.STRING,
                "emit",
                EnumOptions.validator(LifecycleEvents.values()),
                Importance.MEDIUM,
                "drop, rename, dropDatabase and invalidate events: emit (written to the collection's topic with a null "
                        + "document and operation set) or log (logged at WARN, not written).",
                G_OUTPUT,
                ++o,
                Width.SHORT,
                "Lifecycle events",
                EnumOptions.recommender(LifecycleEvents.values()));

        def.define(
                DECIMAL_SCALE,
                Type.INT,
                -1,
                ConfigDef.Range.between(-1, 6143),
                Importance.MEDIUM,
                "With document.format=struct: the scale of every Decimal128 field, so the field's schema never changes "
                        + "(Avro decimals cannot change scale). A value with more decimal places is not rounded: it is "
                        + "handled by on.invalid. -1: the largest scale seen so far for the field (the schema widens "
                        + "when a value with more decimals arrives).",
                G_OUTPUT,
                ++o,
                Width.SHORT,
                "Decimal scale");
        def.define(
                DOCUMENT_FIELD_NAMES,
                Type.STRING,
                "avro",
                ConfigDef.ValidString.in("avro", "original"),
                Importance.MEDIUM,
                "With document.format=struct: avro (field names made Avro-safe, [A-Za-z_][A-Za-z0-9_]*: other "
                        + "characters become '_', a leading digit gets a '_' first; two fields of one document that would "
                        + "share a name are handled by on.invalid) or original (BSON field names as they are; fine "
                        + "for JSON converters, rejected by Avro for names such as 'first-name').",
                G_OUTPUT,
                ++o,
                Width.SHORT,
                "Document field names");
        def.define(
                DELETE_TOMBSTONES,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "After each delete event, also write a tombstone (same key, null value) so log compaction removes the "
                        + "document from a compacted topic. Consumers and transforms must accept null values; false to "
                        + "write the delete event only.",
                G_OUTPUT,
                ++o,
                Width.SHORT,
                "Delete tombstones");

        o = 0;
        def.define(
                STARTUP_MODE,
                Type.STRING,
                "latest",
                EnumOptions.validator(StartupMode.values()),
                Importance.HIGH,
                "Where a collection without a stored offset starts: latest (changes from now on), timestamp (changes since "
                        + "startup.timestamp, if still in the oplog) or snapshot (copy the existing documents, then stream "
                        + "from the moment taken before the copy: no gap, writes made during the copy included).",
                G_STARTUP,
                ++o,
                Width.SHORT,
                "Start-up mode",
                EnumOptions.recommender(StartupMode.values()));
        def.define(
                STARTUP_TIMESTAMP,
                Type.STRING,
                null,
                Validators.parsedBy("ISO-8601 instant or epoch seconds", (name, value) -> parseInstant(value)),
                Importance.MEDIUM,
                "With startup.mode=timestamp: ISO-8601 instant (2026-11-23T10:00:00Z), offset or local date-time (UTC), "
                        + "date (midnight UTC) or epoch seconds.",
                G_STARTUP,
                ++o,
                Width.MEDIUM,
                "Start-up timestamp");
        def.define(
                ON_HISTORY_LOST,
                Type.STRING,
                "fail",
                EnumOptions.validator(HistoryLostPolicy.values()),
                Importance.HIGH,
                "The stored resume token is no longer in the oplog (ChangeStreamHistoryLost, code 286; on an open stream "
                        + "CappedPositionLost, 136): fail (the task "
                        + "fails and says how to recover), latest (continue from now, changes in between are lost, logged) or "
                        + "snapshot (copy the collection again, then stream).",
                G_STARTUP,
                ++o,
                Width.SHORT,
                "On history lost",
                EnumOptions.recommender(HistoryLostPolicy.values()));
        def.define(
                ON_INVALIDATE,
                Type.STRING,
                "restart",
                EnumOptions.validator(InvalidatePolicy.values()),
                Importance.MEDIUM,
                "After the collection is dropped or renamed the stream is invalidated: restart (start after the "
                        + "invalidate event, so a re-created collection keeps streaming), stop (close this collection's stream, "
                        + "logged at WARN; the others continue) or fail (the task fails).",
                G_STARTUP,
                ++o,
                Width.SHORT,
                "On invalidate",
                EnumOptions.recommender(InvalidatePolicy.values()));

        def.define(
                HISTORY_WARNING_MARGIN_MS,
                Type.LONG,
                3_600_000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "At every collection listing, a collection whose position is less than this far (in cluster time) from "
                        + "the oldest oplog entry is logged at WARN: its history is about to be lost. Set heartbeat.interval.ms "
                        + "for quiet collections or enlarge the oplog. Needs read on the 'local' database; 0 disables.",
                G_STARTUP,
                ++o,
                Width.SHORT,
                "History warning margin");

        o = 0;
        def.define(
                BATCH_SIZE,
                Type.INT,
                1000,
                ConfigDef.Range.between(1, 100_000),
                Importance.MEDIUM,
                "Maximum records returned by one poll of a task.",
                G_BEHAVIOUR,
                ++o,
                Width.SHORT,
                "Batch size");
        def.define(
                POLL_AWAIT_MS,
                Type.LONG,
                500L,
                ConfigDef.Range.between(1, 60_000),
                Importance.LOW,
                "How long a poll waits for new changes when every stream is idle. Each change stream's cursor asks "
                        + "the server to wait its share (poll.await.ms over the task's streams); when the server "
                        + "answers at once with nothing, idle polls sleep a sixteenth of how long the streams have "
                        + "been idle, up to poll.await.ms, so idle streams never poll in a loop.",
                G_BEHAVIOUR,
                ++o,
                Width.SHORT,
                "Poll await");
        def.define(
                CURSOR_BATCH_SIZE,
                Type.INT,
                0,
                ConfigDef.Range.between(0, 100_000),
                Importance.LOW,
                "Change events the server returns per round trip (the change stream's batchSize). 0: the server's "
                        + "default, which fills each reply up to 16 MB (the first one up to 101 events), as MongoDB's "
                        + "official connector does by default; a backlog then drains in few round trips. Independent "
                        + "of batch.size, which caps the records of one poll.",
                G_BEHAVIOUR,
                ++o,
                Width.SHORT,
                "Cursor batch size");
        def.define(
                SNAPSHOT_BATCH_SIZE,
                Type.INT,
                1000,
                ConfigDef.Range.between(1, 100_000),
                Importance.LOW,
                "Documents fetched per round trip while copying; bounds the memory a copy uses.",
                G_BEHAVIOUR,
                ++o,
                Width.SHORT,
                "Snapshot batch size");
        def.define(
                RETRY_BACKOFF_MS,
                Type.LONG,
                500L,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "First wait before reconnecting after a network error or primary election; doubled up to retry.backoff.max.ms.",
                G_BEHAVIOUR,
                ++o,
                Width.SHORT,
                "Retry backoff");
        def.define(
                RETRY_BACKOFF_MAX_MS,
                Type.LONG,
                30_000L,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Longest wait between reconnect attempts.",
                G_BEHAVIOUR,
                ++o,
                Width.SHORT,
                "Retry backoff max");
        def.define(
                MAX_RETRIES,
                Type.INT,
                20,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Consecutive failed reconnect attempts of one collection's stream (network errors, timeouts, "
                        + "elections) before the task fails, showing FAILED with the last error; its position is kept, "
                        + "so a restart resumes where it stopped. With the default back-off about 8 minutes.",
                G_BEHAVIOUR,
                ++o,
                Width.SHORT,
                "Max retries");

        o = 0;
        def.define(
                ON_INVALID,
                Type.STRING,
                "fail",
                EnumOptions.validator(InvalidPolicy.values()),
                Importance.MEDIUM,
                "A change that cannot be converted (e.g. a Decimal128 NaN in struct output): fail (the task fails with the "
                        + "namespace, _id and cause) or log (logged at ERROR with namespace, _id and cause, then skipped: no record is "
                        + "written, so its position is committed with the next record or heartbeat of that collection; a "
                        + "restart before then reads it again and logs and skips it again).",
                G_ERRORS,
                ++o,
                Width.SHORT,
                "On invalid",
                EnumOptions.recommender(InvalidPolicy.values()));
        def.define(
                MAX_EVENT_SIZE_BYTES,
                Type.INT,
                1_000_000,
                ConfigDef.Range.atLeast(1024),
                Importance.MEDIUM,
                "Events whose documents (full document, before-image, updated fields) exceed this many BSON bytes are "
                        + "handled by on.oversized instead of failing in the producer. Keep it below the worker's "
                        + "producer max.request.size (default 1048576).",
                G_ERRORS,
                ++o,
                Width.SHORT,
                "Max event size");
        def.define(
                ON_OVERSIZED,
                Type.STRING,
                "key.only",
                EnumOptions.validator(OversizedPolicy.values(), '.'),
                Importance.MEDIUM,
                "An event over max.event.size.bytes: key.only (written without its documents, with oversized=true), "
                        + "log (logged at ERROR and skipped) or fail (the task fails with namespace and _id).",
                G_ERRORS,
                ++o,
                Width.SHORT,
                "On oversized",
                EnumOptions.recommender(OversizedPolicy.values(), '.'));

        return def;
    }

    // ---- typed accessors

    public Password mongoUri() {
        return getPassword(MONGO_URI);
    }

    public String database() {
        return getString(DATABASE);
    }

    /** True when the namespace is in scope (database, include and exclude). */
    public boolean inScope(String namespace) {
        String db = database();
        if (!db.isEmpty() && !namespace.startsWith(db + ".")) {
            return false;
        }
        if (include != null && !include.matcher(namespace).matches()) {
            return false;
        }
        return exclude == null || !exclude.matcher(namespace).matches();
    }

    public StreamScope streamScope() {
        return EnumOptions.parse(StreamScope.class, getString(STREAM_SCOPE));
    }

    public List<BsonDocument> pipeline() {
        return pipeline;
    }

    public FullDocument fullDocument() {
        String v = getString(FULL_DOCUMENT);
        return "off".equals(v) ? FullDocument.DEFAULT : FullDocument.fromString(v);
    }

    public FullDocumentBeforeChange fullDocumentBeforeChange() {
        String v = getString(FULL_DOCUMENT_BEFORE_CHANGE);
        return "off".equals(v) ? FullDocumentBeforeChange.DEFAULT : FullDocumentBeforeChange.fromString(v);
    }

    public OutputFormat outputFormat() {
        return EnumOptions.parse(OutputFormat.class, getString(OUTPUT_FORMAT));
    }

    public DocumentFormat documentFormat() {
        return EnumOptions.parse(DocumentFormat.class, getString(DOCUMENT_FORMAT));
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public Map<String, String> namespaceMap() {
        return namespaceMap;
    }

    public long heartbeatIntervalMs() {
        return getLong(HEARTBEAT_INTERVAL_MS);
    }

    public String heartbeatTopic() {
        return getString(HEARTBEAT_TOPIC);
    }

    public LifecycleEvents lifecycleEvents() {
        return EnumOptions.parse(LifecycleEvents.class, getString(LIFECYCLE_EVENTS));
    }

    public StartupMode startupMode() {
        return EnumOptions.parse(StartupMode.class, getString(STARTUP_MODE));
    }

    /** The start-up instant of startup.mode=timestamp, or null. */
    public Instant startupTimestamp() {
        String v = getString(STARTUP_TIMESTAMP);
        return v == null || v.isBlank() ? null : parseInstant(v);
    }

    public HistoryLostPolicy onHistoryLost() {
        return EnumOptions.parse(HistoryLostPolicy.class, getString(ON_HISTORY_LOST));
    }

    public InvalidatePolicy onInvalidate() {
        return EnumOptions.parse(InvalidatePolicy.class, getString(ON_INVALIDATE));
    }

    public InvalidPolicy onInvalid() {
        return EnumOptions.parse(InvalidPolicy.class, getString(ON_INVALID));
    }

    public OversizedPolicy onOversized() {
        return EnumOptions.parse(OversizedPolicy.class, getString(ON_OVERSIZED));
    }

    public int maxEventSizeBytes() {
        return getInt(MAX_EVENT_SIZE_BYTES);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public long pollAwaitMs() {
        return getLong(POLL_AWAIT_MS);
    }

    /** The change stream's batchSize; 0 = the server's default. */
    public int cursorBatchSize() {
        return getInt(CURSOR_BATCH_SIZE);
    }

    public int snapshotBatchSize() {
        return getInt(SNAPSHOT_BATCH_SIZE);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    public long retryBackoffMaxMs() {
        return getLong(RETRY_BACKOFF_MAX_MS);
    }

    public long historyWarningMarginMs() {
        return getLong(HISTORY_WARNING_MARGIN_MS);
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    public int decimalScale() {
        return getInt(DECIMAL_SCALE);
    }

    public boolean avroFieldNames() {
        return "avro".equals(getString(DOCUMENT_FIELD_NAMES));
    }

    public boolean deleteTombstones() {
        return getBoolean(DELETE_TOMBSTONES);
    }

    public long collectionsRefreshIntervalMs() {
        return getLong(COLLECTIONS_REFRESH_INTERVAL_MS);
    }

    public int taskIndex() {
        return getInt(TASK_INDEX);
    }

    public int taskCount() {
        return getInt(TASK_COUNT);
    }

    // ---- parsing helpers (shared with the validators so a bad value fails at validate time)

    private static Pattern compile(String name, String regex) {
        if (regex == null || regex.isBlank()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(name, regex, "not a valid regular expression: " + e.getDescription());
        }
    }

    static List<BsonDocument> parsePipeline(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        BsonArray stages;
        try {
            stages = BsonArray.parse(json);
        } catch (RuntimeException e) {
            throw new ConfigException(PIPELINE, json, "not a JSON array of aggregation stages: " + e.getMessage());
        }
        List<BsonDocument> out = new ArrayList<>(stages.size());
        for (BsonValue stage : stages) {
            if (!stage.isDocument() || stage.asDocument().size() != 1) {
                throw new ConfigException(
                        PIPELINE, json, "each stage must be an object with one operator, got " + stage);
            }
            out.add(stage.asDocument());
        }
        return Collections.unmodifiableList(out);
    }

    static Map<String, String> parseNamespaceMap(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        BsonDocument doc;
        try {
            doc = BsonDocument.parse(json);
        } catch (RuntimeException e) {
            throw new ConfigException(TOPIC_NAMESPACE_MAP, json, "not a JSON object: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            if (!e.getValue().isString() || e.getValue().asString().getValue().isBlank()) {
                throw new ConfigException(
                        TOPIC_NAMESPACE_MAP, json, "topic for '" + e.getKey() + "' must be a non-empty string");
            }
            String illegal = TopicNamer.illegalTopic(e.getValue().asString().getValue());
            if (illegal != null) {
                throw new ConfigException(
                        TOPIC_NAMESPACE_MAP,
                        json,
                        "topic '" + e.getValue().asString().getValue() + "' for '" + e.getKey()
                                + "' is not a legal topic name: " + illegal);
            }
            out.put(e.getKey(), e.getValue().asString().getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /** startup.timestamp: what {@link EventTimes} reads, numbers as epoch seconds. */
    static Instant parseInstant(String v) {
        try {
            return EventTimes.parse(v, ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    STARTUP_TIMESTAMP, v, "expected an ISO-8601 instant such as 2026-11-23T10:00:00Z or epoch seconds");
        }
    }

    // ---- validators

    private static ConfigDef.Validator regex() {
        return Validators.parsedBy("a Java regular expression on 'database.collection'", MongoCdcSourceConfig::compile);
    }
}
