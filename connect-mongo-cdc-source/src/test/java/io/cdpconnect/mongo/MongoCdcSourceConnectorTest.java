package io.cdpconnect.mongo;

import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MongoCdcSourceConnectorTest {
    private static final Map<String, String> PROPS = Map.of("mongo.uri", "mongodb://db1/?replicaSet=rs0");

    @Test
    void fourCollectionsOverTwoTasks() {
        List<Map<String, String>> tasks = MongoCdcSourceConnector.assign(PROPS,
                List.of("shop.a", "shop.b", "shop.c", "shop.d"), 2);
        assertThat(tasks).hasSize(2);
        Set<String> all = new HashSet<>();
        for (Map<String, String> t : tasks) {
            MongoCdcSourceConfig c = new MongoCdcSourceConfig(t);
            assertThat(c.taskNamespaces()).hasSize(2);
            all.addAll(c.taskNamespaces());
            assertThat(t.get("mongo.uri")).isEqualTo(PROPS.get("mongo.uri"));
        }
        assertThat(all).containsExactlyInAnyOrder("shop.a", "shop.b", "shop.c", "shop.d");
    }

    @Test
    void neverMoreTasksThanCollections() {
        assertThat(MongoCdcSourceConnector.assign(PROPS, List.of("shop.a", "shop.b", "shop.c"), 5)).hasSize(3);
        assertThat(MongoCdcSourceConnector.assign(PROPS, List.of(), 5)).isEmpty();
        List<Map<String, String>> one = MongoCdcSourceConnector.assign(PROPS, List.of("shop.a", "shop.b", "shop.c"), 1);
        assertThat(new MongoCdcSourceConfig(one.get(0)).taskNamespaces()).containsExactly("shop.a", "shop.b", "shop.c");
    }

    @Test
    void declaresExactlyOnceSupport() {
        MongoCdcSourceConnector connector = new MongoCdcSourceConnector();
        assertThat(connector.exactlyOnceSupport(PROPS)).isEqualTo(ExactlyOnceSupport.SUPPORTED);
        assertThat(connector.canDefineTransactionBoundaries(PROPS)).isEqualTo(ConnectorTransactionBoundaries.UNSUPPORTED);
        assertThat(connector.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(connector.taskClass()).isEqualTo(MongoCdcSourceTask.class);
    }
}
