/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.ResourceLoader;
import io.cdpconnect.common.definitions.Definition;
import io.cdpconnect.common.definitions.DefinitionResolver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Serves {@code $ref}s between stored schemas and refuses remote ones.
 *
 * <p>Every stored schema has the base IRI {@code cdp://schemas/<event_type>/<version>}, so a schema can refer to
 * another one absolutely ({@code cdp://schemas/money/1}, {@code cdp://schemas/money} for the latest version) or
 * relatively ({@code ../money/1}). Lookups go through the store's {@link DefinitionResolver}, which makes the store
 * recompile the referring schema when the referenced one changes.
 */
final class StoredSchemaLoader implements ResourceLoader {

    static final String SCHEME = "cdp";
    static final String BASE = SCHEME + "://schemas/";

    private final DefinitionResolver resolver;
    private final boolean remoteAllowed;

    StoredSchemaLoader(DefinitionResolver resolver, boolean remoteAllowed) {
        this.resolver = resolver;
        this.remoteAllowed = remoteAllowed;
    }

    static String iriOf(String eventType, int version) {
        return BASE + eventType + "/" + version;
    }

    @Override
    public InputStreamSource getResource(AbsoluteIri iri) {
        String text = iri.toString();
        String scheme = iri.getScheme() == null ? "" : iri.getScheme().toLowerCase(Locale.ROOT);
        if (text.startsWith(BASE)) {
            Definition found = find(text.substring(BASE.length()));
            if (found == null) {
                throw new IllegalArgumentException("$ref to " + text + ": no such stored schema");
            }
            byte[] body = found.body().getBytes(StandardCharsets.UTF_8);
            return () -> new ByteArrayInputStream(body);
        }
        if (!remoteAllowed
                && (scheme.equals("http")
                        || scheme.equals("https")
                        || scheme.equals("ftp")
                        || scheme.equals("file")
                        || scheme.equals("jar"))) {
            throw new SecurityException("$ref to " + text + " refused: loading schemas from URLs is disabled (set "
                    + ValidationSettings.REMOTE_REFS_ALLOWED + "=true to allow http(s))");
        }
        return null; // let the next loader (the remote fetcher, when allowed) try
    }

    private Definition find(String path) {
        int hash = path.indexOf('#');
        String clean = hash >= 0 ? path.substring(0, hash) : path;
        if (clean.endsWith("/")) {
            clean = clean.substring(0, clean.length() - 1);
        }
        int slash = clean.lastIndexOf('/');
        if (slash > 0) {
            String type = clean.substring(0, slash);
            String version = clean.substring(slash + 1);
            if (version.startsWith("v") || version.startsWith("V")) {
                version = version.substring(1);
            }
            if (!version.isEmpty() && version.chars().allMatch(Character::isDigit)) {
                return resolver.find(type, String.valueOf(Integer.parseInt(version)));
            }
        }
        return resolver.latest(clean);
    }
}
