/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse;

import io.cdpconnect.common.PluginVersion;
import io.cdpconnect.common.config.CrossOptionChecks;
import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.write.ExactlyOnceOffsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes topics into PostgreSQL or DuckDB tables: event stores with a JSONB raw column and monthly partitions,
 * entity tables kept by upsert, facts routed by event type. Every task gets the same configuration; Connect
 * spreads the topic partitions over them.
 */
public class WarehouseSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.of(WarehouseSinkConnector.class);
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = new HashMap<>(props);
        new WarehouseSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return WarehouseSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return WarehouseSinkConfig.CONFIG_DEF;
    }

    /**
     * Connect's offsets REST API (KIP-875, Connect 3.6+): with exactly.once the warehouse's offsets table is what
     * the tasks rewind to, so PATCH and DELETE /connectors/{name}/offsets change it too; otherwise the next start
     * would silently undo them. Called while the connector is stopped.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        WarehouseSinkConfig config = new WarehouseSinkConfig(connectorConfig);
        if (!config.exactlyOnce() || offsets.isEmpty()) {
            return true; // Connect's consumer group offsets are the only ones
        }
        Dialect dialect = Dialect.forUrl(config.url(), config.decimalScale());
        String name = connectorConfig.getOrDefault("name", "warehouse-sink");
        ExactlyOnceOffsets.alterStored(config, name, dialect, offsets);
        return true;
    }

    /** Adds the cross-option rules (upsert needs a key, deletes need record keys...) to per-option checks. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return CrossOptionChecks.addTo(
                super.validate(connectorConfigs), () -> new WarehouseSinkConfig(connectorConfigs), null);
    }
}
