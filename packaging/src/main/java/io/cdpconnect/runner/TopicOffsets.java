/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Offsets read with Kafka's Admin client, for progress, status and the runner's summary. */
final class TopicOffsets {

    private static final long TIMEOUT_SECONDS = 30;

    private TopicOffsets() {}

    /** Offsets of every partition of the existing ones among {@code topics} (missing topics are left out). */
    static Map<TopicPartition, Long> offsets(Admin admin, Collection<String> topics, OffsetSpec spec) throws Exception {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> present = new ArrayList<>(topics);
        present.retainAll(existing);
        Map<TopicPartition, Long> out = new HashMap<>();
        if (present.isEmpty()) {
            return out;
        }
        Map<String, TopicDescription> described =
                admin.describeTopics(present).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        described
                .values()
                .forEach(d ->
                        d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), spec)));
        admin.listOffsets(request)
                .all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** Records written to a topic so far: the sum of its partitions' end offsets. */
    static long written(Admin admin, String topic) throws Exception {
        return sum(offsets(admin, List.of(topic), OffsetSpec.latest()));
    }

    /** Records currently in a topic (end minus start offsets: what retention kept). */
    static long records(Admin admin, String topic) throws Exception {
        Map<TopicPartition, Long> ends = offsets(admin, List.of(topic), OffsetSpec.latest());
        Map<TopicPartition, Long> starts = offsets(admin, List.of(topic), OffsetSpec.earliest());
        long n = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            n += end.getValue() - starts.getOrDefault(end.getKey(), 0L);
        }
        return n;
    }

    /** Offsets committed by a sink connector's consumer group ({@code connect-<name>}). */
    static Map<TopicPartition, Long> committed(Admin admin, String connector) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                .partitionsToOffsetAndMetadata()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    /** End offsets of a sink's topics minus what it committed. */
    static long lag(Admin admin, String connector, Collection<String> topics) throws Exception {
        Map<TopicPartition, Long> committed = committed(admin, connector);
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end :
                offsets(admin, topics, OffsetSpec.latest()).entrySet()) {
            lag += end.getValue() - committed.getOrDefault(end.getKey(), 0L);
        }
        return lag;
    }

    static long sum(Map<TopicPartition, Long> offsets) {
        long sum = 0;
        for (long offset : offsets.values()) {
            sum += offset;
        }
        return sum;
    }
}
