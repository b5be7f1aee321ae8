/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled templates one record is rendered with: its event type's templates from the definition store,
 * completed by the inline (default) ones for the outputs the event type does not define.
 */
final class TemplateSet {

    static final TemplateSet EMPTY = new TemplateSet(Map.of());

    private final CompiledTemplate value;
    private final CompiledTemplate key;
    private final CompiledTemplate topic;
    private final CompiledTemplate tombstone;
    private final String[] headerNames;
    private final CompiledTemplate[] headerTemplates;
    private final boolean usesKey;
    private final boolean usesHeaders;

    /** @param templates by store name: value, key, topic, tombstone, headers.&lt;name&gt; */
    TemplateSet(Map<String, CompiledTemplate> templates) {
        this.value = templates.get(TemplateTransformConfig.NAME_VALUE);
        this.key = templates.get(TemplateTransformConfig.NAME_KEY);
        this.topic = templates.get(TemplateTransformConfig.NAME_TOPIC);
        this.tombstone = templates.get(TemplateTransformConfig.NAME_TOMBSTONE);
        List<String> names = new ArrayList<>();
        List<CompiledTemplate> headers = new ArrayList<>();
        boolean key = false;
        boolean hdrs = false;
        for (Map.Entry<String, CompiledTemplate> e : templates.entrySet()) {
            if (e.getKey().startsWith(TemplateTransformConfig.NAME_HEADER_PREFIX)) {
                names.add(e.getKey().substring(TemplateTransformConfig.NAME_HEADER_PREFIX.length()));
                headers.add(e.getValue());
            }
            key |= e.getValue().usesKey();
            hdrs |= e.getValue().usesHeaders();
        }
        this.headerNames = names.toArray(new String[0]);
        this.headerTemplates = headers.toArray(new CompiledTemplate[0]);
        this.usesKey = key;
        this.usesHeaders = hdrs;
    }

    /** {@code specific}'s templates, with {@code defaults} filling the outputs it leaves out. */
    static TemplateSet merge(Map<String, CompiledTemplate> specific, Map<String, CompiledTemplate> defaults) {
        Map<String, CompiledTemplate> merged = new LinkedHashMap<>(defaults);
        merged.putAll(specific);
        return new TemplateSet(merged);
    }

    /** Whether a template name is one this transform knows. */
    static boolean isKnownName(String name) {
        return TemplateTransformConfig.NAME_VALUE.equals(name)
                || TemplateTransformConfig.NAME_KEY.equals(name)
                || TemplateTransformConfig.NAME_TOPIC.equals(name)
                || TemplateTransformConfig.NAME_TOMBSTONE.equals(name)
                || name.startsWith(TemplateTransformConfig.NAME_HEADER_PREFIX)
                        && name.length() > TemplateTransformConfig.NAME_HEADER_PREFIX.length();
    }

    /** Value and tombstone templates produce JSON; the others text. */
    static boolean producesJson(String name) {
        return TemplateTransformConfig.NAME_VALUE.equals(name) || TemplateTransformConfig.NAME_TOMBSTONE.equals(name);
    }

    boolean isEmpty() {
        return value == null && key == null && topic == null && tombstone == null && headerNames.length == 0;
    }

    /** The template of that store name (value, key, topic, tombstone, headers.&lt;name&gt;), or null. */
    CompiledTemplate named(String name) {
        switch (name) {
            case TemplateTransformConfig.NAME_VALUE:
                return value;
            case TemplateTransformConfig.NAME_KEY:
                return key;
            case TemplateTransformConfig.NAME_TOPIC:
                return topic;
            case TemplateTransformConfig.NAME_TOMBSTONE:
                return tombstone;
            default:
                for (int i = 0; i < headerNames.length; i++) {
                    if (name.equals(TemplateTransformConfig.NAME_HEADER_PREFIX + headerNames[i])) {
                        return headerTemplates[i];
                    }
                }
                return null;
        }
    }

    CompiledTemplate value() {
        return value;
    }

    CompiledTemplate key() {
        return key;
    }

    CompiledTemplate topic() {
        return topic;
    }

    CompiledTemplate tombstone() {
        return tombstone;
    }

    int headerCount() {
        return headerNames.length;
    }

    String headerName(int i) {
        return headerNames[i];
    }

    CompiledTemplate headerTemplate(int i) {
        return headerTemplates[i];
    }

    boolean usesKey() {
        return usesKey;
    }

    boolean usesHeaders() {
        return usesHeaders;
    }
}
