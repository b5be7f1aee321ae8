/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

/** Record headers by which the MongoDB source tells the sinks about a change event; one name for both sides. */
public final class ChangeEventHeaders {

    private ChangeEventHeaders() {}

    /**
     * On an update whose document the source's lookup no longer found (it was deleted after the update, and the
     * delete follows in the stream); the value is the source's {@code full.document} mode.
     */
    public static final String FULL_DOCUMENT_MISSING = "cdp.full_document.missing";

    /**
     * The value of {@link #FULL_DOCUMENT_MISSING} that means the document was deleted: the lookup found nothing.
     * Another value (whenAvailable: no post-image) says nothing about the document.
     */
    public static final String UPDATE_LOOKUP = "updateLookup";
}
