/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import com.mongodb.client.MongoCollection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;

/** Sends demo traffic at a steady rate to whatever the pipeline reads: events, segment updates, orders. */
final class TrafficGenerator implements AutoCloseable {

    static final String EVENTS_TOPIC = "events.raw";
    static final String SEGMENTS_TOPIC = "segments.updates";
    static final String ORDERS_DATABASE = "shop";
    static final String ORDERS_COLLECTION = "orders";

    private final KafkaProducer<String, String> producer;
    private final boolean events;
    private final boolean segments;
    private final MongoCollection<Document> orders;
    private final int perSecond;
    private final DemoEvents demo = new DemoEvents(42, 0.05);
    private final Thread thread;
    private volatile boolean running = true;

    final AtomicLong eventsSent = new AtomicLong();
    final AtomicLong segmentUpdatesSent = new AtomicLong();
    final AtomicLong ordersWritten = new AtomicLong();

    TrafficGenerator(
            String bootstrapServers,
            List<PipelineApplier.ConnectorConfig> configs,
            DemoSources sources,
            int perSecond) {
        this.producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(),
                new StringSerializer());
        this.events = PipelineTopics.readsTopic(configs, EVENTS_TOPIC);
        this.segments = PipelineTopics.readsTopic(configs, SEGMENTS_TOPIC);
        this.orders = sources != null && sources.mongo() != null
                ? sources.mongo().getDatabase(ORDERS_DATABASE).getCollection(ORDERS_COLLECTION)
                : null;
        this.perSecond = Math.max(1, perSecond);
        this.thread = new Thread(this::loop, "cdp-local-traffic");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        long intervalNanos = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        int orderSequence = 1000;
        while (running) {
            try {
                if (events) {
                    String event = demo.nextEvent();
                    producer.send(new ProducerRecord<>(EVENTS_TOPIC, null, event));
                    eventsSent.incrementAndGet();
                }
                if (segments) {
                    String update = demo.nextSegmentUpdate();
                    producer.send(new ProducerRecord<>(SEGMENTS_TOPIC, null, update));
                    segmentUpdatesSent.incrementAndGet();
                }
                if (orders != null) {
                    orders.insertOne(Document.parse(demo.nextOrder(orderSequence++)));
                    ordersWritten.incrementAndGet();
                }
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LocalRunner.log("demo traffic paused: %s", e.getMessage());
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        producer.close();
    }
}
