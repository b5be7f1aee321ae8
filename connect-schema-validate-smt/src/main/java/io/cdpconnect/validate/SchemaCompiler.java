/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import com.networknt.schema.resource.IriResourceLoader;
import com.networknt.schema.resource.SchemaLoader;
import io.cdpconnect.common.RecordJson;
import io.cdpconnect.common.definitions.Definition;
import io.cdpconnect.common.definitions.DefinitionCompiler;
import io.cdpconnect.common.definitions.DefinitionResolver;
import java.util.Locale;

/**
 * Compiles stored JSON Schemas with networknt json-schema-validator. Each compile gets a registry of its own whose
 * loader resolves references against the same load of the store, so a changed referenced schema is never served
 * from a stale cache. All references are resolved at compile time: a schema with a broken or refused {@code $ref}
 * is rejected when it is loaded, not on the first record that reaches the reference.
 */
final class SchemaCompiler implements DefinitionCompiler<CompiledSchema> {

    /** The drafts users may choose as default (a schema's own {@code $schema} still wins). */
    enum Draft {
        DRAFT_7(SpecificationVersion.DRAFT_7),
        DRAFT_2019_09(SpecificationVersion.DRAFT_2019_09),
        DRAFT_2020_12(SpecificationVersion.DRAFT_2020_12);

        final SpecificationVersion version;

        Draft(SpecificationVersion version) {
            this.version = version;
        }

        static Draft of(String name) {
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "7", "draft-07", "draft7" -> DRAFT_7;
                case "2019-09" -> DRAFT_2019_09;
                case "2020-12" -> DRAFT_2020_12;
                default -> throw new IllegalArgumentException("unsupported JSON Schema draft " + name);
            };
        }
    }

    private final Draft draft;
    private final SchemaRegistryConfig registryConfig;
    private final boolean remoteRefsAllowed;

    SchemaCompiler(Draft draft, boolean formatAssertions, boolean remoteRefsAllowed) {
        this.draft = draft;
        this.remoteRefsAllowed = remoteRefsAllowed;
        this.registryConfig = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(formatAssertions)
                .pathType(PathType.JSON_POINTER)
                .preloadSchema(true)
                .cacheRefs(true)
                .build();
    }

    @Override
    public CompiledSchema compile(Definition definition, DefinitionResolver resolver) {
        // exact numbers, canonical like the records validated against it (see RecordValidator)
        JsonNode node = RecordJson.canonicalNumbers(RecordJson.parseExact(definition.body()));
        if (!node.isObject() && !node.isBoolean()) {
            throw new IllegalArgumentException("a JSON Schema must be an object or a boolean");
        }
        StoredSchemaLoader stored = new StoredSchemaLoader(resolver, remoteRefsAllowed);
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                draft.version,
                builder -> builder.schemaRegistryConfig(registryConfig)
                        .schemaLoader(SchemaLoader.builder()
                                .resourceLoaders(loaders -> loaders.values(list -> {
                                    list.clear();
                                    list.add(stored);
                                    if (remoteRefsAllowed) {
                                        list.add(IriResourceLoader.getInstance());
                                    }
                                }))
                                .build()));
        Schema schema = registry.getSchema(
                SchemaLocation.of(StoredSchemaLoader.iriOf(definition.eventType(), definition.version())), node);
        schema.initializeValidators(); // resolve every $ref now, so bad references fail the compile
        return new CompiledSchema(definition.eventType(), definition.version(), schema);
    }
}
