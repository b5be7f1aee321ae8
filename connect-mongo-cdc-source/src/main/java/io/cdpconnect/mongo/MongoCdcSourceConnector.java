package io.cdpconnect.mongo;

import io.cdpconnect.common.PluginVersion;

import com.mongodb.client.MongoClient;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * MongoDB change-stream source. Finds the collections in scope, spreads them over {@code tasks.max} tasks, and
 * watches for collections created or dropped in scope to reassign them.
 */
public class MongoCdcSourceConnector extends SourceConnector {
    private static final Logger log = LoggerFactory.getLogger(MongoCdcSourceConnector.class);

    private Map<String, String> props;
    private MongoCdcSourceConfig config;
    private MongoClient client;
    private volatile List<String> namespaces = List.of();
    private ScheduledExecutorService monitor;

    @Override
    public String version() {
        return PluginVersion.of(MongoCdcSourceConnector.class);
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = new HashMap<>(props);
        config = new MongoCdcSourceConfig(props);
        client = MongoClientFactory.create(config, "cdp-connect-mongo-cdc-source");
        try {
            namespaces = CollectionDiscovery.discover(client, config);
        } catch (RuntimeException e) {
            client.close();
            throw new ConnectException("cannot list the collections in scope on MongoDB: " + e.getMessage(), e);
        }
        if (namespaces.isEmpty()) {
            log.warn("no collection matches database='{}', collections.include='{}', collections.exclude='{}' yet; "
                            + "tasks start when one appears", config.database(),
                    config.getString(MongoCdcSourceConfig.COLLECTIONS_INCLUDE),
                    config.getString(MongoCdcSourceConfig.COLLECTIONS_EXCLUDE));
        }
        long refresh = config.collectionsRefreshIntervalMs();
        if (refresh > 0) {
            monitor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mongo-cdc-collection-monitor");
                t.setDaemon(true);
                return t;
            });
            monitor.scheduleWithFixedDelay(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
        }
    }

    private void refresh() {
        try {
            List<String> now = CollectionDiscovery.discover(client, config);
            if (!now.equals(namespaces)) {
                log.info("collections in scope changed from {} to {}: reassigning tasks", namespaces, now);
                namespaces = now;
                context.requestTaskReconfiguration();
            }
        } catch (RuntimeException e) {
            log.warn("cannot list the collections in scope (will retry): {}", e.toString());
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return MongoCdcSourceTask.class;
    }

    /** Collections spread evenly (sorted names, contiguous groups) over at most maxTasks tasks. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return assign(props, namespaces, maxTasks);
    }

    static List<Map<String, String>> assign(Map<String, String> props, List<String> namespaces, int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        if (namespaces.isEmpty()) {
            return configs;
        }
        for (List<String> group : ConnectorUtils.groupPartitions(namespaces, Math.min(maxTasks, namespaces.size()))) {
            Map<String, String> task = new HashMap<>(props);
            task.put(MongoCdcSourceConfig.TASK_NAMESPACES, String.join(",", group));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        if (monitor != null) {
            monitor.shutdownNow();
            monitor = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
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
