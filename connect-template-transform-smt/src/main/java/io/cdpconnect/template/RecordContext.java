/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The base context records are rendered in (each record's variables go in a scope above it).
 *
 * <ul>
 *   <li>Jinjava silently renders nothing for an unknown filter or test ({@code value.status|uper}); here that
 *       is an error, so a typo cannot pass unnoticed.</li>
 *   <li>Jinjava records every resolved name and expression up the context chain (for its eager mode); that
 *       cost a tenth of the render time and grew the global context, so it stops here.</li>
 * </ul>
 */
final class RecordContext extends Context {

    /** Filters and tests do not change after configuration; Jinjava's lookup walks libraries each time. */
    private final Map<String, Filter> filters = new HashMap<>();

    private final Map<String, ExpTest> tests = new HashMap<>();

    RecordContext(Context parent, Map<String, ?> variables, Map<Library, Set<String>> disabled) {
        super(parent, variables, disabled);
    }

    @Override
    public void addResolvedValue(String value) {
        // not tracked: see class comment
    }

    @Override
    public void addResolvedExpression(String expression) {
        // not tracked: see class comment
    }

    @Override
    public void addResolvedFunction(String function) {
        // not tracked: see class comment
    }

    @Override
    public Filter getFilter(String name) {
        if ("default".equals(name) || "d".equals(name)) {
            markForgivingCall();
        }
        Filter filter = filters.get(name);
        if (filter == null) {
            filter = super.getFilter(name); // throws for disabled filters: not cached
            if (filter == null) {
                throw new TemplateHelperException("unknown filter '" + name + "'");
            }
            filters.put(name, filter);
        }
        return filter;
    }

    @Override
    public ExpTest getExpTest(String name) {
        if ("defined".equals(name) || "undefined".equals(name)) {
            markForgivingCall();
        }
        ExpTest test = tests.get(name);
        if (test == null) {
            test = super.getExpTest(name);
            if (test == null) {
                throw new TemplateHelperException("unknown test '" + name + "'");
            }
            tests.put(name, test);
        }
        return test;
    }

    private static void markForgivingCall() {
        RenderState state = RenderState.current();
        if (state != null) {
            state.beginForgivingCall();
        }
    }
}
