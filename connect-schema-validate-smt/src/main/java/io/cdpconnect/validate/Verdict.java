/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import java.util.List;

/**
 * The outcome of validating one record. Valid records share one instance, so the common case allocates nothing.
 *
 * @param status     what happened
 * @param eventType  the event type (null when the record has none)
 * @param version    the schema version used or asked for ({@link EventTypeResolver#LATEST} when none)
 * @param errors     the first errors (bounded), empty unless invalid
 * @param errorCount the total number of errors found
 * @param reason     for {@link Status#UNKNOWN_TYPE}, why no schema applies
 */
record Verdict(
        Status status, String eventType, int version, List<ValidationError> errors, int errorCount, String reason) {

    enum Status {
        VALID,
        INVALID,
        UNKNOWN_TYPE
    }

    static final Verdict VALID = new Verdict(Status.VALID, null, EventTypeResolver.LATEST, List.of(), 0, null);

    static Verdict invalid(String eventType, int version, List<ValidationError> errors, int errorCount) {
        return new Verdict(Status.INVALID, eventType, version, errors, errorCount, null);
    }

    static Verdict unknown(String eventType, int version, String reason) {
        return new Verdict(Status.UNKNOWN_TYPE, eventType, version, List.of(), 0, reason);
    }

    boolean valid() {
        return status == Status.VALID;
    }

    /** {@code add_to_cart v2: /properties/qty minimum: must have a minimum value of 1; ... (3 errors)}. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(eventType == null ? "(no event type)" : eventType);
        if (version >= 0) {
            sb.append(" v").append(version);
        }
        if (status == Status.UNKNOWN_TYPE) {
            return sb.append(": ").append(reason).toString();
        }
        sb.append(": ");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(errors.get(i));
        }
        if (errorCount > errors.size()) {
            sb.append("; ... (").append(errorCount).append(" errors)");
        }
        return sb.toString();
    }
}
