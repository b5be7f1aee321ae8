/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The storage tool reads a cluster id starting with '-' as an option and fails the format (a CI flake). */
class KafkaBrokerTest {
    @Test
    void aClusterIdNeverStartsWithADash() {
        // 0xF8... encodes to a first base64url character of '-'
        Iterator<UUID> uuids = List.of(new UUID(0xF800_0000_0000_0000L, 1L), new UUID(0x0800_0000_0000_0000L, 1L))
                .iterator();
        String id = KafkaBroker.clusterId(uuids::next);
        assertFalse(id.startsWith("-"), id);
        assertEquals(22, id.length(), id);
    }
}
