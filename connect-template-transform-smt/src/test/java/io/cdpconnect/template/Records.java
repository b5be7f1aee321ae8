/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;

/** Builds transforms and records for the unit tests and the in-process integration tests. */
public final class Records {

    public static final String ORDER =
            "{\"_id\": {\"$oid\": \"65f0c0ffee\"}, \"order_id\": \"o-1001\", \"customer_id\": \"c-42\","
                    + " \"status\": \"paid\", \"currency\": \"EUR\", \"total\": 129.90, \"quantity\": 1234,"
                    + " \"items\": [{\"sku\": \"SKU-1\", \"qty\": 2, \"price\": 39.95}],"
                    + " \"created_at\": \"2026-11-23T10:00:00Z\", \"updated_at\": \"2026-11-23T10:00:00Z\"}";

    private Records() {}

    public static TemplateTransform<SinkRecord> transform(Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        TemplateTransform<SinkRecord> transform = new TemplateTransform<>();
        transform.configure(props);
        return transform;
    }

    public static SinkRecord sink(Object value) {
        return sink("k-1", value);
    }

    public static SinkRecord sink(Object key, Object value) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("source", "web");
        return new SinkRecord(
                "events.raw",
                3,
                Schema.OPTIONAL_STRING_SCHEMA,
                key,
                null,
                value,
                42L,
                1_700_000_000_000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                headers);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> valueMap(ConnectRecord<?> record) {
        return (Map<String, Object>) record.value();
    }
}
