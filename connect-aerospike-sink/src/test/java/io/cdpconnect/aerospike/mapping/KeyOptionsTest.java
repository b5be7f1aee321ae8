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
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** Composite keys, digest keys and the namespace from a field, for writes and tombstones alike. */
class KeyOptionsTest {

    private static KeyResolver resolver(Map<String, String> props) {
        return new KeyResolver(TestConfigs.config(props));
    }

    private static SinkRecord keyed(Object key, Object value) {
        return new SinkRecord("customers", 0, null, key, null, value, 0);
    }

    @Test
    void compositeKeysJoinTheFieldsWithTheSeparator() {
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.KEY_FIELD, "");
        props.put(AerospikeSinkConfig.KEY_FIELDS, "tenant, user.id");
        KeyResolver keys = resolver(props);
        String json = "{\"tenant\":\"t1\",\"user\":{\"id\":42}}";
        Key written = keys.key(keyed(null, json), RecordJson.parse(json));
        assertThat(written).isEqualTo(new Key("test", "customers", "t1:42"));
        assertThat(keys.tombstoneKey(keyed("{\"tenant\":\"t1\",\"user\":{\"id\":42}}", null)))
                .isEqualTo(written);
        assertThat(keys.tombstoneKey(keyed("t1:42", null))).isEqualTo(written);
        assertThatThrownBy(() -> keys.key(keyed(null, "{\"tenant\":\"t1\"}"), RecordJson.parse("{\"tenant\":\"t1\"}")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("user.id");

        props.put(AerospikeSinkConfig.KEY_FIELDS_SEPARATOR, "|");
        assertThat(resolver(props).key(keyed(null, json), RecordJson.parse(json)))
                .isEqualTo(new Key("test", "customers", "t1|42"));
        props.put(AerospikeSinkConfig.KEY_FIELD, "user.id");
        assertThatThrownBy(() -> resolver(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("either");
    }

    @Test
    void digestKeysAreUsedAsGiven() {
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.KEY_FIELD, "digest");
        props.put(AerospikeSinkConfig.KEY_DIGEST, "true");
        KeyResolver keys = resolver(props);
        Key original = new Key("test", "customers", "c-42");
        String hex = HexFormat.of().formatHex(original.digest);
        String json = "{\"digest\":\"" + hex + "\"}";
        Key written = keys.key(keyed(null, json), RecordJson.parse(json));
        assertThat(written.digest).isEqualTo(original.digest);
        assertThat(written.userKey).isNull();
        assertThat(written).isEqualTo(original); // Key equality is by namespace, set and digest
        props.put(AerospikeSinkConfig.KEY_FIELD, "");
        assertThat(resolver(props).tombstoneKey(keyed(original.digest, null))).isEqualTo(original);
        assertThatThrownBy(
                        () -> keys.key(keyed(null, "{\"digest\":\"abc\"}"), RecordJson.parse("{\"digest\":\"abc\"}")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("20-byte digest");
        Map<String, String> segments = TestConfigs.segments();
        segments.put(AerospikeSinkConfig.KEY_DIGEST, "true");
        assertThatThrownBy(() -> resolver(segments))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SEGMENTS");
    }

    @Test
    void namespaceFromAField() {
        Map<String, String> props = TestConfigs.bins();
        props.put(AerospikeSinkConfig.NAMESPACE_FIELD, "meta.ns");
        KeyResolver keys = resolver(props);
        String json = "{\"customer_id\":\"c-1\",\"meta\":{\"ns\":\"eu\"}}";
        assertThat(keys.key(keyed(null, json), RecordJson.parse(json))).isEqualTo(new Key("eu", "customers", "c-1"));
        assertThatThrownBy(() -> keys.key(
                        keyed(null, "{\"customer_id\":\"c-1\"}"), RecordJson.parse("{\"customer_id\":\"c-1\"}")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("meta.ns");
        assertThatThrownBy(() -> keys.tombstoneKey(keyed("c-1", null)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("namespace field");
    }
}
