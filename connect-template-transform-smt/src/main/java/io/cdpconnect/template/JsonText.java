/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.hubspot.jinjava.objects.SafeString;

/**
 * JSON produced by {@code |tojson}: written as is where a JSON value is expected, escaped inside a JSON string.
 * A {@link SafeString} so Jinjava's filters keep treating it as text.
 */
final class JsonText extends SafeString {

    JsonText(String json) {
        super(json);
    }
}
