/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * How a {@code {{ expression }}} is written, decided per expression when the template is compiled (see
 * {@link JsonPositions}): as plain text, as a JSON literal, or escaped inside a JSON string.
 */
enum OutputStrategy implements ExpressionStrategy {
    TEXT {
        @Override
        String write(Object value) {
            return ValueText.text(value);
        }
    },
    JSON_VALUE {
        @Override
        String write(Object value) {
            return ValueText.jsonLiteral(value);
        }
    },
    JSON_STRING {
        @Override
        String write(Object value) {
            return ValueText.jsonStringContent(value);
        }
    };

    abstract String write(Object value);

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
        return new RenderedOutputNode(write(value));
    }
}
