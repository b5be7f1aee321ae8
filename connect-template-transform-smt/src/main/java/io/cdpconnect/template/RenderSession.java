/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;

/**
 * Renders the templates of one record with one interpreter (one context holding the record's variables),
 * turning every problem Jinjava reports, in its error list or as an exception, into a {@link DataException}
 * naming the template and line.
 *
 * <p>A template with a {@link FastTemplate} renders without Jinjava when its fast form takes the record; otherwise
 * (and for every other template) Jinjava renders it. The interpreter and the render state (limits, undefined
 * references) are only set up once a template of the record needs Jinjava.
 */
final class RenderSession implements AutoCloseable {

    private final TemplateEngine engine;
    private final Map<String, Object> variables;
    private JinjavaInterpreter interpreter;
    private RenderState state;
    private boolean failed;
    private int fastRenders;

    RenderSession(TemplateEngine engine, Map<String, Object> variables) {
        this.engine = engine;
        this.variables = variables;
    }

    /** The template's output; throws DataException on any template error or unhandled undefined reference. */
    String render(CompiledTemplate template) {
        FastTemplate fast = template.fast();
        if (fast != null) {
            String output = fast.render(variables);
            if (output != null) {
                fastRenders++;
                return output;
            }
        }
        if (interpreter == null) {
            // record data reaches Jinjava in its own types (see TemplateEngine.wrap), converted only now
            variables.computeIfPresent("value", (k, v) -> TemplateEngine.wrap(v));
            variables.computeIfPresent("key", (k, v) -> TemplateEngine.wrap(v));
            interpreter = engine.interpreter();
            JinjavaInterpreter.pushCurrent(interpreter);
            state = engine.beginState();
        }
        failed = true; // until proven otherwise
        String output;
        // Each template starts from the record's variables alone ({% set %} and macros of another template or
        // record are gone). Reusing the base scope, rather than a new child scope per template, keeps
        // Jinjava's per-scope bookkeeping off the record path.
        Map<String, Object> scope = interpreter.getContext().getSessionBindings();
        scope.clear();
        scope.putAll(variables);
        try {
            output = interpreter.render(template.root());
        } catch (RenderLimitException e) {
            throw new DataException(describe(template, e.line()) + e.getMessage());
        } catch (RuntimeException e) {
            throw new DataException(describe(template, interpreter.getLineNumber()) + rootMessage(e), e);
        }
        if (interpreter.getLastError().isPresent()) {
            throw new DataException(errors(template, interpreter.getErrorsCopy()));
        }
        RenderState.Undefined undefined = state.firstUndefined();
        if (undefined != null) {
            if (state.failOnUndefined()) {
                throw new DataException(describe(template, undefined.line()) + "'" + undefined.name()
                        + "' is undefined (on.undefined=fail; use |default(...) or 'is defined' for optional "
                        + "fields)");
            }
            state.clearUndefined();
        }
        failed = false;
        return output;
    }

    private static String describe(CompiledTemplate template, int line) {
        return "template '" + template.name() + "'" + (line > 0 ? " line " + line : "") + ": ";
    }

    private static String errors(CompiledTemplate template, List<TemplateError> errors) {
        TemplateError first = errors.get(0);
        StringBuilder message = new StringBuilder(describe(template, first.getLineno())).append(text(first));
        if (errors.size() > 1) {
            message.append(" (and ").append(errors.size() - 1).append(" more: ");
            for (int i = 1; i < Math.min(errors.size(), 4); i++) {
                message.append(i > 1 ? "; " : "")
                        .append("line ")
                        .append(errors.get(i).getLineno())
                        .append(": ")
                        .append(text(errors.get(i)));
            }
            message.append(')');
        }
        return message.toString();
    }

    private static String text(TemplateError error) {
        String message = error.getMessage();
        if (error.getException() != null) {
            String cause = rootMessage(error.getException());
            message = message == null || message.isBlank()
                    ? cause
                    : message.contains(cause) ? message : message + ": " + cause;
        }
        return message == null ? error.getReason().toString() : message;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    /** How many of this record's templates rendered without Jinjava. */
    int fastRenders() {
        return fastRenders;
    }

    @Override
    public void close() {
        if (interpreter == null) {
            return; // Jinjava was not needed
        }
        interpreter.getContext().getSessionBindings().clear(); // record data is not kept past the record
        JinjavaInterpreter.popCurrent();
        RenderState.end();
        if (failed) {
            engine.discard(interpreter);
        }
    }
}
