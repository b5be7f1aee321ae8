/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Definitions kept as files in a directory (UTF-8). Naming convention, shared by every kind ({@code <ext>} is one
 * of the kind's extensions: {@code .json} for schemas, {@code .j2}/{@code .jinja} for templates):
 * <pre>
 *   &lt;dir&gt;/&lt;event_type&gt;&lt;ext&gt;               the default name (schema version 1, template "value")
 *   &lt;dir&gt;/&lt;event_type&gt;.v&lt;N&gt;&lt;ext&gt;          version N (add_to_cart.v2.json)
 *   &lt;dir&gt;/&lt;event_type&gt;/&lt;name&gt;&lt;ext&gt;        the named definition (add_to_cart/key.j2, add_to_cart/headers.source.j2,
 *                                    add_to_cart/v3.json or add_to_cart/3.json for version 3)
 * </pre>
 * Files whose name starts with a dot and files with other extensions are ignored. The file's modification time
 * is the definition's {@code updatedAt}. The whole tree is read on every load (directories of definitions are
 * small); the store recompiles only files whose content changed.
 */
public final class DirectoryDefinitionSource implements DefinitionSource {

    private static final Logger log = LoggerFactory.getLogger(DirectoryDefinitionSource.class);
    private static final Pattern VERSION_SUFFIX = Pattern.compile("^(.+)\\.[vV](\\d{1,9})$");

    private final Path directory;
    private final DefinitionKind kind;

    public DirectoryDefinitionSource(Path directory, DefinitionKind kind) {
        this.directory = directory;
        this.kind = kind;
    }

    @Override
    public List<Definition> load() throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "definitions directory does not exist");
        }
        List<Definition> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                if (fileName.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    readTypeDirectory(fileName, entry, out);
                } else {
                    String ext = kind.extensionOf(fileName);
                    if (ext != null && Files.isRegularFile(entry)) {
                        String stem = fileName.substring(0, fileName.length() - ext.length());
                        Matcher versioned = VERSION_SUFFIX.matcher(stem);
                        if (versioned.matches()) {
                            out.add(read(versioned.group(1), kind.normalizeName(versioned.group(2)), entry));
                        } else {
                            out.add(read(stem, kind.defaultName(), entry));
                        }
                    }
                }
            }
        }
        return out;
    }

    private void readTypeDirectory(String eventType, Path typeDir, List<Definition> out) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(typeDir)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String ext = kind.extensionOf(fileName);
                if (fileName.startsWith(".") || ext == null || !Files.isRegularFile(file)) {
                    if (Files.isDirectory(file)) {
                        log.debug("ignoring nested directory {}", file);
                    }
                    continue;
                }
                String name = fileName.substring(0, fileName.length() - ext.length());
                out.add(read(eventType, kind.normalizeName(name), file));
            }
        }
    }

    private static Definition read(String eventType, String name, Path file) throws IOException {
        return new Definition(
                eventType,
                name,
                Files.readString(file, StandardCharsets.UTF_8),
                Files.getLastModifiedTime(file).toInstant());
    }

    @Override
    public String describe() {
        return "directory " + directory;
    }
}
