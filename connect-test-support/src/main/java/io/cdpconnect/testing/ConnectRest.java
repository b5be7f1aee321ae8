/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.testing;

/**
 * The harness's name for {@link io.cdpconnect.rest.ConnectRest}, kept so tests written against
 * {@code io.cdpconnect.testing.ConnectRest} (and its {@code RestException}) compile unchanged. New code imports
 * {@code io.cdpconnect.rest.ConnectRest}.
 */
public final class ConnectRest extends io.cdpconnect.rest.ConnectRest {

    public ConnectRest(String baseUrl) {
        super(baseUrl);
    }
}
