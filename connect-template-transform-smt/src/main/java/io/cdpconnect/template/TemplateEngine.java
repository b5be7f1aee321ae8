/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaProcessors;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.DynamicVariableResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import com.hubspot.jinjava.objects.PyWrapper;
import com.hubspot.jinjava.objects.collections.SizeLimitingPyList;
import com.hubspot.jinjava.objects.collections.SizeLimitingPyMap;
import com.hubspot.jinjava.objects.date.PyishDate;
import com.hubspot.jinjava.tree.Node;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A sandboxed Jinjava: compiles templates once and renders them per record.
 *
 * <p>The sandbox: object access only through {@link SandboxELResolver}; no include/import/from/extends/block tags
 * and a resource locator that refuses everything; no nested interpretation of rendered data and no
 * {@code |render}; render time, loop iterations, output and string sizes, range() and collection sizes bounded
 * by {@link RenderLimits}.
 */
final class TemplateEngine {

    /** Tags that read other templates; with a locator refusing every resource they could only fail. */
    private static final Set<String> DISABLED_TAGS = Set.of("include", "import", "from", "extends", "block");
    /** {@code |render} would run record data as a template. */
    private static final Set<String> DISABLED_FILTERS = Set.of("render");

    /** Always defined, even when null (no key, no offset on the source side). */
    static final Set<String> RECORD_VARIABLES =
            Set.of("value", "key", "topic", "partition", "offset", "timestamp", "headers");

    /**
     * Jinja's null literal. Jinjava has none (only EL's {@code null}) and looks {@code none} up as a variable, which
     * resolves to null; it is not an undefined reference ({@code |default(none)} is the documented idiom).
     */
    static final Set<String> NONE = Set.of("none", "None");

    private static final DynamicVariableResolver UNDEFINED_VARIABLES = name -> {
        RenderState state = RenderState.current();
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        if (state != null
                && interpreter != null
                && !RECORD_VARIABLES.contains(name)
                && !NONE.contains(name)
                && !interpreter.getContext().containsKey(name)) {
            state.undefined(name, interpreter.getLineNumber());
        }
        return null;
    };

    private static final ResourceLocator NO_RESOURCES = new ResourceLocator() {
        @Override
        public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter)
                throws ResourceNotFoundException {
            throw new ResourceNotFoundException("templates cannot read other resources ('" + fullName + "')");
        }
    };

    /**
     * Jinjava renders each top-level node through bookkeeping (render-cycle check, render stack, output list
     * entry) that costs about a quarter of a small JSON template's render time; inside one tag the nodes render
     * directly. So the template is parsed inside an always-true {@code if}, on the template's first line so
     * line numbers stay the same.
     */
    private static final String WRAP_START = "{% if true %}";

    private static final String WRAP_END = "{% endif %}";

    private final Jinjava jinjava;
    private final JinjavaConfig config;
    private final RenderLimits limits;
    private final boolean failOnUndefined;
    /** Whether templates that allow it get a {@link FastTemplate} ({@code template.compile=auto}). */
    private final boolean compileFast;

    private final Map<Context.Library, Set<String>> disabled;
    /** Reused for every record of the task thread; replaced after a render that failed midway. */
    private JinjavaInterpreter interpreter;

    TemplateEngine(RenderLimits limits, boolean failOnUndefined) {
        this(limits, failOnUndefined, true);
    }

    TemplateEngine(RenderLimits limits, boolean failOnUndefined, boolean compileFast) {
        this.limits = limits;
        this.failOnUndefined = failOnUndefined;
        this.compileFast = compileFast;
        this.disabled = Map.of(Context.Library.TAG, DISABLED_TAGS, Context.Library.FILTER, DISABLED_FILTERS);
        int collectionLimit = limits.maxCollectionEntries();
        this.config = JinjavaConfig.newBuilder()
                .withCharset(StandardCharsets.UTF_8)
                .withLocale(Locale.ROOT)
                .withTimeZone(ZoneOffset.UTC)
                .withElResolver(new SandboxELResolver())
                .withDisabled(disabled)
                .withNestedInterpretationEnabled(false)
                .withFailOnUnknownTokens(false) // undefined references are tracked by the sandbox instead
                .withMaxOutputSize(limits.maxOutputChars())
                .withMaxStringLength(limits.maxOutputChars())
                // one more than the loop limit: a longer range() then trips the loop limit instead of being cut
                .withRangeLimit(
                        limits.loopIterations() == Integer.MAX_VALUE ? Integer.MAX_VALUE : limits.loopIterations() + 1)
                .withMaxListSize(collectionLimit)
                .withMaxMapSize(collectionLimit)
                .withEnableRecursiveMacroCalls(false)
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withProcessors(JinjavaProcessors.newBuilder()
                        .withNodePreProcessor(new RenderGuard())
                        .build())
                .build();
        this.jinjava = newJinjava(config);
        jinjava.setResourceLocator(NO_RESOURCES);
        Context global = jinjava.getGlobalContext();
        global.setDynamicVariableResolver(UNDEFINED_VARIABLES);
        TemplateHelpers.register(global);
    }

    /**
     * Jinjava's EL (JUEL) loads its parser class through the thread's context class loader. Under Connect's plugin
     * isolation that is not the plugin's loader, so it would find no class, or another copy of it.
     */
    private static Jinjava newJinjava(JinjavaConfig config) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(TemplateEngine.class.getClassLoader());
        try {
            return new Jinjava(config);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Parses a template once.
     *
     * @throws IllegalArgumentException with Jinjava's message and line when the template does not parse
     */
    CompiledTemplate compile(String name, String source, boolean json) {
        JinjavaInterpreter interpreter = parser();
        Node root = parse(interpreter, WRAP_START + source + WRAP_END);
        List<TemplateError> errors = interpreter.getErrorsCopy();
        if (!errors.isEmpty()) {
            // report what the author wrote, not an error about the wrapping tag
            JinjavaInterpreter plain = parser();
            parse(plain, source);
            List<TemplateError> plainErrors = plain.getErrorsCopy();
            TemplateError first = plainErrors.isEmpty() ? errors.get(0) : plainErrors.get(0);
            throw new IllegalArgumentException(
                    "template '" + name + "' does not parse: line " + first.getLineno() + ": " + first.getMessage());
        }
        if (json) {
            JsonPositions.apply(root);
        } else {
            JsonPositions.applyText(root);
        }
        FastTemplateCompiler.Result fast = compileFast
                ? FastTemplateCompiler.compile(root, limits.maxOutputChars())
                : new FastTemplateCompiler.Result(null, "template.compile=never");
        return CompiledTemplate.of(name, json, root, source, fast);
    }

    private JinjavaInterpreter parser() {
        return new JinjavaInterpreter(jinjava, new Context(jinjava.getGlobalContext(), null, disabled), config);
    }

    private static Node parse(JinjavaInterpreter interpreter, String text) {
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            return interpreter.parse(text);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /** Starts rendering one record's templates with these variables; close the session afterwards. */
    RenderSession begin(Map<String, Object> variables) {
        return new RenderSession(this, variables);
    }

    /** The task thread's interpreter, for a session's first render that needs Jinjava. */
    JinjavaInterpreter interpreter() {
        if (interpreter == null) {
            interpreter = new JinjavaInterpreter(
                    jinjava, new RecordContext(jinjava.getGlobalContext(), null, disabled), config);
        }
        return interpreter;
    }

    RenderState beginState() {
        return RenderState.begin(limits, failOnUndefined);
    }

    /** A render failed and may have left the interpreter's scopes or error list dirty: start afresh. */
    void discard(JinjavaInterpreter failed) {
        if (interpreter == failed) {
            interpreter = null;
        }
    }

    /**
     * Record data (freshly converted, so ours to change) with its maps, lists and dates as Jinjava's own types.
     * Jinjava wraps a plain map, list or date into a new wrapper at every access ({@code value.a},
     * {@code value.items[0]}); wrapped once here, every access reuses them. The record's own collections carry no
     * size limit (a record may hold any number of entries the template never touches); what a template iterates
     * is bounded by the loop limit and what it emits by the output limit. Applied by {@link RenderSession} before a
     * record's first Jinjava render, and by {@link FastTemplate} to the values it writes.
     */
    @SuppressWarnings("unchecked")
    static Object wrap(Object value) {
        if (value instanceof PyWrapper) {
            return value;
        }
        if (value instanceof java.util.Date date) {
            return new PyishDate(date.toInstant()); // Jinjava would build this at every access
        }
        try {
            if (value instanceof Map<?, ?> map) {
                ((Map<String, Object>) map).replaceAll((k, v) -> wrap(v));
                return new SizeLimitingPyMap((Map<String, Object>) map, Integer.MAX_VALUE);
            }
            if (value instanceof List<?> list) {
                ((List<Object>) list).replaceAll(TemplateEngine::wrap);
                return new SizeLimitingPyList((List<Object>) list, Integer.MAX_VALUE);
            }
        } catch (UnsupportedOperationException immutable) {
            return wrap(value instanceof Map<?, ?> map ? new LinkedHashMap<>(map) : new ArrayList<>((List<?>) value));
        }
        return value;
    }

    RenderLimits limits() {
        return limits;
    }
}
