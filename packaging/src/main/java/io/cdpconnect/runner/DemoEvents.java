/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic demo traffic from the shared data model (shared/design.md): clickstream and journey events on
 * {@code events.raw}, segment updates on {@code segments.updates}, and orders for MongoDB {@code shop.orders}.
 * A small share of events breaks its contract on purpose, so validation and dead-letter paths show up.
 */
public final class DemoEvents {

    static final List<String> EVENT_TYPES = List.of(
            "page_view", "product_viewed", "add_to_cart", "checkout_started", "order_completed", "onboarding_step");
    static final List<String> SEGMENTS = List.of("high-value", "cart-abandoners", "newsletter", "churn-risk");
    static final List<String> STEPS = List.of("signup", "verify_email", "profile", "first_order");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random;
    private final double invalidShare;

    public DemoEvents(long seed, double invalidShare) {
        this.random = new Random(seed);
        this.invalidShare = invalidShare;
    }

    private String user() {
        return "u-" + (1 + random.nextInt(500));
    }

    private String sku() {
        return "SKU-" + (1 + random.nextInt(40));
    }

    private double price() {
        return Math.round((5 + random.nextDouble() * 195) * 100) / 100.0;
    }

    /** One clickstream or journey event (JSON text); about {@code invalidShare} of them break the contract. */
    public String nextEvent() {
        String type = EVENT_TYPES.get(random.nextInt(EVENT_TYPES.size()));
        ObjectNode event = JSON.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("event_type", type);
        event.put("user_id", user());
        event.put("anonymous_id", "a-" + random.nextInt(10_000));
        event.put("ts", Instant.now().toString());
        ObjectNode properties = event.putObject("properties");
        switch (type) {
            case "page_view" -> properties.put("path", "/p/" + random.nextInt(100));
            case "product_viewed", "add_to_cart" -> {
                properties.put("sku", sku());
                properties.put("qty", 1 + random.nextInt(3));
                properties.put("price", price());
            }
            case "checkout_started" -> {
                properties.put("cart_value", price() * 2);
                properties.put("items", 1 + random.nextInt(5));
            }
            case "order_completed" -> {
                properties.put("order_id", "o-" + (1000 + random.nextInt(100_000)));
                properties.put("revenue", price() * 3);
                properties.put("currency", "EUR");
            }
            default -> {
                properties.put("journey", "onboarding");
                properties.put("step", STEPS.get(random.nextInt(STEPS.size())));
                properties.put("status", random.nextInt(10) < 8 ? "completed" : "abandoned");
            }
        }
        event.putObject("context").putObject("page").put("url", "https://shop.example/p/" + random.nextInt(100));
        if (random.nextDouble() < invalidShare) {
            breakContract(event);
        }
        return event.toString();
    }

    private void breakContract(ObjectNode event) {
        if (random.nextBoolean()) {
            event.remove("user_id");
        } else {
            event.put("ts", "yesterday");
        }
    }

    /** A segment membership update; about one in five removes the user from the segment. */
    public String nextSegmentUpdate() {
        ObjectNode update = JSON.createObjectNode();
        update.put("user_id", user());
        update.put("segment_id", SEGMENTS.get(random.nextInt(SEGMENTS.size())));
        update.put("op", random.nextInt(5) == 0 ? "remove" : "add");
        update.put("ts", Instant.now().toString());
        update.put("ttl_seconds", 2_592_000);
        return update.toString();
    }

    /** An order document for MongoDB {@code shop.orders}, as extended JSON text. */
    public String nextOrder(int sequence) {
        ObjectNode order = JSON.createObjectNode();
        String now = Instant.now().toString();
        double price = price();
        int qty = 1 + random.nextInt(3);
        order.put("order_id", "o-" + sequence);
        order.put("customer_id", "c-" + (1 + random.nextInt(200)));
        order.put("status", "paid");
        order.put("currency", "EUR");
        order.putObject("total").put("$numberDecimal", String.format(java.util.Locale.ROOT, "%.2f", price * qty));
        ObjectNode item = order.putArray("items").addObject();
        item.put("sku", sku());
        item.put("qty", qty);
        item.putObject("price").put("$numberDecimal", String.format(java.util.Locale.ROOT, "%.2f", price));
        order.putObject("created_at").put("$date", now);
        order.putObject("updated_at").put("$date", now);
        return order.toString();
    }
}
