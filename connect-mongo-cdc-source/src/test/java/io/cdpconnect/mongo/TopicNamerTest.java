/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

class TopicNamerTest {

    @Test
    void illegalCharactersBecomeUnderscoresAndKafkaAcceptsTheResult() {
        TopicNamer namer = new TopicNamer("cdc", Map.of());
        String topic = namer.topic("shop.orders 2024:eu");
        assertThat(topic).isEqualTo("cdc.shop.orders_2024_eu");
        assertThatCode(() -> Topic.validate(topic)).doesNotThrowAnyException();
        assertThat(namer.topic("shop.ü/ä,b")).isEqualTo("cdc.shop.____b");
        assertThat(namer.topic("shop.orders")).isEqualTo("cdc.shop.orders");
    }

    @Test
    void longNamesAreCutWithAStableHashSoTheyStayDistinct() {
        TopicNamer namer = new TopicNamer("", Map.of());
        String a = namer.topic("shop." + "x".repeat(300) + "a");
        String b = namer.topic("shop." + "x".repeat(300) + "b");
        assertThat(a).hasSize(TopicNamer.MAX_TOPIC_LENGTH).isNotEqualTo(b);
        assertThat(new TopicNamer("", Map.of()).topic("shop." + "x".repeat(300) + "a"))
                .isEqualTo(a);
        assertThatCode(() -> Topic.validate(a)).doesNotThrowAnyException();
    }

    @Test
    void twoNamespacesOnOneTopicAreAnErrorNamingBoth() {
        TopicNamer namer = new TopicNamer("cdc", Map.of());
        assertThatThrownBy(() -> namer.checkDistinct(List.of("shop.a b", "shop.a:b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("shop.a b")
                .hasMessageContaining("shop.a:b")
                .hasMessageContaining("cdc.shop.a_b");
        // A database entry maps all its collections to one topic on purpose.
        new TopicNamer("", Map.of("shop", "shop-all")).checkDistinct(List.of("shop.a", "shop.b"));
    }

    @Test
    void mappedTopicsMustBeLegal() {
        assertThatThrownBy(() -> MongoCdcSourceConfig.parseNamespaceMap("{\"shop.orders\": \"orders 2024\"}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a legal topic name");
    }
}
