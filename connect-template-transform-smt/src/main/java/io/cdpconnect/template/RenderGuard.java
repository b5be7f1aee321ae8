/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.el.JinjavaNodePreProcessor;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/**
 * Runs before every node Jinjava renders: enforces the time and loop-iteration limits of the render in
 * progress and marks where a node starts for undefined-reference bookkeeping.
 */
final class RenderGuard extends JinjavaNodePreProcessor {

    @Override
    public void accept(Node node, JinjavaInterpreter interpreter) {
        super.accept(node, interpreter);
        RenderState state = RenderState.current();
        if (state != null) {
            state.beforeNode(isFirstChildOfLoop(node), node.getLineNumber());
        }
    }

    /** The first node of a {@code for} body renders once per iteration: counting it counts iterations. */
    private static boolean isFirstChildOfLoop(Node node) {
        Node parent = node.getParent();
        return parent instanceof TagNode tag
                && "for".equals(tag.getName())
                && parent.getChildren().getFirst() == node;
    }
}
