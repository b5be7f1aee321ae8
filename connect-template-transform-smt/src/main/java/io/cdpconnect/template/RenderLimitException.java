/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

/**
 * A sandbox limit was hit. Deliberately not one of Jinjava's exception types, so no tag or expression handler
 * swallows it and the render stops at once.
 */
final class RenderLimitException extends RuntimeException {

    private final int line;

    RenderLimitException(String message, int line) {
        super(message, null, false, false);
        this.line = line;
    }

    int line() {
        return line;
    }
}
