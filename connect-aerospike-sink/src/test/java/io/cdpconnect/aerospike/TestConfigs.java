/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import java.util.HashMap;
import java.util.Map;

/** Minimal valid connector configs per mode for unit tests. */
public final class TestConfigs {

    private TestConfigs() {}

    public static Map<String, String> segments() {
        Map<String, String> props = new HashMap<>();
        props.put(AerospikeSinkConfig.HOSTS, "127.0.0.1:3000");
        props.put(AerospikeSinkConfig.NAMESPACE, "test");
        props.put(AerospikeSinkConfig.SET, "users");
        props.put(AerospikeSinkConfig.WRITE_MODE, "segments");
        props.put(AerospikeSinkConfig.KEY_FIELD, "user_id");
        return props;
    }

    public static Map<String, String> counters() {
        Map<String, String> props = segments();
        props.put(AerospikeSinkConfig.WRITE_MODE, "counters");
        props.put(AerospikeSinkConfig.SET, "customer_stats");
        props.put(AerospikeSinkConfig.KEY_FIELD, "customer_id");
        props.put(AerospikeSinkConfig.COUNTERS_INCREMENTS, "order_count=1,revenue=total:double,items=item_count");
        return props;
    }

    public static Map<String, String> bins() {
        Map<String, String> props = segments();
        props.put(AerospikeSinkConfig.WRITE_MODE, "bins");
        props.put(AerospikeSinkConfig.SET, "customers");
        props.put(AerospikeSinkConfig.KEY_FIELD, "customer_id");
        return props;
    }

    public static AerospikeSinkConfig config(Map<String, String> props) {
        return new AerospikeSinkConfig(props);
    }
}
