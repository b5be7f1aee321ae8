/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

/**
 * One reason a record is invalid.
 *
 * @param path    JSON pointer of the offending value ({@code /properties/qty}; empty for the whole record)
 * @param keyword the schema keyword that failed ({@code minimum}, {@code required}, {@code format}), or
 *                {@code json} when the value is not JSON at all
 * @param message the validator's message
 */
record ValidationError(String path, String keyword, String message) {

    @Override
    public String toString() {
        return (path.isEmpty() ? "(root)" : path) + " " + keyword + ": " + message;
    }
}
