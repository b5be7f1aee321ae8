/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.tree.Node;
import java.util.regex.Pattern;

/**
 * One template parsed once into Jinjava's node tree, rendered per record without re-parsing.
 *
 * @param name        how errors name it: {@code value.template}, or {@code add_to_cart/topic} from the store
 * @param json        whether it produces JSON (value and tombstone templates) or text (key, topic, headers)
 * @param root        the parsed tree, expression nodes already bound to their output strategy
 * @param usesKey     whether the template mentions {@code key}, so records are only converted for it when needed
 * @param usesHeaders whether it mentions {@code headers}
 * @param fast        the same template rendered without Jinjava, or null when it needs Jinjava (or
 *                    {@code template.compile=never}); see {@link FastTemplate}
 * @param jinjavaReason why it has no fast form (null when it has one)
 */
record CompiledTemplate(
        String name,
        boolean json,
        Node root,
        boolean usesKey,
        boolean usesHeaders,
        FastTemplate fast,
        String jinjavaReason) {

    private static final Pattern KEY = Pattern.compile("\\bkey\\b");
    private static final Pattern HEADERS = Pattern.compile("\\bheaders\\b");

    /** How a template renders: {@link #COMPILED} (without Jinjava, falling back per record) or {@link #JINJAVA}. */
    enum RenderPath {
        COMPILED,
        JINJAVA
    }

    static CompiledTemplate of(String name, boolean json, Node root, String source, FastTemplateCompiler.Result fast) {
        return new CompiledTemplate(
                name,
                json,
                root,
                KEY.matcher(source).find(),
                HEADERS.matcher(source).find(),
                fast.fast(),
                fast.reason());
    }

    RenderPath path() {
        return fast != null ? RenderPath.COMPILED : RenderPath.JINJAVA;
    }
}
