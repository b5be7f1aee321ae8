/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BytesTest {

    @Test
    void copiesTheRemainingBytesAndLeavesTheBufferAsItWas() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        buffer.position(1).limit(3);
        assertThat(Bytes.copyOf(buffer)).containsExactly(2, 3);
        assertThat(Bytes.copyOf(buffer)).containsExactly(2, 3);
        assertThat(buffer.position()).isEqualTo(1);
        assertThat(buffer.limit()).isEqualTo(3);
        byte[] copy = Bytes.copyOf(buffer);
        copy[0] = 9;
        assertThat(buffer.get(1)).isEqualTo((byte) 2);
    }
}
