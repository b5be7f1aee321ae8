/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.objects.SafeString;
import io.cdpconnect.common.RecordJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The helpers templates get on top of Jinjava's built-ins.
 *
 * <p>Functions: {@code uuid()}, {@code now()} (ISO-8601 UTC), {@code now_millis()}, {@code hash(v, alg)},
 * {@code coalesce(a, b, ...)}, {@code to_iso(v, unit)}, {@code to_epoch_millis(v, unit)},
 * {@code format_ts(v, pattern, zone)}. Filters of the same names ({@code v|hash('murmur3')},
 * {@code v|to_iso}, {@code v|format_ts('yyyy-MM-dd')}), plus {@code tojson} and {@code fromjson} with JSON
 * numbers kept exact. {@code default}/{@code d} and the {@code defined}/{@code undefined} tests are wrapped so
 * they also handle references that {@code on.undefined=fail} would reject.
 */
public final class TemplateHelpers {

    private static final HexFormat HEX = HexFormat.of();

    private TemplateHelpers() {}

    static void register(Context global) {
        function(global, "uuid", "uuid");
        function(global, "now", "now");
        function(global, "now_millis", "nowMillis");
        function(global, "hash", "hash", Object.class, Object[].class);
        function(global, "coalesce", "coalesce", Object[].class);
        function(global, "to_iso", "toIso", Object.class, Object[].class);
        function(global, "to_epoch_millis", "toEpochMillis", Object.class, Object[].class);
        function(global, "format_ts", "formatTs", Object.class, String.class, Object[].class);

        global.registerFilter(new HelperFilter("tojson", (value, args) -> new JsonText(ValueText.json(value))));
        global.registerFilter(new HelperFilter("fromjson", TemplateHelpers::fromJson));
        global.registerFilter(new HelperFilter("hash", TemplateHelpers::hash));
        global.registerFilter(new HelperFilter("to_iso", TemplateHelpers::toIso));
        global.registerFilter(new HelperFilter("to_epoch_millis", TemplateHelpers::toEpochMillis));
        global.registerFilter(new HelperFilter(
                "format_ts",
                (value, args) -> formatTs(
                        value,
                        args.length > 0 ? String.valueOf(args[0]) : null,
                        args.length > 1 ? new Object[] {args[1]} : new Object[0])));
        for (String name : new String[] {"default", "d"}) {
            global.registerFilter(new UndefinedForgivingFilter(global.getFilter(name)));
        }
        for (String name : new String[] {"defined", "undefined"}) {
            global.registerExpTest(new UndefinedForgivingTest(global.getExpTest(name)));
        }
    }

    private static void function(Context global, String name, String method, Class<?>... parameters) {
        global.registerFunction(new ELFunctionDefinition("", name, TemplateHelpers.class, method, parameters));
    }

    // ------------------------------------------------------------------ functions (public: called by the EL)

    public static String uuid() {
        return UUID.randomUUID().toString();
    }

    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    public static long nowMillis() {
        return System.currentTimeMillis();
    }

    /** {@code hash(value)} is SHA-256 hex; algorithms: sha256, sha1, md5, sha512 (hex), murmur3 (32-bit int). */
    public static Object hash(Object value, Object... args) {
        if (value == null) {
            return null;
        }
        String algorithm =
                args.length > 0 && args[0] != null ? args[0].toString().toLowerCase(Locale.ROOT) : "sha256";
        byte[] bytes = value instanceof byte[] raw ? raw : ValueText.text(value).getBytes(StandardCharsets.UTF_8);
        switch (algorithm) {
            case "murmur3":
            case "murmur3_32":
                return Murmur3.hash32(bytes, 0);
            case "sha256":
            case "sha-256":
                return digest("SHA-256", bytes);
            case "sha1":
            case "sha-1":
                return digest("SHA-1", bytes);
            case "sha512":
            case "sha-512":
                return digest("SHA-512", bytes);
            case "md5":
                return digest("MD5", bytes);
            default:
                throw new TemplateHelperException(
                        "unknown hash algorithm '" + algorithm + "' (sha256, sha1, sha512, md5, murmur3)");
        }
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    public static Object coalesce(Object... values) {
        for (Object value : values) {
            if (value != null && !(value instanceof String s && s.isEmpty())) {
                return value;
            }
        }
        return null;
    }

    /** ISO-8601 UTC text of an ISO-8601 time or epoch number ({@code unit}: s, ms (default), us, ns). */
    public static String toIso(Object value, Object... unit) {
        return TimeValues.iso(TimeValues.toInstant(value, unit(unit)));
    }

    public static Long toEpochMillis(Object value, Object... unit) {
        return TimeValues.epochMillis(TimeValues.toInstant(value, unit(unit)));
    }

    /** A time formatted with a java.time pattern, e.g. {@code format_ts(value.ts, 'yyyy-MM-dd')}. */
    public static String formatTs(Object value, String pattern, Object... zone) {
        if (pattern == null) {
            throw new TemplateHelperException("format_ts needs a pattern, e.g. 'yyyy-MM-dd'");
        }
        return TimeValues.format(
                TimeValues.toInstant(value, TimeValues.DEFAULT_UNIT),
                pattern,
                zone.length > 0 && zone[0] != null ? zone[0].toString() : null);
    }

    private static String unit(Object[] unit) {
        return unit.length > 0 && unit[0] != null ? unit[0].toString() : TimeValues.DEFAULT_UNIT;
    }

    private static Object fromJson(Object value, Object[] args) {
        if (value == null) {
            return null;
        }
        String text = value instanceof SafeString s ? s.getValue() : value.toString();
        try {
            // one document (nothing after it), numbers exact
            return RecordJson.fromJsonNode(RecordJson.parseExact(text));
        } catch (org.apache.kafka.connect.errors.DataException e) {
            throw new TemplateHelperException("fromjson: " + e.getMessage());
        }
    }

    /** A filter backed by a function of (input, positional arguments). */
    private static final class HelperFilter implements Filter {
        private final String name;
        private final BiFunction<Object, Object[], Object> function;

        HelperFilter(String name, BiFunction<Object, Object[], Object> function) {
            this.name = name;
            this.function = function;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object[] positional = args == null ? new Object[0] : args;
            if (kwargs != null && kwargs.containsKey("unit") && positional.length == 0) {
                positional = new Object[] {kwargs.get("unit")}; // v|to_iso(unit='s')
            }
            return function.apply(var, positional);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return function.apply(var, args);
        }
    }

    /** {@code |default} on a missing field handles it: it is not an undefined-reference error. */
    private static final class UndefinedForgivingFilter implements Filter {
        private final Filter delegate;

        UndefinedForgivingFilter(Filter delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            forgive(var);
            return delegate.filter(var, interpreter, args, kwargs);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            forgive(var);
            return delegate.filter(var, interpreter, args);
        }
    }

    /** {@code is defined} / {@code is undefined} on a missing field answer the question instead of failing. */
    private static final class UndefinedForgivingTest implements ExpTest {
        private final ExpTest delegate;

        UndefinedForgivingTest(ExpTest delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            forgive(var);
            return delegate.evaluate(var, interpreter, args);
        }
    }

    private static void forgive(Object var) {
        RenderState state = RenderState.current();
        if (state != null) {
            state.endForgivingCall(var == null);
        }
    }
}
