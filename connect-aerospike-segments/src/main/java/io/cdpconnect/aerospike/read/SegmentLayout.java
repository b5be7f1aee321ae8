/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.read;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The record layout the sink's SEGMENTS mode writes, shared by the writer and {@link SegmentMembership}.
 *
 * <p>One record per user (key = user id) with two map bins:
 * <ul>
 *   <li>{@code membershipBin} {@code {segment_id: expiry}}: current memberships; expiry is an epoch second,
 *       0 = never. A MAPKEYS string secondary index on it answers "users in segment S".</li>
 *   <li>{@code timestampBin} {@code {segment_id: ts}}: epoch millis of the last applied add or remove of each
 *       segment. Removals stay here after leaving the membership map, which is what stops a late or replayed
 *       add from resurrecting them.</li>
 * </ul>
 */
public record SegmentLayout(String membershipBin, String timestampBin) {

    public static final String DEFAULT_MEMBERSHIP_BIN = "segments";
    public static final String DEFAULT_TIMESTAMP_BIN = "segments_ts";

    public SegmentLayout {
        Objects.requireNonNull(membershipBin, "membershipBin");
        Objects.requireNonNull(timestampBin, "timestampBin");
        if (!validBin(membershipBin) || !validBin(timestampBin) || membershipBin.equals(timestampBin)) {
            throw new IllegalArgumentException("invalid bin names " + membershipBin + ", " + timestampBin
                    + ": two different names of 1 to 15 bytes");
        }
    }

    /** Aerospike's bin-name limit: 1 to 15 bytes of UTF-8. */
    private static boolean validBin(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= 1 && bytes <= 15;
    }

    public static SegmentLayout defaults() {
        return new SegmentLayout(DEFAULT_MEMBERSHIP_BIN, DEFAULT_TIMESTAMP_BIN);
    }

    /** The one expiry rule both the writer's pruning and the reader apply: 0 never expires, else expiry > now. */
    public static boolean isActive(long expirySeconds, long nowSeconds) {
        return expirySeconds == 0 || expirySeconds > nowSeconds;
    }

    /** Index names are limited to 63 characters on the server. */
    public static final int MAX_INDEX_NAME = 63;

    /**
     * Default name of the MAPKEYS index for a set (null = the namespace's null set): {@code cdp_{set}_{bin}_keys},
     * characters other than letters, digits, '_' and '-' replaced by '_', shortened with a hash suffix past 63.
     */
    public String defaultIndexName(String set) {
        return indexName("cdp_" + (set == null ? "null" : set) + "_" + membershipBin + "_keys");
    }

    /** A server-safe index name from any text (see {@link #defaultIndexName}). */
    public static String indexName(String raw) {
        String safe = raw.replaceAll("[^A-Za-z0-9_-]", "_");
        if (safe.length() <= MAX_INDEX_NAME) {
            return safe;
        }
        String hash = String.format("%08x", raw.hashCode());
        return safe.substring(0, MAX_INDEX_NAME - hash.length() - 1) + "_" + hash;
    }
}
