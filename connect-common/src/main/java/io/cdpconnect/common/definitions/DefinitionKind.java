/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What kind of definitions a plugin keeps, which decides how sources name them.
 *
 * <ul>
 *   <li>{@link #versioned} kinds (JSON Schemas): names are integer versions; an entry without a version is
 *       version {@code 1}; {@link DefinitionStore#latest} returns the highest version of an event type.</li>
 *   <li>{@link #named} kinds (templates): several named definitions per event type ({@code value}, {@code key},
 *       {@code topic}, {@code headers.<name>}); an entry without a name gets {@link #defaultName()}.</li>
 * </ul>
 *
 * @param noun           singular noun used in docs and logs ({@code schema}, {@code template})
 * @param versioned      whether names are integer versions
 * @param defaultName    name given to an entry that does not carry one
 * @param fileExtensions file name endings read by the directory source, e.g. {@code .json} or {@code .j2}
 * @param defaultQuery   default JDBC query returning event type, name, body and (optionally) updated_at
 */
public record DefinitionKind(
        String noun, boolean versioned, String defaultName, List<String> fileExtensions, String defaultQuery) {

    /** The defaults for the {@code event_schemas} table of the design notes. */
    public static final String SCHEMAS_QUERY =
            "SELECT event_type, version, schema::text, updated_at FROM event_schemas";
    /** The defaults for the {@code event_templates} table of the design notes. */
    public static final String TEMPLATES_QUERY = "SELECT event_type, name, template, updated_at FROM event_templates";

    public DefinitionKind {
        Objects.requireNonNull(noun, "noun");
        Objects.requireNonNull(defaultName, "defaultName");
        fileExtensions = List.copyOf(fileExtensions);
        if (fileExtensions.isEmpty()) {
            throw new IllegalArgumentException("at least one file extension is needed");
        }
        Objects.requireNonNull(defaultQuery, "defaultQuery");
    }

    /** Versioned definitions (JSON Schemas): default version 1. */
    public static DefinitionKind versioned(String noun, List<String> fileExtensions, String defaultQuery) {
        return new DefinitionKind(noun, true, "1", fileExtensions, defaultQuery);
    }

    /** Named definitions (templates). */
    public static DefinitionKind named(
            String noun, String defaultName, List<String> fileExtensions, String defaultQuery) {
        return new DefinitionKind(noun, false, defaultName, fileExtensions, defaultQuery);
    }

    /** JSON Schemas: {@code *.json} files, the {@code event_schemas} table. */
    public static DefinitionKind jsonSchemas() {
        return versioned("schema", List.of(".json"), SCHEMAS_QUERY);
    }

    /** Templates: {@code *.j2} / {@code *.jinja} files, the {@code event_templates} table, default name {@code value}. */
    public static DefinitionKind templates() {
        return named("template", "value", List.of(".j2", ".jinja"), TEMPLATES_QUERY);
    }

    /** The matching extension of a file name (case-insensitive), or null. */
    String extensionOf(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (String ext : fileExtensions) {
            if (lower.endsWith(ext.toLowerCase(Locale.ROOT)) && lower.length() > ext.length()) {
                return ext;
            }
        }
        return null;
    }

    /** A name as this kind stores it: {@code v3} and {@code 3} are both version {@code 3} for versioned kinds. */
    String normalizeName(String name) {
        if (name == null || name.isBlank()) {
            return defaultName;
        }
        String trimmed = name.trim();
        if (versioned
                && trimmed.length() > 1
                && (trimmed.charAt(0) == 'v' || trimmed.charAt(0) == 'V')
                && Definition.parseVersion(trimmed.substring(1)) >= 0) {
            return String.valueOf(Definition.parseVersion(trimmed.substring(1)));
        }
        if (versioned && Definition.parseVersion(trimmed) >= 0) {
            return String.valueOf(Definition.parseVersion(trimmed)); // "01" and "1" are one version
        }
        return trimmed;
    }
}
