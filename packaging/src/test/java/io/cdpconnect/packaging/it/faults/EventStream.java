/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it.faults;

import io.cdpconnect.testing.process.ConnectDeployment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A known workload of clickstream events on {@code events.raw}, produced at a fixed rate in the background while
 * a test injects faults: valid events, schema-invalid ones (no {@code user_id}, a {@code ts} that is no date-time)
 * and malformed ones (not JSON). Every event is recorded once the broker acknowledged it (acks=all, idempotent
 * producer), so the ledger is exactly what the pipeline had to process.
 */
final class EventStream {

    /** What was produced so far: ids of valid events, values of bad ones. */
    static final class Ledger {
        final Set<String> valid = ConcurrentHashMap.newKeySet();
        final Set<String> bad = ConcurrentHashMap.newKeySet();
        final AtomicInteger produced = new AtomicInteger();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        /** Valid events found in the DLQ (a defect): id to connector and error message. */
        final Map<String, String> goodDeadLettered = new ConcurrentHashMap<>();
    }

    private static final String[] TYPES = {"page_view", "add_to_cart", "order_completed", "onboarding_step"};

    private final ConnectDeployment deployment;
    private final String topic;
    private final List<Ledger> ledgers;
    private long sequence;

    /** Records every acknowledged event in each ledger (one per pipeline reading the topic). */
    EventStream(ConnectDeployment deployment, String topic, Ledger... ledgers) {
        this.deployment = deployment;
        this.topic = topic;
        this.ledgers = List.of(ledgers);
    }

    /** A valid event of the i-th type; every 10th is schema-invalid and every 25th malformed. */
    static String event(long i, String runId) {
        String id = runId + "-" + i;
        if (i % 25 == 13) {
            return "{\"event_id\": \"" + id + "\", \"event_type\": \"page_view\", broken"; // not JSON
        }
        String type = TYPES[(int) (i % TYPES.length)];
        String user = i % 10 == 7 ? "" : "\"user_id\": \"u-" + (i % 97) + "\", ";
        String ts = i % 20 == 3 ? "yesterday" : Instant.now().toString();
        String properties = switch (type) {
            case "page_view" -> "{\"path\": \"/p/" + (i % 50) + "\"}";
            case "add_to_cart" -> "{\"sku\": \"SKU-" + (i % 40) + "\", \"qty\": " + (1 + i % 3) + ", \"price\": 19.95}";
            case "order_completed" -> "{\"order_id\": \"o-" + i + "\", \"revenue\": 59.85, \"currency\": \"EUR\"}";
            default -> "{\"journey\": \"onboarding\", \"step\": \"signup\", \"status\": \"completed\"}";
        };
        return "{\"event_id\": \"" + id + "\", \"event_type\": \"" + type + "\", " + user + "\"ts\": \"" + ts
                + "\", \"properties\": " + properties
                + ", \"context\": {\"page\": {\"url\": \"https://shop.example/\"}}}";
    }

    static boolean isValid(long i) {
        return i % 25 != 13 && i % 10 != 7 && i % 20 != 3;
    }

    /**
     * Produces {@code count} events at {@code perSecond} on a background thread; returns at once. The returned
     * latch opens when all are acknowledged.
     */
    CountDownLatch start(int count, int perSecond, String runId) {
        CountDownLatch done = new CountDownLatch(1);
        long first = sequence;
        sequence += count;
        Thread t = new Thread(
                () -> {
                    KafkaProducer<String, String> producer = deployment.producer();
                    CountDownLatch acked = new CountDownLatch(count);
                    long start = System.nanoTime();
                    for (long i = first; i < first + count; i++) {
                        long due = start + (i - first) * 1_000_000_000L / perSecond;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            try {
                                TimeUnit.NANOSECONDS.sleep(
                                        wait); // pacing the producer to a rate, not waiting on a result
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        String value = event(i, runId);
                        String id = runId + "-" + i;
                        boolean valid = isValid(i);
                        producer.send(new ProducerRecord<>(topic, "u-" + (i % 97), value), (meta, error) -> {
                            for (Ledger ledger : ledgers) {
                                if (error != null) {
                                    ledger.failure.compareAndSet(null, error);
                                } else if (valid) {
                                    ledger.valid.add(id);
                                } else {
                                    ledger.bad.add(value);
                                }
                                ledger.produced.incrementAndGet();
                            }
                            acked.countDown();
                        });
                    }
                    try {
                        acked.await(5, TimeUnit.MINUTES);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    done.countDown();
                },
                "event-stream-" + runId);
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** Waits until a started stream was fully acknowledged; fails on a produce error. */
    void await(CountDownLatch done, Duration timeout) throws Exception {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("stream not acknowledged within " + timeout);
        }
        for (Ledger ledger : ledgers) {
            if (ledger.failure.get() != null) {
                throw new AssertionError("produce failed", ledger.failure.get());
            }
        }
    }
}
