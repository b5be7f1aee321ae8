/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import io.cdpconnect.common.PluginVersion;
import io.cdpconnect.common.config.CrossOptionChecks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes Kafka records into Aerospike in one of three modes: segment membership (last-writer-wins per user and
 * segment, with a MAPKEYS index for reverse lookups), offset-guarded counters, or plain bins.
 */
public class AerospikeSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new AerospikeSinkConfig(props); // fail fast on a bad config
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return AerospikeSinkTask.class;
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
        return AerospikeSinkConfig.CONFIG_DEF;
    }

    /**
     * Adds the cross-field rules (mode-specific requirements) to the per-field validation; a deprecated option name
     * is validated (and reported) as the option that replaces it.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return AerospikeSinkConfig.RENAMED.validate(
                connectorConfigs,
                props -> CrossOptionChecks.addTo(
                        super.validate(props), () -> new AerospikeSinkConfig(props), AerospikeSinkConfig.WRITE_MODE));
    }

    @Override
    public String version() {
        return PluginVersion.of(AerospikeSinkConnector.class);
    }
}
