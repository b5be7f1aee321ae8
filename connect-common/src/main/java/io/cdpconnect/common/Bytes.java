/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import java.nio.ByteBuffer;

/** Byte helpers the plugins share. */
public final class Bytes {

    private Bytes() {}

    /**
     * The bytes between the buffer's position and limit, copied; the buffer itself (position, limit, mark) is left
     * as it is, so a record value read twice gives the same bytes both times.
     */
    public static byte[] copyOf(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
