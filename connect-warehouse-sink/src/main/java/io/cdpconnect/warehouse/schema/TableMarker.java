/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What the sink stores as the comment of a table it creates: the connector and the source name (the rendered,
 * unsanitised table.name.format) the table was created for. Another task, a restart or another connector that
 * routes a different source to the same sanitised name then finds out and fails instead of merging two streams;
 * the connector's tables can be counted (table.routing.max.tables) and found again (partition maintenance).
 * Values are URL-encoded so any name fits the one-line format.
 */
public record TableMarker(String connector, String source) {

    static final String PREFIX = "cdp-connect warehouse sink: connector=";
    private static final String SOURCE = "; source=";

    /** The SQL LIKE pattern that finds marked tables. */
    static String likePattern() {
        return PREFIX + "%";
    }

    public String comment() {
        return PREFIX + encode(connector) + SOURCE + encode(source);
    }

    /** The marker in a table comment, or null when the comment is not one (a table the sink did not create). */
    public static TableMarker parse(String comment) {
        if (comment == null || !comment.startsWith(PREFIX)) {
            return null;
        }
        int at = comment.indexOf(SOURCE, PREFIX.length());
        if (at < 0) {
            return null;
        }
        try {
            return new TableMarker(
                    decode(comment.substring(PREFIX.length(), at)), decode(comment.substring(at + SOURCE.length())));
        } catch (IllegalArgumentException edited) {
            return null; // not our format any more: treated like a table the sink did not create
        }
    }

    private static final String ARCHIVED = "cdp-connect warehouse sink: archived partition of ";

    /** The comment of a partition detached by partition.retention: whose it was and how to re-attach it. */
    public static String archived(TableId parent, TableId partition, String bounds) {
        return ARCHIVED + parent + " " + bounds + "; re-attach with ALTER TABLE " + parent.sql() + " ATTACH PARTITION "
                + partition.sql() + " " + bounds;
    }

    /** Whether a comment marks a partition detached from {@code parent} by partition.retention. */
    public static boolean isArchiveOf(String comment, TableId parent) {
        return comment != null && comment.startsWith(ARCHIVED + parent + " ");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
