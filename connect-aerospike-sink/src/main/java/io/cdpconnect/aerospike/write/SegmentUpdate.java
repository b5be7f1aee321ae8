/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

/**
 * One membership change: {@code add} or remove of {@code segment} at event time {@code tsMillis}. For adds,
 * {@code expirySeconds} is the epoch second the membership ends (0 = never).
 */
public record SegmentUpdate(String segment, boolean add, long tsMillis, long expirySeconds) {

    /**
     * Last-writer-wins order between two updates of one segment: the later ts wins; on equal ts a removal wins,
     * so the outcome never depends on arrival order.
     */
    public boolean supersedes(SegmentUpdate other) {
        return tsMillis > other.tsMillis || (tsMillis == other.tsMillis && !add && other.add);
    }
}
