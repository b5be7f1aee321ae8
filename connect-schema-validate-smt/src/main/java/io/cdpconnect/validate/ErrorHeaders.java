/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.apache.kafka.connect.header.Headers;

/**
 * Writes a {@link Verdict}'s detail as record headers, bounded in size so a record with thousands of errors
 * cannot produce a header larger than the broker accepts.
 */
final class ErrorHeaders {

    private final String errorsHeader;
    private final String countHeader;
    private final String typeHeader;
    private final String versionHeader;
    private final int maxBytes;

    ErrorHeaders(String prefix, int maxBytes) {
        this.errorsHeader = prefix + "errors";
        this.countHeader = prefix + "error.count";
        this.typeHeader = prefix + "event.type";
        this.versionHeader = prefix + "schema.version";
        this.maxBytes = maxBytes;
    }

    void addTo(Headers headers, Verdict verdict) {
        headers.remove(errorsHeader).remove(countHeader).remove(typeHeader).remove(versionHeader);
        headers.addString(errorsHeader, errorsJson(verdict));
        headers.addInt(countHeader, verdict.errorCount());
        if (verdict.eventType() != null) {
            headers.addString(typeHeader, verdict.eventType());
        }
        if (verdict.version() >= 0) {
            headers.addInt(versionHeader, verdict.version());
        }
    }

    /** {@code [{"path":"/qty","keyword":"minimum","message":"..."}]}, cut at a whole error to fit maxBytes. */
    String errorsJson(Verdict verdict) {
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        StringBuilder out = new StringBuilder("[");
        int written = 0;
        for (ValidationError e : verdict.errors()) {
            StringBuilder item = new StringBuilder(64).append("{\"path\":\"");
            encoder.quoteAsString(e.path(), item);
            item.append("\",\"keyword\":\"");
            encoder.quoteAsString(e.keyword(), item);
            item.append("\",\"message\":\"");
            encoder.quoteAsString(e.message() == null ? "" : e.message(), item);
            item.append("\"}");
            // bytes: UTF-8 may take up to 3 bytes per char; be conservative to stay under the cap
            if (utf8Length(out) + utf8Length(item) + 2 > maxBytes) {
                break;
            }
            if (written++ > 0) {
                out.append(',');
            }
            out.append(item);
        }
        return out.append(']').toString();
    }

    private static int utf8Length(CharSequence s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /** A bounded one-line summary for exception messages and logs. */
    String summary(Verdict verdict) {
        String s = verdict.summary();
        return s.length() <= maxBytes ? s : s.substring(0, maxBytes) + "...";
    }
}
