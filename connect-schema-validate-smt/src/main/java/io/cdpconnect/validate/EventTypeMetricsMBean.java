/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

/** JMX view of one event type's validation counters (since the worker started). */
public interface EventTypeMetricsMBean {

    /** Records that matched their schema. */
    long getValid();

    /** Records that broke their schema (whatever the on.invalid policy did with them). */
    long getInvalid();

    /** Records whose event type (or version) has no schema. */
    long getUnknown();

    /** Invalid or unknown records dropped by policy. */
    long getDropped();

    /** Invalid records routed to the invalid topic. */
    long getRouted();
}
