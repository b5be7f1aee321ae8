/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import io.cdpconnect.common.metrics.CdpMetrics;
import io.cdpconnect.common.metrics.Counter;

/**
 * The metrics of one collection's stream, as JMX MBean {@code cdp.mongo-cdc-source:connector=..,task=..,
 * collection=<db.coll>}: events by operation, reconnects, events over 16 MB, copy progress, lag behind the cluster
 * time and time since the last event. Updating does not allocate.
 */
final class StreamMetrics {
    private final Counter inserts;
    private final Counter updates;
    private final Counter replaces;
    private final Counter deletes;
    private final Counter lifecycle;
    private final Counter copied;
    private final Counter reconnects;
    private final Counter tooLarge;
    private final Counter updatesWithoutDocument;
    private volatile long copyTotal = -1;
    private volatile long lagMs;
    private volatile long lastEventMillis = System.currentTimeMillis();

    StreamMetrics(CdpMetrics collection) {
        inserts = collection.counter("events-insert", "insert events written");
        updates = collection.counter("events-update", "update events written");
        replaces = collection.counter("events-replace", "replace events written");
        deletes = collection.counter("events-delete", "delete events written");
        lifecycle = collection.counter("events-lifecycle", "drop, rename, dropDatabase and invalidate events read");
        copied = collection.counter("copy-documents", "documents copied by the snapshot");
        reconnects = collection.counter("reconnects", "reconnects after a transient error");
        tooLarge = collection.counter("events-over-16mb", "events over 16 MB read without their documents");
        updatesWithoutDocument = collection.counter(
                "events-update-without-document",
                "update events written without full_document because the document was gone at the lookup "
                        + "(deleted after the update) or its post-image was unavailable");
        collection.longGauge(
                "copy-documents-total",
                "documents in the collection when its copy began (estimate), -1 " + "before any copy",
                () -> copyTotal);
        collection.gauge(
                "copy-percent",
                "copied documents of the estimated total, in percent",
                () -> copyTotal <= 0
                        ? (copyTotal == 0 ? 100.0 : 0.0)
                        : Math.min(100.0, copied.count() * 100.0 / copyTotal));
        collection.longGauge(
                "lag-ms", "wall-clock time between the cluster time of the last event and its read", () -> lagMs);
        collection.longGauge(
                "ms-since-last-event",
                "time since the last event or copied document",
                () -> System.currentTimeMillis() - lastEventMillis);
    }

    void event(String operation, long clusterMillis) {
        switch (operation) {
            case "insert" -> inserts.increment();
            case "update" -> updates.increment();
            case "replace" -> replaces.increment();
            case "delete" -> deletes.increment();
            default -> lifecycle.increment();
        }
        long now = System.currentTimeMillis();
        lastEventMillis = now;
        if (clusterMillis > 0) {
            lagMs = Math.max(0, now - clusterMillis);
        }
    }

    void copied() {
        copied.increment();
        lastEventMillis = System.currentTimeMillis();
    }

    void copyStarted(long estimatedTotal) {
        copyTotal = estimatedTotal;
    }

    void reconnect() {
        reconnects.increment();
    }

    void tooLarge() {
        tooLarge.increment();
    }

    void updateWithoutDocument() {
        updatesWithoutDocument.increment();
    }
}
