package io.cdpconnect.mongo;

import io.cdpconnect.common.PluginVersion;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Streams the collections assigned to this task. Each collection has its own cursor and its own source partition
 * (see {@link SourceOffsets}); one poll loop serves them in turn, so a busy collection cannot starve the others.
 */
public class MongoCdcSourceTask extends SourceTask {
    private static final Logger log = LoggerFactory.getLogger(MongoCdcSourceTask.class);

    private MongoCdcSourceConfig config;
    private MongoClient client;
    private final List<CollectionStream> streams = new ArrayList<>();
    private int next;
    private volatile boolean stopping;

    @Override
    public String version() {
        return PluginVersion.of(MongoCdcSourceTask.class);
    }

    @Override
    public void start(Map<String, String> props) {
        config = new MongoCdcSourceConfig(props);
        client = MongoClientFactory.create(config, "cdp-connect-mongo-cdc-source-task");
        RecordHandler handler = new RecordHandler(config);
        List<Map<String, String>> partitions = new ArrayList<>();
        for (String ns : config.taskNamespaces()) {
            partitions.add(SourceOffsets.partition(ns));
        }
        Map<Map<String, String>, Map<String, Object>> stored = context.offsetStorageReader().offsets(partitions);
        try {
            for (String ns : config.taskNamespaces()) {
                SourceOffsets.Stored offset = SourceOffsets.read(stored.get(SourceOffsets.partition(ns)));
                streams.add(new CollectionStream(new MongoNamespace(ns), client, config, handler, offset));
            }
        } catch (RuntimeException e) {
            stop();
            throw new ConnectException("cannot start streaming " + config.taskNamespaces() + ": " + e.getMessage(), e);
        }
        log.info("streaming {} collection(s): {}", streams.size(), config.taskNamespaces());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        try {
            return pollStreams();
        } catch (RuntimeException e) {
            if (stopping) {
                return null; // stop() closed the client under a waiting cursor
            }
            throw e;
        }
    }

    private List<SourceRecord> pollStreams() throws InterruptedException {
        int max = config.batchSize();
        List<SourceRecord> out = new ArrayList<>(Math.min(max, 256));
        int count = streams.size();
        if (count == 0) {
            Thread.sleep(config.pollAwaitMs());
            return out;
        }
        // Each idle cursor waits a share of poll.await.ms, so a poll of an idle task lasts about poll.await.ms.
        long awaitEach = Math.max(1, config.pollAwaitMs() / count);
        boolean anyPolled = false;
        for (int i = 0; i < count && out.size() < max && !stopping; i++) {
            CollectionStream stream = streams.get((next + i) % count);
            anyPolled |= stream.poll(out, max - out.size(), awaitEach);
        }
        next = (next + 1) % count;
        if (out.isEmpty() && !anyPolled) {
            // Every stream is stopped or backing off after an error: wait instead of spinning.
            Thread.sleep(Math.min(100, config.pollAwaitMs()));
        }
        return out;
    }

    /** The streams, for tests and metrics. */
    Collection<CollectionStream> streams() {
        return streams;
    }

    @Override
    public void stop() {
        stopping = true;
        for (CollectionStream stream : streams) {
            try {
                stream.close();
            } catch (RuntimeException e) {
                log.debug("closing {}", stream.namespace(), e);
            }
        }
        streams.clear();
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
