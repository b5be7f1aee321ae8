/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.hubspot.jinjava.objects.PyWrapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A template made only of literal text and simple expressions (field paths, literals, a few filters, a comparison
 * with a string literal), rendered by direct map and list lookups instead of Jinjava. Built by
 * {@link FastTemplateCompiler} from Jinjava's own parse tree, so the literal text (whitespace control included)
 * and each expression's JSON position are exactly Jinjava's.
 *
 * <p>It only renders the records for which its result is certain to be Jinjava's: every looked-up field present,
 * every value of a type whose handling here is Jinjava's code or a copy of it (see {@link FastTemplateCompiler}).
 * For anything else (a missing field, a null in the middle of a path, an unexpected type, a filter that throws, an
 * output near the size limit) {@link #render} returns null and the caller renders the record through Jinjava,
 * which then produces the output, or the error with its message, line, limit and metric, as it always has.
 */
final class FastTemplate {

    /** An evaluation step's answer when the record must go through Jinjava. */
    static final Object DEFER = new Object();
    /** A path's last map key is absent (not null: absent), which {@code |default} may handle. */
    static final Object MISSING = new Object();

    private final Part[] parts;
    /** Strings and outputs longer than this defer to Jinjava, which enforces the size limits. */
    private final long maxChars;

    private final int sizeHint;

    FastTemplate(List<Part> parts, long maxChars) {
        this.parts = parts.toArray(new Part[0]);
        this.maxChars = maxChars;
        int hint = 16;
        for (Part part : this.parts) {
            hint += part instanceof Literal l ? l.text.length() : 16;
        }
        this.sizeHint = hint;
    }

    /** The rendered text, or null when this record must be rendered by Jinjava. */
    String render(Map<String, Object> variables) {
        StringBuilder out = new StringBuilder(sizeHint);
        for (Part part : parts) {
            if (!part.append(variables, out, maxChars)) {
                return null;
            }
            if (out.length() > maxChars) {
                return null;
            }
        }
        return out.toString();
    }

    int parts() {
        return parts.length;
    }

    /** A piece of the output. */
    interface Part {
        /** Appends this part's text; false when the record must go through Jinjava. */
        boolean append(Map<String, Object> variables, StringBuilder out, long maxChars);
    }

    /** Literal template text, as Jinjava's {@code TextToken.output()} gives it. */
    record Literal(String text) implements Part {
        @Override
        public boolean append(Map<String, Object> variables, StringBuilder out, long maxChars) {
            out.append(text);
            return true;
        }
    }

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    /** One {@code {{ expression }}} written with the strategy Jinjava's tree gives it. */
    record Output(Expr expr, OutputStrategy strategy) implements Part {
        @Override
        public boolean append(Map<String, Object> variables, StringBuilder out, long maxChars) {
            Object value = expr.eval(variables, maxChars);
            if (value == DEFER || value == MISSING) {
                return false;
            }
            if (value instanceof String s && strategy != OutputStrategy.TEXT) {
                // what ValueText.jsonLiteral / jsonStringContent write for a string, without the copies
                boolean quoted = strategy == OutputStrategy.JSON_VALUE;
                if (quoted) {
                    out.append('"');
                }
                ENCODER.quoteAsString(s, out);
                if (quoted) {
                    out.append('"');
                }
                return true;
            }
            String text;
            try {
                text = strategy.write(value);
            } catch (RuntimeException e) {
                return false; // e.g. NaN: Jinjava's path reports it
            }
            out.append(text);
            return true;
        }
    }

    /** An expression evaluated against the record's variables: a value, {@link #DEFER} or {@link #MISSING}. */
    interface Expr {
        Object eval(Map<String, Object> variables, long maxChars);
    }

    /** A constant: a string, a long, a boolean or null ({@code none}), as Jinjava's EL parses literals. */
    record Constant(Object value) implements Expr {
        @Override
        public Object eval(Map<String, Object> variables, long maxChars) {
            return value;
        }
    }

    /**
     * {@code root.a.b[0]['c']}: a record variable, then map keys ({@link String}) and list indexes ({@link Integer}).
     * Record data may not be wrapped in Jinjava's types yet (that happens only when a record needs Jinjava): map and
     * list lookups are the same either way, and the value found is wrapped as Jinjava would see it.
     */
    record Path(String root, Object[] steps) implements Expr {
        @Override
        public Object eval(Map<String, Object> variables, long maxChars) {
            Object current = variables.get(root);
            for (int i = 0; i < steps.length; i++) {
                Object step = steps[i];
                if (step instanceof String key) {
                    if (!(current instanceof Map<?, ?> map)) {
                        return DEFER; // null in the middle, a string, a date: the sandbox resolves those
                    }
                    Object next = map.get(key);
                    if (next == null && !map.containsKey(key)) {
                        // the sandbox reports an undefined reference (or |default handles it): Jinjava decides
                        return i == steps.length - 1 ? MISSING : DEFER;
                    }
                    current = next;
                } else {
                    if (!(current instanceof List<?> list)) {
                        return DEFER;
                    }
                    int index = (Integer) step;
                    if (index >= list.size()) {
                        return DEFER;
                    }
                    current = list.get(index);
                }
            }
            if (current == null) {
                return null;
            }
            if (current instanceof Map || current instanceof List || current instanceof java.util.Date) {
                current = TemplateEngine.wrap(current);
            }
            return isValue(current, maxChars) ? current : DEFER;
        }
    }

    /**
     * Whether a value is one whose every use here matches Jinjava's: the scalar types record conversion produces,
     * and maps, lists and dates wrapped in Jinjava's own types (which its resolver returns as they are).
     */
    static boolean isValue(Object value, long maxChars) {
        if (value instanceof String s) {
            return s.length() <= maxChars;
        }
        return value instanceof PyWrapper
                || value instanceof Integer
                || value instanceof Long
                || value instanceof BigDecimal
                || value instanceof Boolean
                || value instanceof Double
                || value instanceof Float
                || value instanceof BigInteger
                || value instanceof Short
                || value instanceof Byte;
    }

    /** {@code input|name(args)}. */
    record Filtered(Expr input, FastFilter filter) implements Expr {
        @Override
        public Object eval(Map<String, Object> variables, long maxChars) {
            Object value = input.eval(variables, maxChars);
            if (value == DEFER || value == MISSING && !filter.handlesMissing()) {
                return DEFER;
            }
            Object result;
            try {
                result = filter.apply(value == MISSING ? null : value, value == MISSING);
            } catch (RuntimeException e) {
                return DEFER; // Jinjava's path reports the filter's error with its line
            }
            return result == DEFER
                            || result == null
                            || isValue(result, maxChars)
                            || result instanceof JsonText json
                                    && json.getValue().length() <= maxChars
                    ? result
                    : DEFER;
        }
    }

    /** {@code left == 'text'} or {@code left != 'text'} with a string on the left (EL's String equality). */
    record Compare(Expr left, String right, boolean equal) implements Expr {
        @Override
        public Object eval(Map<String, Object> variables, long maxChars) {
            Object value = left.eval(variables, maxChars);
            if (!(value instanceof String s)) {
                return DEFER; // EL coerces other types: Jinjava decides
            }
            return s.equals(right) == equal;
        }
    }

    /** A filter with constant arguments. */
    interface FastFilter {
        /** @param missing the input was an absent map key ({@code value} is then null) */
        Object apply(Object value, boolean missing);

        default boolean handlesMissing() {
            return false;
        }
    }

    /** Size of what Jinjava's {@code length} filter measures here: collections, maps, strings. */
    static Object length(Object value) {
        if (value instanceof Collection<?> c) {
            return c.size();
        }
        if (value instanceof Map<?, ?> m) {
            return m.size();
        }
        if (value instanceof String s) {
            return s.length();
        }
        return DEFER;
    }
}
