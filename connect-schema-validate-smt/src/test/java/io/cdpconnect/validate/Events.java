/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.validate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/** The shared add_to_cart event of the design notes in every value shape, plus its schema. */
public final class Events {

    public static final String EVENT_ID = "6f1c2a52-8d0b-4b7e-9a57-3c1d2e4f5a6b";

    public static final Schema PAGE = SchemaBuilder.struct()
            .name("page")
            .field("url", Schema.STRING_SCHEMA)
            .build();
    public static final Schema CONTEXT = SchemaBuilder.struct()
            .name("context")
            .field("page", PAGE)
            .field("user_agent", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    public static final Schema PROPERTIES = SchemaBuilder.struct()
            .name("properties")
            .field("sku", Schema.STRING_SCHEMA)
            .field("qty", Schema.INT32_SCHEMA)
            .field("price", Schema.FLOAT64_SCHEMA)
            .build();
    public static final Schema EVENT = SchemaBuilder.struct()
            .name("event")
            .field("event_id", Schema.STRING_SCHEMA)
            .field("event_type", Schema.STRING_SCHEMA)
            .field("user_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("anonymous_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ts", Schema.STRING_SCHEMA)
            .field("properties", PROPERTIES)
            .field("context", CONTEXT)
            .build();

    private Events() {}

    public static String addToCartSchema() {
        try (InputStream in = Events.class.getResourceAsStream("/schemas/add_to_cart.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {"add_to_cart": <schema>} for definitions.inline. */
    public static String inlineSchemas() {
        return "{\"add_to_cart\": " + addToCartSchema() + "}";
    }

    public static String json(int qty) {
        return "{\"event_id\": \"" + EVENT_ID + "\", \"event_type\": \"add_to_cart\", \"user_id\": \"u-1\","
                + " \"anonymous_id\": \"a-9\", \"ts\": \"2026-11-23T10:00:00.123Z\","
                + " \"properties\": {\"sku\": \"SKU-1\", \"qty\": " + qty + ", \"price\": 39.95},"
                + " \"context\": {\"page\": {\"url\": \"https://shop.example/p/1\"}, \"user_agent\": \"Mozilla/5.0\"}}";
    }

    public static Map<String, Object> map(int qty) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("sku", "SKU-1");
        properties.put("qty", qty);
        properties.put("price", 39.95);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_id", EVENT_ID);
        event.put("event_type", "add_to_cart");
        event.put("user_id", "u-1");
        event.put("anonymous_id", "a-9");
        event.put("ts", "2026-11-23T10:00:00.123Z");
        event.put("properties", properties);
        event.put("context", Map.of("page", Map.of("url", "https://shop.example/p/1"), "user_agent", "Mozilla/5.0"));
        return event;
    }

    public static Struct struct(int qty) {
        return new Struct(EVENT)
                .put("event_id", EVENT_ID)
                .put("event_type", "add_to_cart")
                .put("user_id", "u-1")
                .put("anonymous_id", "a-9")
                .put("ts", "2026-11-23T10:00:00.123Z")
                .put(
                        "properties",
                        new Struct(PROPERTIES)
                                .put("sku", "SKU-1")
                                .put("qty", qty)
                                .put("price", 39.95))
                .put(
                        "context",
                        new Struct(CONTEXT)
                                .put("page", new Struct(PAGE).put("url", "https://shop.example/p/1"))
                                .put("user_agent", "Mozilla/5.0"));
    }

    /** The event as a sink record of {@code events.raw}. */
    public static SinkRecord record(Map<String, Object> value) {
        return new SinkRecord("events.raw", 0, null, null, null, value, 1L);
    }

    /** Whether the SMT passes the value (a {@code DataException} is a rejection). */
    public static boolean isValid(JsonSchemaValidation<SinkRecord> smt, Map<String, Object> value) {
        try {
            return smt.apply(record(value)) != null;
        } catch (DataException e) {
            return false;
        }
    }

    /** Waits up to 15 s for a reloaded definition to apply. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(25);
        }
    }
}
