/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TextNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import java.util.ListIterator;

/**
 * Marks each expression of a JSON template as standing where a JSON value goes or inside a JSON string, by
 * following the template's literal text in source order (branches of {@code if}/{@code for} are expected to
 * open and close their own strings). The expression nodes are replaced by ones writing with the matching
 * {@link OutputStrategy}, so the rendered output is valid JSON whatever the data holds.
 */
final class JsonPositions {

    private boolean inString;
    private boolean escaped;

    private JsonPositions() {}

    static void apply(Node root) {
        new JsonPositions().walk(root);
    }

    /** Gives every expression node of a text template the plain-text strategy. */
    static void applyText(Node root) {
        for (ListIterator<Node> it = root.getChildren().listIterator(); it.hasNext(); ) {
            Node child = it.next();
            if (child instanceof ExpressionNode) {
                it.set(replace(child, root, OutputStrategy.TEXT));
            } else {
                applyText(child);
            }
        }
    }

    private void walk(Node parent) {
        for (ListIterator<Node> it = parent.getChildren().listIterator(); it.hasNext(); ) {
            Node child = it.next();
            if (child instanceof TextNode) {
                scan(child.getMaster().getImage());
            } else if (child instanceof ExpressionNode) {
                it.set(replace(child, parent, inString ? OutputStrategy.JSON_STRING : OutputStrategy.JSON_VALUE));
            } else {
                walk(child);
            }
        }
    }

    private static Node replace(Node expression, Node parent, OutputStrategy strategy) {
        ExpressionNode replacement = new Positioned(strategy, (ExpressionToken) expression.getMaster());
        replacement.setParent(parent);
        return replacement;
    }

    /** An expression node that knows how it writes (read by {@link FastTemplateCompiler}). */
    static final class Positioned extends ExpressionNode {
        private final OutputStrategy strategy;

        Positioned(OutputStrategy strategy, ExpressionToken token) {
            super(strategy, token);
            this.strategy = strategy;
        }

        OutputStrategy strategy() {
            return strategy;
        }
    }

    private void scan(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            }
        }
    }
}
