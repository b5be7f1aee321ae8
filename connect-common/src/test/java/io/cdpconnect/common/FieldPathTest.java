/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class FieldPathTest {

    private static final String EVENT = """
            {"event_type": "add_to_cart", "user_id": "u-1",
             "properties": {"sku": "SKU-1", "qty": 1, "price": 39.95},
             "items": [{"sku": "A"}, {"sku": "B"}]}""";

    @Test
    void readsNestedMapsListsAndJsonTreesTheSameWay() {
        Object map = RecordJson.toPlain(EVENT, null, true);
        Object tree = RecordJson.parse(EVENT);
        for (Object root : List.of(map, tree)) {
            assertThat(FieldPath.of("event_type").getString(root)).isEqualTo("add_to_cart");
            assertThat(FieldPath.of("properties.sku").getString(root)).isEqualTo("SKU-1");
            assertThat(FieldPath.of("properties.qty").getString(root)).isEqualTo("1");
            assertThat(FieldPath.of("items.1.sku").getString(root)).isEqualTo("B");
            assertThat(FieldPath.of("items.7.sku").get(root)).isNull();
            assertThat(FieldPath.of("properties.missing.deeper").get(root)).isNull();
        }
    }

    @Test
    void readsStructs() {
        Schema customer =
                SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
        Schema order = SchemaBuilder.struct()
                .field("order_id", Schema.STRING_SCHEMA)
                .field("customer", customer)
                .build();
        Struct value =
                new Struct(order).put("order_id", "o-1001").put("customer", new Struct(customer).put("id", "c-42"));
        assertThat(FieldPath.of("customer.id").get(value)).isEqualTo("c-42");
        assertThat(FieldPath.of("customer.name").get(value)).isNull();
        assertThat(FieldPath.of("customer.id").leaf()).isEqualTo("id");
    }

    @Test
    void rejectsEmptySegments() {
        assertThatThrownBy(() -> FieldPath.of("a..b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a..b");
        assertThatThrownBy(() -> FieldPath.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullRootGivesNull() {
        assertThat(FieldPath.of("a").get(null)).isNull();
        assertThat(FieldPath.of("a").get(Map.of())).isNull();
    }
}
