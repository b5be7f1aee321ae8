/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import java.nio.charset.StandardCharsets;

/**
 * Which task streams a collection: a stable hash of its namespace modulo the number of tasks. Every task lists
 * the collections in scope itself and keeps those it owns, so collections created or dropped later are picked up
 * or let go by the one task that owns them, without a task config change (Connect restarts every task of a
 * connector whenever any of its task configs changes).
 */
final class TaskOwnership {
    private TaskOwnership() {}

    static boolean owns(int taskIndex, int taskCount, String namespace) {
        return owner(namespace, taskCount) == taskIndex;
    }

    /** FNV-1a over the UTF-8 bytes: the same owner on every JVM, worker and version. */
    static int owner(String namespace, int taskCount) {
        return Math.floorMod(fnv1a(namespace), taskCount);
    }

    static int fnv1a(String s) {
        int hash = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }
}
