/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import io.cdpconnect.common.config.Validators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The {@code definitions.*} settings every plugin with a {@link DefinitionStore} exposes, so the validation and the
 * template SMTs are configured the same way. A plugin adds them to its own ConfigDef with
 * {@link #addTo(ConfigDef, DefinitionKind)} and opens its store with {@link #openStore}.
 */
public final class DefinitionsConfig {

    public static final String GROUP = "Definitions";

    public static final String SOURCE = "definitions.source";
    public static final String INLINE = "definitions.inline";
    public static final String DIRECTORY = "definitions.directory";
    public static final String JDBC_URL = "definitions.jdbc.url";
    public static final String JDBC_USER = "definitions.jdbc.user";
    public static final String JDBC_PASSWORD = "definitions.jdbc.password";
    public static final String JDBC_QUERY = "definitions.jdbc.query";
    public static final String REFRESH_MS = "definitions.refresh.ms";
    public static final String REMOVAL_MAX_PERCENT = "definitions.removal.max.percent";
    public static final String INITIAL_LOAD_TIMEOUT_MS = "definitions.initial.load.timeout.ms";
    public static final String ON_INVALID = "definitions.on.invalid";
    public static final String ON_INVALID_FAIL = "fail";
    public static final String ON_INVALID_SKIP = "skip";

    public static final String SOURCE_INLINE = "inline";
    public static final String SOURCE_DIRECTORY = "directory";
    public static final String SOURCE_JDBC = "jdbc";
    public static final long REFRESH_MS_DEFAULT = 30_000L;
    public static final int REMOVAL_MAX_PERCENT_DEFAULT = 50;
    public static final long INITIAL_LOAD_TIMEOUT_MS_DEFAULT = 60_000L;

    private DefinitionsConfig() {}

    /**
     * Compiles inline definitions while Connect validates a config ({@code PUT .../config/validate}), with the
     * plugin's other settings as parsed so far.
     */
    @FunctionalInterface
    public interface InlineCheck {
        /** @return the definitions that do not compile, by id ({@code event_type/name}), with the reason */
        Map<String, String> errors(List<Definition> definitions, Map<String, Object> parsedConfig);
    }

    /** Adds the {@code definitions.*} keys, documented for the plugin's kind, to {@code def}; returns it. */
    public static ConfigDef addTo(ConfigDef def, DefinitionKind kind) {
        return addTo(def, kind, null);
    }

    /**
     * As {@link #addTo(ConfigDef, DefinitionKind)}; {@code inlineCheck} (may be null) compiles
     * {@code definitions.inline} at validation, so a broken inline definition is reported on that option.
     */
    public static ConfigDef addTo(ConfigDef def, DefinitionKind kind, InlineCheck inlineCheck) {
        String noun = kind.noun();
        int order = 0;
        return def.define(
                        SOURCE,
                        ConfigDef.Type.STRING,
                        SOURCE_INLINE,
                        ConfigDef.CaseInsensitiveValidString.in(SOURCE_INLINE, SOURCE_DIRECTORY, SOURCE_JDBC),
                        ConfigDef.Importance.HIGH,
                        "Where the " + noun + "s come from: '" + SOURCE_INLINE + "' (JSON in " + INLINE + "), '"
                                + SOURCE_DIRECTORY + "' (files in " + DIRECTORY + ") or '" + SOURCE_JDBC
                                + "' (a database table read with " + JDBC_QUERY + "). Every source is re-read each "
                                + REFRESH_MS + "; changes apply without restarting the connector.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Definitions source",
                        new SourceRecommender(null))
                .define(
                        INLINE,
                        ConfigDef.Type.STRING,
                        "",
                        Validators.parsedBy(
                                "a JSON object keyed by event type",
                                (name, json) -> InlineDefinitionSource.parseObject(json, name)),
                        ConfigDef.Importance.HIGH,
                        inlineDoc(kind),
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Inline " + noun + "s",
                        new InlineRecommender(kind, inlineCheck))
                .define(
                        DIRECTORY,
                        ConfigDef.Type.STRING,
                        null,
                        ConfigDef.Importance.HIGH,
                        directoryDoc(kind),
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        noun + " directory",
                        new RequiredForSource(SOURCE_DIRECTORY))
                .define(
                        JDBC_URL,
                        ConfigDef.Type.PASSWORD,
                        null,
                        Validators.parsedBy("a JDBC URL (jdbc:...)", DefinitionsConfig::checkJdbcUrl),
                        ConfigDef.Importance.HIGH,
                        "JDBC URL of the database holding the " + noun + "s, e.g. "
                                + "jdbc:postgresql://db:5432/cdp?sslmode=verify-full (TLS is set in the URL with "
                                + "the driver's options). A PASSWORD option, hidden in the REST API and logs, since "
                                + "URLs may carry credentials (?password=...); prefer " + JDBC_PASSWORD + " with a "
                                + "config provider. The PostgreSQL driver ships with the plugin.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "JDBC URL",
                        new RequiredForSource(SOURCE_JDBC))
                .define(
                        JDBC_USER,
                        ConfigDef.Type.STRING,
                        null,
                        ConfigDef.Importance.MEDIUM,
                        "Database user for " + JDBC_URL + ".",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "JDBC user",
                        new SourceRecommender(SOURCE_JDBC))
                .define(
                        JDBC_PASSWORD,
                        ConfigDef.Type.PASSWORD,
                        null,
                        ConfigDef.Importance.MEDIUM,
                        "Database password for " + JDBC_URL + "; config providers such as ${file:...} work here.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "JDBC password",
                        new SourceRecommender(SOURCE_JDBC))
                .define(
                        JDBC_QUERY,
                        ConfigDef.Type.STRING,
                        kind.defaultQuery(),
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.LOW,
                        "Query returning every " + noun + ", columns by position: event type, "
                                + (kind.versioned() ? "version (integer)" : "name") + ", body text and, optionally, "
                                + "updated_at. Every row is one " + noun + "; rows that disappear are removed.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "JDBC query",
                        new SourceRecommender(SOURCE_JDBC))
                .define(
                        REFRESH_MS,
                        ConfigDef.Type.LONG,
                        REFRESH_MS_DEFAULT,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.MEDIUM,
                        "How often, in milliseconds, the " + noun + "s are re-read from their source in the "
                                + "background; changed ones are recompiled and used by the next records. A failed "
                                + "refresh keeps the last good set. 0 reads them once at start.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Refresh interval (ms)")
                .define(
                        REMOVAL_MAX_PERCENT,
                        ConfigDef.Type.INT,
                        REMOVAL_MAX_PERCENT_DEFAULT,
                        ConfigDef.Range.between(0, 100),
                        ConfigDef.Importance.MEDIUM,
                        "Protection against a source that suddenly looks empty (a truncated table, a wrong "
                                + "search_path, an unmounted volume): a refresh that would remove every " + noun
                                + ", or more than this percentage of the loaded ones, is refused; the last good set "
                                + "stays, a WARN is logged and the refusal is counted. 100 allows any removal, "
                                + "including all " + noun + "s.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Most removed per refresh (%)")
                .define(
                        INITIAL_LOAD_TIMEOUT_MS,
                        ConfigDef.Type.LONG,
                        INITIAL_LOAD_TIMEOUT_MS_DEFAULT,
                        ConfigDef.Range.between(0, 3_600_000),
                        ConfigDef.Importance.LOW,
                        "How long, in milliseconds, the first load at task start is retried (with back-off from "
                                + "250 ms to 10 s) when the source cannot be read, e.g. the database is restarting "
                                + "during a rebalance. After it the task fails with the cause. 0: one attempt.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "First load timeout (ms)")
                .define(
                        ON_INVALID,
                        ConfigDef.Type.STRING,
                        ON_INVALID_FAIL,
                        ConfigDef.CaseInsensitiveValidString.in(ON_INVALID_FAIL, ON_INVALID_SKIP),
                        ConfigDef.Importance.MEDIUM,
                        "What the task does at start when some " + noun + "s of a directory or database do not "
                                + "compile (each is logged at ERROR and counted either way): 'fail' (the task fails, "
                                + "naming them) or 'skip' (it starts without them; records of those event types "
                                + "then fail as having no " + noun + "). Inline " + noun + "s are checked when the "
                                + "config is validated. Later refreshes keep the previous version of a " + noun
                                + " that stops compiling.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "On invalid " + noun + "s",
                        new SourceRecommender(null, List.of(ON_INVALID_FAIL, ON_INVALID_SKIP)));
    }

    private static String inlineDoc(DefinitionKind kind) {
        if (kind.versioned()) {
            return "The " + kind.noun() + "s as one JSON object keyed by event type: {\"add_to_cart\": {...}} is "
                    + "version 1; {\"add_to_cart\": {\"1\": {...}, \"2\": {...}}} gives several versions.";
        }
        return "The " + kind.noun() + "s as one JSON object keyed by event type: {\"add_to_cart\": \"text\"} is the '"
                + kind.defaultName() + "' " + kind.noun() + "; {\"add_to_cart\": {\"" + kind.defaultName()
                + "\": \"...\", \"key\": \"...\"}} gives several named " + kind.noun() + "s.";
    }

    private static String directoryDoc(DefinitionKind kind) {
        String ext = kind.fileExtensions().get(0);
        return "Directory of " + kind.noun() + " files (UTF-8, extensions " + String.join(", ", kind.fileExtensions())
                + "): <event_type>" + ext + " is the "
                + (kind.versioned() ? "version 1" : "'" + kind.defaultName() + "' " + kind.noun())
                + "; <event_type>.v<N>" + ext + " is version N; "
                + "<event_type>/<name>" + ext + " is the named " + kind.noun()
                + (kind.versioned() ? " (<event_type>/v3" + ext + " is version 3)." : ".");
    }

    /** The source the config names; throws {@link ConfigException} when its required settings are missing. */
    public static DefinitionSource source(AbstractConfig config, DefinitionKind kind) {
        String source = config.getString(SOURCE).toLowerCase(Locale.ROOT);
        switch (source) {
            case SOURCE_INLINE:
                return new InlineDefinitionSource(config.getString(INLINE), kind);
            case SOURCE_DIRECTORY: {
                String dir = config.getString(DIRECTORY);
                if (dir == null || dir.isBlank()) {
                    throw new ConfigException(DIRECTORY, dir, "required when " + SOURCE + "=" + SOURCE_DIRECTORY);
                }
                return new DirectoryDefinitionSource(Path.of(dir.trim()), kind);
            }
            case SOURCE_JDBC: {
                String url = jdbcUrl(config);
                if (url == null || url.isBlank()) {
                    throw new ConfigException(JDBC_URL, url, "required when " + SOURCE + "=" + SOURCE_JDBC);
                }
                Password password = config.getPassword(JDBC_PASSWORD);
                return new JdbcDefinitionSource(
                        url.trim(), config.getString(JDBC_USER), password, config.getString(JDBC_QUERY));
            }
            default:
                throw new ConfigException(SOURCE, source, "unknown definitions source");
        }
    }

    static String jdbcUrl(AbstractConfig config) {
        Password url = config.getPassword(JDBC_URL);
        return url == null ? null : url.value();
    }

    public static Duration refreshInterval(AbstractConfig config) {
        return Duration.ofMillis(config.getLong(REFRESH_MS));
    }

    /** The store options the config names. */
    public static DefinitionStore.Options options(AbstractConfig config) {
        return new DefinitionStore.Options(
                refreshInterval(config),
                config.getInt(REMOVAL_MAX_PERCENT),
                Duration.ofMillis(config.getLong(INITIAL_LOAD_TIMEOUT_MS)));
    }

    /** Builds the configured source and opens a store of its own on it (loads and compiles now, refreshes). */
    public static <T> DefinitionStore<T> openStore(
            String name, AbstractConfig config, DefinitionKind kind, DefinitionCompiler<T> compiler) {
        return DefinitionStore.open(name, kind, source(config, kind), compiler, options(config));
    }

    /**
     * The store for this config shared within the worker by every plugin instance with the same source, query,
     * options and {@code compilerKey} (the settings the compiled result depends on): one refresh thread and one
     * database connection for all tasks. Close it once per call.
     */
    public static <T> DefinitionStore<T> openSharedStore(
            String name,
            AbstractConfig config,
            DefinitionKind kind,
            DefinitionCompiler<T> compiler,
            String compilerKey) {
        source(config, kind).close(); // ConfigException for missing settings before any sharing
        return DefinitionStore.shared(
                sourceKey(config) + "|" + compilerKey,
                name,
                kind,
                () -> source(config, kind),
                compiler,
                options(config));
    }

    /** What identifies the source: its kind and settings (the password only as a hash). */
    private static String sourceKey(AbstractConfig config) {
        String source = config.getString(SOURCE).toLowerCase(Locale.ROOT);
        return switch (source) {
            case SOURCE_INLINE -> source + "|" + config.getString(INLINE);
            case SOURCE_DIRECTORY -> source + "|" + config.getString(DIRECTORY);
            default -> {
                Password password = config.getPassword(JDBC_PASSWORD);
                yield source + "|" + jdbcUrl(config) + "|" + config.getString(JDBC_USER) + "|"
                        + (password == null || password.value() == null
                                ? ""
                                : Integer.toHexString(password.value().hashCode()))
                        + "|" + config.getString(JDBC_QUERY);
            }
        };
    }

    /**
     * Fails the start when definitions of the store did not compile and {@code definitions.on.invalid=fail};
     * logs each at ERROR either way. Inline definitions always fail (they are config).
     *
     * @throws ConfigException naming the rejected definitions (the store is closed first)
     */
    public static void checkRejected(
            DefinitionStore<?> store, AbstractConfig config, DefinitionKind kind, org.slf4j.Logger log) {
        Map<String, String> errors = store.errors();
        if (errors.isEmpty()) {
            return;
        }
        errors.forEach((id, reason) -> log.error("{} {} was rejected at start: {}", kind.noun(), id, reason));
        boolean inline = SOURCE_INLINE.equalsIgnoreCase(config.getString(SOURCE));
        if (inline || ON_INVALID_FAIL.equalsIgnoreCase(config.getString(ON_INVALID))) {
            store.close();
            StringBuilder list = new StringBuilder();
            errors.forEach((id, reason) -> list.append(list.length() == 0 ? "" : "; ")
                    .append(id)
                    .append(": ")
                    .append(reason));
            throw new ConfigException(
                    inline ? INLINE : ON_INVALID,
                    inline ? "(inline " + kind.noun() + "s)" : config.getString(ON_INVALID),
                    errors.size() + " " + kind.noun() + "(s) do not compile: " + list
                            + (inline
                                    ? ""
                                    : ". Fix them, or set " + ON_INVALID + "=" + ON_INVALID_SKIP
                                            + " to start without them"));
        }
    }

    /** Shows each source's settings only when that source is selected (Connect UIs use {@code visible}). */
    private record SourceRecommender(String forSource, List<Object> values) implements ConfigDef.Recommender {
        SourceRecommender(String forSource) {
            this(forSource, forSource == null ? List.of(SOURCE_INLINE, SOURCE_DIRECTORY, SOURCE_JDBC) : List.of());
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsed) {
            return new ArrayList<>(values);
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsed) {
            return forSource == null || forSource.equalsIgnoreCase(selectedSource(parsed));
        }
    }

    private static String selectedSource(Map<String, Object> parsed) {
        Object selected = parsed.get(SOURCE);
        return selected == null ? SOURCE_INLINE : selected.toString().trim();
    }

    /**
     * A setting required when its source is selected. Recommenders see the whole parsed config, so Connect's
     * validation reports the missing setting on it ({@code PUT .../config/validate}), not the task start.
     */
    private record RequiredForSource(String forSource) implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsed) {
            if (forSource.equalsIgnoreCase(selectedSource(parsed))) {
                Object value = parsed.get(name);
                String text = value instanceof Password p ? p.value() : value == null ? null : value.toString();
                if (text == null || text.isBlank()) {
                    throw new ConfigException(name, null, "required when " + SOURCE + "=" + forSource);
                }
            }
            return new ArrayList<>();
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsed) {
            return forSource.equalsIgnoreCase(selectedSource(parsed));
        }
    }

    /** Compiles inline definitions at validation with the plugin's {@link InlineCheck}. */
    private record InlineRecommender(DefinitionKind kind, InlineCheck check) implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsed) {
            Object inline = parsed.get(name);
            if (check == null
                    || !SOURCE_INLINE.equalsIgnoreCase(selectedSource(parsed))
                    || inline == null
                    || inline.toString().isBlank()) {
                return new ArrayList<>();
            }
            List<Definition> definitions;
            try {
                definitions = new InlineDefinitionSource(inline.toString(), kind).load();
            } catch (ConfigException notJson) {
                return new ArrayList<>(); // the validator reports it
            }
            Map<String, String> errors = check.errors(definitions, parsed);
            if (!errors.isEmpty()) {
                StringBuilder list = new StringBuilder();
                errors.forEach((id, reason) -> list.append(list.length() == 0 ? "" : "; ")
                        .append(id)
                        .append(": ")
                        .append(reason));
                throw new ConfigException(
                        name,
                        "(inline " + kind.noun() + "s)",
                        errors.size() + " inline " + kind.noun() + "(s) do not compile: " + list);
            }
            return new ArrayList<>();
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsed) {
            return SOURCE_INLINE.equalsIgnoreCase(selectedSource(parsed));
        }
    }

    /** The URL may carry credentials: the error never shows it. */
    private static void checkJdbcUrl(String name, String url) {
        if (!url.trim().startsWith("jdbc:")) {
            throw new ConfigException(name, "(hidden)", "must be a JDBC URL starting with 'jdbc:'");
        }
    }
}
