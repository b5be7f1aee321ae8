/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

/**
 * A helper was given something it cannot use (an unknown hash algorithm, text that is not a time). Not an
 * IllegalArgumentException: Jinjava turns those into a misleading "cannot find method".
 */
final class TemplateHelperException extends RuntimeException {

    TemplateHelperException(String message) {
        super(message);
    }

    TemplateHelperException(String message, Throwable cause) {
        super(message, cause);
    }
}
