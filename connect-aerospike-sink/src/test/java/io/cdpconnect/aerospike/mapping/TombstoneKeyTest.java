/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aerospike.client.Key;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.TestConfigs;
import io.cdpconnect.common.RecordJson;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * A tombstone must delete exactly the record its earlier writes created: the delete key is derived from the
 * Kafka key with the same field and the same type coercion ({@code key.type}) as the write key from the value.
 */
class TombstoneKeyTest {

    private static KeyResolver resolver(String keyType) {
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.KEY_FIELD, "customer_id");
        if (keyType != null) {
            props.put(AerospikeSinkConfig.KEY_TYPE, keyType);
        }
        return new KeyResolver(TestConfigs.config(props));
    }

    private static SinkRecord keyed(Object key, Object value) {
        return new SinkRecord("customers", 0, null, key, null, value, 0);
    }

    private static Key writeKey(KeyResolver keys, Object key, String json) {
        return keys.key(keyed(key, json), RecordJson.parse(json));
    }

    @Test
    void stringConverterKeyDeletesTheIntegerKeyWrittenFromTheValueWithKeyTypeLong() {
        KeyResolver keys = resolver("long");
        Key written = writeKey(keys, "42", "{\"customer_id\": 42}");
        assertThat(written).isEqualTo(new Key("test", "customers", 42L));
        assertThat(keys.tombstoneKey(keyed("42", null))).isEqualTo(written);
        // a string value of an integer is coerced the same way
        assertThat(writeKey(keys, "42", "{\"customer_id\": \"42\"}")).isEqualTo(written);
        assertThatThrownBy(() -> keys.tombstoneKey(keyed("c-42", null)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("key.type=long");
    }

    @Test
    void keyTypeStringMakesEveryKeyAStringKey() {
        KeyResolver keys = resolver("string");
        Key written = writeKey(keys, 42L, "{\"customer_id\": 42}");
        assertThat(written).isEqualTo(new Key("test", "customers", "42"));
        assertThat(keys.tombstoneKey(keyed(42L, null))).isEqualTo(written);
        assertThat(keys.tombstoneKey(keyed("42", null))).isEqualTo(written);
    }

    @Test
    void structuredKeysAreReadWithTheKeyField() {
        KeyResolver keys = resolver(null); // auto
        Key written = writeKey(keys, null, "{\"customer_id\": 42}");
        Schema keySchema =
                SchemaBuilder.struct().field("customer_id", Schema.INT64_SCHEMA).build();
        assertThat(keys.tombstoneKey(keyed(new Struct(keySchema).put("customer_id", 42L), null)))
                .isEqualTo(written);
        assertThat(keys.tombstoneKey(keyed(Map.of("customer_id", 42), null))).isEqualTo(written);
        // JSON text of an object (StringConverter on a JSON key) is parsed, so its number stays a number
        assertThat(keys.tombstoneKey(keyed("{\"customer_id\": 42}", null))).isEqualTo(written);
        assertThat(keys.tombstoneKey(keyed(42L, null))).isEqualTo(written);
        assertThat(keys.tombstoneKey(keyed("c-42", null)))
                .isEqualTo(writeKey(keys, null, "{\"customer_id\": \"c-42\"}"));
        assertThatThrownBy(() -> keys.tombstoneKey(keyed(Map.of("other", 1), null)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("customer_id");
    }

    @Test
    void autoRefusesAnAmbiguousTextKeyInsteadOfDeletingNothing() {
        KeyResolver keys = resolver("auto");
        assertThatThrownBy(() -> keys.tombstoneKey(keyed("42", null)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("key.type=long")
                .hasMessageContaining("key.type=string");
    }

    @Test
    void withoutKeyFieldTheRecordKeyIsCoercedTheSameWayForWritesAndDeletes() {
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.KEY_FIELD, "");
        props.put(AerospikeSinkConfig.KEY_TYPE, "long");
        KeyResolver keys = new KeyResolver(TestConfigs.config(props));
        Key written = keys.key(keyed("7", "{}"), RecordJson.parse("{}"));
        assertThat(written).isEqualTo(new Key("test", "customers", 7L));
        assertThat(keys.tombstoneKey(keyed("7", null))).isEqualTo(written);
    }
}
