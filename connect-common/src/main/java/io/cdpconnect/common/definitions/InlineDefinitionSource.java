/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdpconnect.common.RecordJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Definitions written as JSON in the connector config ({@code definitions.inline}). One object, keyed by event
 * type:
 * <ul>
 *   <li>versioned kinds (schemas): {@code {"add_to_cart": {...schema...}}} is version 1;
 *       {@code {"add_to_cart": {"1": {...}, "2": {...}}}} (every key a version, {@code 2} or {@code v2}) gives
 *       several versions;</li>
 *   <li>named kinds (templates): {@code {"add_to_cart": "text"}} is the default name;
 *       {@code {"add_to_cart": {"value": "...", "key": "...", "headers.source": "..."}}} gives several names.</li>
 * </ul>
 * A string entry is taken as the body text as is; any other JSON is stored as its JSON text. Parsed once.
 */
public final class InlineDefinitionSource implements DefinitionSource {

    /** One document, nothing after it; numbers keep their text (a schema's 12345678901234567.89 stays exact). */
    private static final ObjectMapper MAPPER = RecordJson.exactMapper();

    private final List<Definition> definitions;

    public InlineDefinitionSource(String json, DefinitionKind kind) {
        this.definitions = List.copyOf(parse(json, kind));
    }

    static JsonNode parseObject(String json, String configName) {
        JsonNode root;
        try {
            root = json == null || json.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(configName, "(inline JSON)", "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(configName, "(inline JSON)", "must be a JSON object keyed by event type");
        }
        return root;
    }

    private static List<Definition> parse(String json, DefinitionKind kind) {
        JsonNode root = parseObject(json, DefinitionsConfig.INLINE);
        List<Definition> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> types = root.fields();
        while (types.hasNext()) {
            Map.Entry<String, JsonNode> type = types.next();
            String eventType = type.getKey();
            JsonNode entry = type.getValue();
            if (entry.isObject() && isNameMap(entry, kind)) {
                entry.fields()
                        .forEachRemaining(named -> out.add(new Definition(
                                eventType, kind.normalizeName(named.getKey()), text(named.getValue()), null)));
            } else {
                out.add(new Definition(eventType, kind.defaultName(), text(entry), null));
            }
        }
        return out;
    }

    /** Whether an object entry maps names to definitions rather than being one definition itself. */
    private static boolean isNameMap(JsonNode entry, DefinitionKind kind) {
        if (!kind.versioned()) {
            return true;
        }
        if (entry.isEmpty()) {
            return false; // {} is the schema that accepts everything
        }
        Iterator<String> names = entry.fieldNames();
        while (names.hasNext()) {
            String name = kind.normalizeName(names.next());
            if (Definition.parseVersion(name) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : node.toString();
    }

    @Override
    public List<Definition> load() {
        return definitions;
    }

    @Override
    public String describe() {
        return "inline config (" + definitions.size() + " definitions)";
    }
}
