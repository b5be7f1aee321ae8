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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class MappingTest {

    @Test
    void scalarsMapToAerospikeTypes() {
        assertThat(ValueMapper.toAerospike(5)).isEqualTo(5L);
        assertThat(ValueMapper.toAerospike((short) 5)).isEqualTo(5L);
        assertThat(ValueMapper.toAerospike(1.5f)).isEqualTo(1.5d);
        assertThat(ValueMapper.toAerospike(new BigDecimal("39.95"))).isEqualTo(39.95d);
        assertThat(ValueMapper.toAerospike(BigInteger.TEN)).isEqualTo(10L);
        assertThat(ValueMapper.toAerospike(true)).isEqualTo(true);
        assertThat(ValueMapper.toAerospike(Instant.ofEpochMilli(42))).isEqualTo(42L);
        assertThat((byte[]) ValueMapper.toAerospike(ByteBuffer.wrap(new byte[] {7})))
                .containsExactly(7);
        assertThatThrownBy(() -> ValueMapper.toAerospike(BigInteger.TWO.pow(70)))
                .isInstanceOf(DataException.class);
        assertThatThrownBy(() -> ValueMapper.toAerospike(new Object())).isInstanceOf(DataException.class);
    }

    @Test
    void jsonTreesBecomeNestedMapsAndLists() {
        Object mapped = ValueMapper.toAerospike(RecordJson.parse("{\"a\":[1,2.5,\"x\",{\"b\":null}],\"n\":1}"));
        assertThat(mapped)
                .isEqualTo(Map.of("a", List.of(1L, 2.5d, "x", java.util.Collections.singletonMap("b", null)), "n", 1L));
    }

    @Test
    void countersParseNumbers() {
        assertThat(ValueMapper.toNumber("12")).isEqualTo(12L);
        assertThat(ValueMapper.toNumber("129.90")).isEqualTo(129.90d);
        assertThat(ValueMapper.toNumber(RecordJson.parse("3"))).isEqualTo(3L);
        assertThat(ValueMapper.toNumber(new BigDecimal("1.25"))).isEqualTo(1.25d);
        assertThatThrownBy(() -> ValueMapper.toNumber("x")).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> ValueMapper.toNumber(List.of())).isInstanceOf(DataException.class);
    }

    @Test
    void binNamesAreLimitedTo15Bytes() {
        assertThat(BinNames.problem("fifteen_chars__")).isNull();
        assertThat(BinNames.problem("sixteen_chars___")).contains("16 bytes");
        assertThat(BinNames.problem("ééééééééé")).contains("18 bytes"); // 9 characters, 18 UTF-8 bytes
        assertThat(BinNames.problem("")).isNotNull();
        assertThatThrownBy(() -> BinNames.checked("sixteen_chars___", "rename it"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("rename it");
    }

    @Test
    void keysFromFieldsOrRecordKeysWithNaturalTypes() {
        KeyResolver fromField = new KeyResolver(TestConfigs.config(TestConfigs.segments()));
        SinkRecord record = new SinkRecord("t", 0, null, "ignored", null, null, 0);
        assertThat(fromField.key(record, Map.of("user_id", "u-1"))).isEqualTo(new Key("test", "users", "u-1"));
        assertThat(fromField.key(record, RecordJson.parse("{\"user_id\":42}")))
                .isEqualTo(new Key("test", "users", 42L));
        assertThat(fromField.key(record, Map.of("user_id", 42))).isEqualTo(new Key("test", "users", 42L));
        assertThatThrownBy(() -> fromField.key(record, Map.of("other", 1)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("'user_id' is missing");
        assertThatThrownBy(() -> fromField.key(record, Map.of("user_id", Map.of("a", 1))))
                .isInstanceOf(DataException.class);

        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.KEY_FIELD, "");
        props.put(AerospikeSinkConfig.SET_SOURCE, "FIELD");
        props.put(AerospikeSinkConfig.SET_FIELD, "meta.set");
        KeyResolver fromKey = new KeyResolver(TestConfigs.config(props));
        SinkRecord keyed = new SinkRecord("t", 0, null, "u-9", null, null, 0);
        assertThat(fromKey.key(keyed, Map.of("meta", Map.of("set", "vip")))).isEqualTo(new Key("test", "vip", "u-9"));
        assertThatThrownBy(() -> fromKey.key(keyed, Map.of())).hasMessageContaining("set field 'meta.set'");
        assertThatThrownBy(() -> fromKey.tombstoneKey(keyed)).hasMessageContaining("tombstone");
    }

    @Test
    void nullSetWhenNoneConfigured() {
        Map<String, String> props = TestConfigs.segments();
        props.put(AerospikeSinkConfig.SET, "");
        KeyResolver resolver = new KeyResolver(TestConfigs.config(props));
        Key key = resolver.key(new SinkRecord("t", 0, null, null, null, null, 0), Map.of("user_id", "u"));
        assertThat(key.setName).isNull();
    }
}
