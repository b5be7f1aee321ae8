package io.cdpconnect.aerospike;

import io.cdpconnect.common.PluginVersion;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes Kafka records into Aerospike in one of three modes: segment membership (last-writer-wins per user and
 * segment, with a MAPKEYS index for reverse lookups), offset-guarded counters, or plain bins.
 */
public class AerospikeSinkConnector extends SinkConnector {

    private static final Pattern CONFIG_NAME = Pattern.compile("for configuration ([a-z0-9._-]+)");

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
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return AerospikeSinkConfig.CONFIG_DEF;
    }

    /** Adds the cross-field rules (mode-specific requirements) to the per-field validation. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean fieldErrors = config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty());
        if (!fieldErrors) {
            try {
                new AerospikeSinkConfig(connectorConfigs);
            } catch (ConfigException e) {
                // ConfigException(name, value, message) reads "Invalid value ... for configuration NAME: ..."
                Matcher m = CONFIG_NAME.matcher(String.valueOf(e.getMessage()));
                String name = m.find() ? m.group(1) : AerospikeSinkConfig.WRITE_MODE;
                ConfigValue target = config.configValues().stream().filter(v -> v.name().equals(name)).findFirst()
                        .orElse(config.configValues().stream()
                                .filter(v -> v.name().equals(AerospikeSinkConfig.WRITE_MODE)).findFirst().orElseThrow());
                target.addErrorMessage(e.getMessage());
            }
        }
        return config;
    }

    @Override
    public String version() {
        return PluginVersion.of(AerospikeSinkConnector.class);
    }
}
