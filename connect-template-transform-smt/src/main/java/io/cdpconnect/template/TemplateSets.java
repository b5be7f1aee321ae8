/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import io.cdpconnect.common.definitions.DefinitionStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the template set of an event type: the store's templates of that type completed by the inline
 * defaults. Merged sets are cached until the store publishes a new generation.
 */
final class TemplateSets implements AutoCloseable {

    private static final int MAX_CACHED_TYPES = 10_000;

    private final Map<String, CompiledTemplate> defaults;
    private final TemplateSet defaultSet;
    private final DefinitionStore<CompiledTemplate> store;
    private final Map<String, TemplateSet> cache = new ConcurrentHashMap<>();
    private long cachedGeneration = Long.MIN_VALUE;

    TemplateSets(Map<String, CompiledTemplate> defaults, DefinitionStore<CompiledTemplate> store) {
        this.defaults = Map.copyOf(defaults);
        this.defaultSet = new TemplateSet(defaults);
        this.store = store;
    }

    TemplateSet forType(String eventType) {
        if (store == null || eventType == null) {
            return defaultSet;
        }
        long generation = store.generation();
        if (generation != cachedGeneration) {
            cache.clear();
            cachedGeneration = generation;
        }
        TemplateSet set = cache.get(eventType);
        if (set == null) {
            Map<String, CompiledTemplate> specific = store.named(eventType);
            if (specific.isEmpty()) {
                return defaultSet; // unknown types are not cached: they come from data, so unbounded
            }
            set = TemplateSet.merge(specific, defaults);
            if (cache.size() < MAX_CACHED_TYPES) {
                cache.put(eventType, set);
            }
        }
        return set;
    }

    TemplateSet defaults() {
        return defaultSet;
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
