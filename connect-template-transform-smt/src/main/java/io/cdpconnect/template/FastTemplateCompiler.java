/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.TextNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import com.hubspot.jinjava.tree.parse.TextToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides, once per template, whether it can render without Jinjava ({@link FastTemplate}), from the tree Jinjava
 * parsed (so literal text and whitespace control are Jinjava's own). Accepted: literal text and {@code {{ }}}
 * expressions of this grammar, nothing else (no tags at all):
 *
 * <pre>
 *   expr    := term [ ('==' | '!=') STRING ]
 *   term    := primary ( '|' filter [ '(' args ')' ] )*
 *   primary := path | STRING | INTEGER | true | false | none
 *   path    := (value | key | topic | partition | offset | timestamp) ( '.' NAME | '[' INTEGER ']' | '[' STRING ']' )*
 * </pre>
 * Filters: {@code upper}, {@code lower}, {@code trim}, {@code length}, {@code tojson}, {@code to_iso} and
 * {@code to_epoch_millis} (optionally with a unit), {@code default}/{@code d} with a string or {@code none}.
 * Their handling is Jinjava's code copied for the input types it accepts (a string for {@code upper}; a list, map
 * or string for {@code length}; ...) or the SMT's own helper called directly; any other input makes the record
 * render through Jinjava. Anything else in a template (tags, other filters, functions, arithmetic, string
 * escapes, {@code headers}) keeps the whole template on Jinjava.
 */
final class FastTemplateCompiler {

    /** What the compiler decided: a fast template, or null and why not. */
    record Result(FastTemplate fast, String reason) {}

    private static final Set<String> ROOTS = Set.of("value", "key", "topic", "partition", "offset", "timestamp");
    /** EL and Jinja words that are operators or literals, never plain names. */
    private static final Set<String> RESERVED = Set.of(
            "and",
            "or",
            "not",
            "eq",
            "ne",
            "lt",
            "gt",
            "le",
            "ge",
            "div",
            "mod",
            "empty",
            "instanceof",
            "true",
            "false",
            "null",
            "none",
            "None",
            "True",
            "False",
            "is",
            "in",
            "if",
            "else",
            "func",
            "exptest",
            "filter");

    private FastTemplateCompiler() {}

    /**
     * @param root     the tree {@link TemplateEngine} parsed (the template wrapped in one always-true {@code if})
     * @param maxChars longest output and string the template may produce ({@code limits.output.max.chars})
     */
    static Result compile(Node root, long maxChars) {
        List<Node> top = root.getChildren();
        if (top.size() != 1 || !(top.get(0) instanceof TagNode wrapper) || !"if".equals(wrapper.getName())) {
            return new Result(null, "unexpected tree");
        }
        List<FastTemplate.Part> parts = new ArrayList<>();
        int line = 0;
        for (Node node : wrapper.getChildren()) {
            if (node instanceof TextNode) {
                String text = ((TextToken) node.getMaster()).output();
                if (!text.isEmpty()) {
                    parts.add(new FastTemplate.Literal(text));
                }
            } else if (node instanceof JsonPositions.Positioned expression) {
                String source = ((ExpressionToken) expression.getMaster()).getExpr();
                FastTemplate.Expr expr;
                try {
                    expr = new Parser(source).expression();
                } catch (Unsupported e) {
                    return new Result(
                            null, "line " + node.getLineNumber() + ": {{ " + source.trim() + " }}: " + e.getMessage());
                }
                parts.add(new FastTemplate.Output(expr, expression.strategy()));
            } else {
                line = node.getLineNumber();
                return new Result(
                        null,
                        "line " + line + ": "
                                + (node instanceof TagNode tag
                                        ? "{% " + tag.getName() + " %}"
                                        : node.getClass().getSimpleName())
                                + " is rendered by Jinjava");
            }
        }
        // fall back well before the limit: Jinjava enforces it (and counts its output in its own way)
        return new Result(new FastTemplate(parts, maxChars / 4), null);
    }

    /** Thrown while parsing an expression the fast path does not take; the message says what. */
    private static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    /** A recursive-descent parser of the grammar above over one expression's text. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        FastTemplate.Expr expression() throws Unsupported {
            FastTemplate.Expr term = term();
            skipSpace();
            if (peek("==") || peek("!=")) {
                boolean equal = text.charAt(pos) == '=';
                pos += 2;
                skipSpace();
                if (!(literal() instanceof FastTemplate.Constant c) || !(c.value() instanceof String s)) {
                    throw new Unsupported("comparison with something other than a string literal");
                }
                term = new FastTemplate.Compare(term, s, equal);
                skipSpace();
            }
            if (pos != text.length()) {
                throw new Unsupported("'" + text.substring(pos).trim() + "' is not a path, literal or known filter");
            }
            return term;
        }

        private FastTemplate.Expr term() throws Unsupported {
            FastTemplate.Expr expr = primary();
            while (true) {
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == '|') {
                    pos++;
                    skipSpace();
                    expr = new FastTemplate.Filtered(expr, filter(name()));
                } else {
                    return expr;
                }
            }
        }

        private FastTemplate.Expr primary() throws Unsupported {
            skipSpace();
            FastTemplate.Expr literal = literal();
            if (literal != null) {
                return literal;
            }
            String root = name();
            if (!ROOTS.contains(root)) {
                throw new Unsupported("'" + root + "' is not one of " + ROOTS);
            }
            List<Object> steps = new ArrayList<>();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '.') {
                    pos++;
                    String step = name();
                    if (RESERVED.contains(step)) {
                        throw new Unsupported("'" + step + "' is a keyword");
                    }
                    steps.add(step);
                } else if (c == '[') {
                    pos++;
                    skipSpace();
                    FastTemplate.Expr index = literal();
                    skipSpace();
                    if (index == null || !expect(']')) {
                        throw new Unsupported("an index that is not a literal");
                    }
                    Object key = ((FastTemplate.Constant) index).value();
                    if (key instanceof Long l && l <= Integer.MAX_VALUE) {
                        steps.add(l.intValue());
                    } else if (key instanceof String s) {
                        steps.add(s);
                    } else {
                        throw new Unsupported("index " + key);
                    }
                } else {
                    break;
                }
            }
            return new FastTemplate.Path(root, steps.toArray());
        }

        /** A string, integer, true, false or none literal, or null (nothing consumed) if there is none here. */
        private FastTemplate.Expr literal() throws Unsupported {
            if (pos >= text.length()) {
                throw new Unsupported("expression ends early");
            }
            char c = text.charAt(pos);
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, pos + 1);
                if (end < 0) {
                    throw new Unsupported("unterminated string");
                }
                String value = text.substring(pos + 1, end);
                if (value.indexOf('\\') >= 0) {
                    throw new Unsupported("string escapes");
                }
                pos = end + 1;
                return new FastTemplate.Constant(value);
            }
            if (c >= '0' && c <= '9') {
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (pos < text.length() && (text.charAt(pos) == '.' || Character.isLetter(text.charAt(pos)))
                        || pos - start > 18) {
                    throw new Unsupported("a number literal other than a plain integer");
                }
                return new FastTemplate.Constant(Long.parseLong(text.substring(start, pos)));
            }
            int start = pos;
            if (Character.isLetter(c) || c == '_') {
                String word = name();
                switch (word) {
                    case "true":
                        return new FastTemplate.Constant(Boolean.TRUE);
                    case "false":
                        return new FastTemplate.Constant(Boolean.FALSE);
                    case "none":
                    case "None":
                    case "null":
                        return new FastTemplate.Constant(null); // see TemplateEngine.NONE
                    default:
                        pos = start;
                        return null;
                }
            }
            throw new Unsupported("'" + c + "'");
        }

        private FastTemplate.FastFilter filter(String name) throws Unsupported {
            List<Object> args = new ArrayList<>();
            String kwarg = null;
            skipSpace();
            if (expect('(')) {
                skipSpace();
                while (!expect(')')) {
                    int start = pos;
                    if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                        String word = name();
                        skipSpace();
                        if (expect('=') && !peek("=")) {
                            kwarg = word;
                            skipSpace();
                        } else {
                            pos = start;
                        }
                    }
                    FastTemplate.Expr arg = literal();
                    if (arg == null) {
                        throw new Unsupported("filter '" + name + "' with an argument that is not a literal");
                    }
                    if (kwarg != null && !"unit".equals(kwarg)) {
                        throw new Unsupported("filter '" + name + "' with named argument '" + kwarg + "'");
                    }
                    args.add(((FastTemplate.Constant) arg).value());
                    skipSpace();
                    if (!expect(',') && !peek(")")) {
                        throw new Unsupported("filter arguments");
                    }
                    skipSpace();
                }
            }
            switch (name) {
                case "upper":
                    noArgs(name, args);
                    return (v, missing) -> v instanceof String s ? s.toUpperCase() : FastTemplate.DEFER;
                case "lower":
                    noArgs(name, args);
                    return (v, missing) -> v instanceof String s ? s.toLowerCase() : FastTemplate.DEFER;
                case "trim":
                    noArgs(name, args);
                    return (v, missing) -> v instanceof String s ? s.trim() : FastTemplate.DEFER;
                case "length":
                    noArgs(name, args);
                    return (v, missing) -> FastTemplate.length(v);
                case "tojson":
                    noArgs(name, args);
                    return (v, missing) -> new JsonText(ValueText.json(v));
                case "to_iso":
                case "to_epoch_millis":
                    return timeFilter(name, args);
                case "default":
                case "d":
                    return defaultFilter(name, args, kwarg);
                default:
                    throw new Unsupported("filter '" + name + "' is rendered by Jinjava");
            }
        }

        private static FastTemplate.FastFilter timeFilter(String name, List<Object> args) throws Unsupported {
            if (args.size() > 1 || args.size() == 1 && !(args.get(0) instanceof String)) {
                throw new Unsupported("filter '" + name + "' arguments");
            }
            Object[] unit = args.toArray();
            boolean iso = "to_iso".equals(name);
            return (v, missing) -> v == null
                    ? FastTemplate.DEFER
                    : iso ? TemplateHelpers.toIso(v, unit) : TemplateHelpers.toEpochMillis(v, unit);
        }

        /** Jinjava's DefaultFilter without {@code truthy}: the input unless null, else the default as text. */
        private static FastTemplate.FastFilter defaultFilter(String name, List<Object> args, String kwarg)
                throws Unsupported {
            if (args.size() != 1 || kwarg != null || args.get(0) != null && !(args.get(0) instanceof String)) {
                throw new Unsupported("filter '" + name + "' other than with one string or none");
            }
            Object fallback = args.get(0);
            return new FastTemplate.FastFilter() {
                @Override
                public Object apply(Object value, boolean missing) {
                    return value != null ? value : fallback;
                }

                @Override
                public boolean handlesMissing() {
                    return true;
                }
            };
        }

        private static void noArgs(String name, List<Object> args) throws Unsupported {
            if (!args.isEmpty()) {
                throw new Unsupported("filter '" + name + "' with arguments");
            }
        }

        private String name() throws Unsupported {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos || Character.isDigit(text.charAt(start))) {
                throw new Unsupported(pos < text.length() ? "'" + text.charAt(pos) + "'" : "expression ends early");
            }
            String name = text.substring(start, pos);
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) > 127) {
                    throw new Unsupported("non-ASCII name");
                }
            }
            return name;
        }

        private boolean expect(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private boolean peek(String s) {
            return text.startsWith(s, pos);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
