/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import io.cdpconnect.common.PluginVersion;
import io.cdpconnect.common.config.CrossOptionChecks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * MongoDB change-stream source. Runs {@code tasks.max} tasks; each lists the collections in scope and streams those
 * whose namespace hashes to it ({@link TaskOwnership}). Task configs hold no collection names, so a collection
 * created or dropped changes no task config and restarts no task: the owning task picks it up or lets it go.
 */
public class MongoCdcSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.of(MongoCdcSourceConnector.class);
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = new HashMap<>(props);
        new MongoCdcSourceConfig(props); // fail start on a config validate() would have rejected
    }

    @Override
    public Class<? extends Task> taskClass() {
        return MongoCdcSourceTask.class;
    }

    /** tasks.max tasks, each told its number and the count; the collections follow from the hash. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return assign(props, maxTasks);
    }

    static List<Map<String, String>> assign(Map<String, String> props, int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(MongoCdcSourceConfig.TASK_INDEX, Integer.toString(i));
            task.put(MongoCdcSourceConfig.TASK_COUNT, Integer.toString(maxTasks));
            configs.add(task);
        }
        return configs;
    }

    /**
     * Each option alone, then the rules across options (startup.timestamp with startup.mode=timestamp), then the
     * server: reachable, change streams offered, privileges, two collections on one topic.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        CrossOptionChecks.addTo(
                config, () -> new MongoCdcSourceConfig(connectorConfigs), MongoCdcSourceConfig.STARTUP_TIMESTAMP);
        return CrossOptionChecks.addTo(
                config,
                () -> {
                    try {
                        MongoCdcSourceConfig parsed = new MongoCdcSourceConfig(connectorConfigs);
                        List<String> namespaces = ServerCheck.check(parsed);
                        new TopicNamer(parsed.topicPrefix(), parsed.namespaceMap()).checkDistinct(namespaces);
                    } catch (ConfigException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        throw new ConfigException("cannot check the MongoDB server: " + e);
                    }
                },
                MongoCdcSourceConfig.MONGO_URI);
    }

    /**
     * KIP-875 ({@code PATCH /connectors/<name>/offsets}, connector stopped): the positions are checked here so a
     * typo fails the request instead of the task. Per collection ({@code {"ns": "db.coll"}}) the offset is null
     * (forget the position: the collection starts again by startup.mode), a resume token
     * ({@code {"resume_token": "{\"_data\": \"82...\"}"}}), or an operation time ({@code start_at_t}
     * seconds, {@code start_at_i} increment); {@code snapshot_last_id} continues a copy.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            SourceOffsets.validate(e.getKey(), e.getValue());
        }
        return true; // the offsets live in Connect's offset store only
    }

    @Override
    public void stop() {
        // nothing held: the tasks own their clients
    }

    @Override
    public ConfigDef config() {
        return MongoCdcSourceConfig.CONFIG_DEF;
    }

    /**
     * Offsets are resume tokens and every record carries the token of its own event, so with a worker in
     * exactly-once mode the records and their offsets commit in one transaction: no duplicate after a restart.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.UNSUPPORTED;
    }
}
