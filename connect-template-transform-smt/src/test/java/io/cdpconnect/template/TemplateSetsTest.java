/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static io.cdpconnect.template.Records.sink;
import static io.cdpconnect.template.Records.transform;
import static io.cdpconnect.template.Records.valueMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * Per-event-type template sets from the definition store, with the inline templates as defaults. Sets kept in
 * PostgreSQL: {@code it.inprocess.JdbcTemplateSetsIT}.
 */
class TemplateSetsTest {

    private static final String CART = "{\"event_id\": \"e-1\", \"event_type\": \"add_to_cart\", \"user_id\": \"u-1\","
            + " \"properties\": {\"sku\": \"SKU-1\", \"qty\": 1, \"price\": 39.95}}";
    private static final String VIEW = "{\"event_id\": \"e-2\", \"event_type\": \"page_view\", \"user_id\": \"u-2\","
            + " \"context\": {\"page\": {\"url\": \"https://shop.example/p/1\"}}}";
    private static final String OTHER =
            "{\"event_id\": \"e-3\", \"event_type\": \"checkout_started\", \"user_id\": \"u-3\"}";

    @Test
    void eventTypeSelectsItsSetAndInlineTemplatesFillTheRest() {
        String definitions =
                "{\"add_to_cart\": {\"topic\": \"cart.events\", \"headers.sku\": \"{{ value.properties.sku }}\"},"
                        + " \"page_view\": {\"value\": \"{\\\"user\\\": {{ value.user_id }}, \\\"url\\\": {{ value.context.page.url }}}\","
                        + " \"topic\": \"pageviews\"}}";
        var t = transform(
                "definitions.inline",
                definitions,
                "event.type.field",
                "event_type",
                "value.template",
                "{\"id\": {{ value.event_id }}, \"type\": {{ value.event_type }}}",
                "definitions.refresh.ms",
                "0");
        SinkRecord cart = t.apply(sink(CART));
        assertThat(cart.topic()).isEqualTo("cart.events");
        assertThat(valueMap(cart)).isEqualTo(Map.of("id", "e-1", "type", "add_to_cart"));
        assertThat(cart.headers().lastWithName("sku").value()).isEqualTo("SKU-1");

        SinkRecord view = t.apply(sink(VIEW));
        assertThat(view.topic()).isEqualTo("pageviews");
        assertThat(valueMap(view)).isEqualTo(Map.of("user", "u-2", "url", "https://shop.example/p/1"));

        SinkRecord other = t.apply(sink(OTHER));
        assertThat(other.topic()).isEqualTo("events.raw");
        assertThat(valueMap(other)).isEqualTo(Map.of("id", "e-3", "type", "checkout_started"));
        t.close();
    }

    @Test
    void unknownTypeWithoutDefaultsFailsOrPasses() {
        String definitions = "{\"page_view\": {\"topic\": \"pageviews\"}}";
        var failing = transform("definitions.inline", definitions, "event.type.field", "event_type");
        assertThatThrownBy(() -> failing.apply(sink(OTHER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("no template for event type 'checkout_started'");
        var passing = transform(
                "definitions.inline", definitions, "event.type.field", "event_type", "on.missing.template", "pass");
        SinkRecord in = sink(OTHER);
        assertThat(passing.apply(in)).isSameAs(in);
        assertThat(passing.apply(sink(VIEW)).topic()).isEqualTo("pageviews");
        failing.close();
        passing.close();
    }

    @Test
    void storeNeedsTheEventTypeField() {
        assertThatThrownBy(() -> transform("definitions.inline", "{\"a\": \"{}\"}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("event.type.field");
    }

    @Test
    void aBrokenStoredTemplateIsSkippedAndTheOthersWork(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path view = java.nio.file.Files.createDirectories(dir.resolve("page_view"));
        java.nio.file.Files.writeString(view.resolve("topic.j2"), "{% for %}");
        java.nio.file.Files.writeString(view.resolve("key.j2"), "{{ value.user_id }}");
        java.nio.file.Path cart = java.nio.file.Files.createDirectories(dir.resolve("add_to_cart"));
        java.nio.file.Files.writeString(cart.resolve("colour.j2"), "x");
        java.nio.file.Files.writeString(cart.resolve("key.j2"), "{{ value.properties.sku }}");
        var t = transform(
                "definitions.source",
                "directory",
                "definitions.directory",
                dir.toString(),
                "definitions.on.invalid",
                "skip",
                "event.type.field",
                "event_type",
                "topic.template",
                "fallback");
        SinkRecord viewed = t.apply(sink(VIEW));
        assertThat(viewed.key()).isEqualTo("u-2");
        assertThat(viewed.topic()).isEqualTo("fallback"); // its own topic template did not compile
        assertThat(t.apply(sink(CART)).key()).isEqualTo("SKU-1");
        t.close();
        // the same templates inline are config: the start fails naming them (validation reports them earlier)
        String definitions = "{\"page_view\": {\"topic\": \"{% for %}\", \"key\": \"{{ value.user_id }}\"},"
                + " \"add_to_cart\": {\"colour\": \"x\", \"key\": \"{{ value.properties.sku }}\"}}";
        assertThatThrownBy(() -> transform("definitions.inline", definitions, "event.type.field", "event_type"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("page_view/topic")
                .hasMessageContaining("add_to_cart/colour");
    }

    @Test
    void templatesFromADirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("page_view.j2"), "{\"url\": {{ value.context.page.url }}}\n");
        java.nio.file.Path cart = java.nio.file.Files.createDirectories(dir.resolve("add_to_cart"));
        java.nio.file.Files.writeString(cart.resolve("topic.j2"), "cart.{{ value.properties.sku|lower }}\n");
        java.nio.file.Files.writeString(cart.resolve("headers.user.jinja"), "{{ value.user_id }}");
        var t = transform(
                "definitions.source",
                "directory",
                "definitions.directory",
                dir.toString(),
                "event.type.field",
                "event_type",
                "definitions.refresh.ms",
                "0");
        assertThat(valueMap(t.apply(sink(VIEW)))).isEqualTo(Map.of("url", "https://shop.example/p/1"));
        SinkRecord out = t.apply(sink(CART));
        assertThat(out.topic()).isEqualTo("cart.sku-1");
        assertThat(out.headers().lastWithName("user").value()).isEqualTo("u-1");
        t.close();
    }
}
