/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The topics a pipeline's connector configs read and write, for topic creation and progress display. */
final class PipelineTopics {

    private PipelineTopics() {}

    /** Topics sink connectors read ({@code topics}). */
    static Set<String> inputTopics(List<PipelineApplier.ConnectorConfig> configs) {
        Set<String> topics = new LinkedHashSet<>();
        for (PipelineApplier.ConnectorConfig c : configs) {
            String list = c.config().get("topics");
            if (list != null) {
                for (String topic : list.split(",")) {
                    if (!topic.isBlank()) {
                        topics.add(topic.trim());
                    }
                }
            }
        }
        return topics;
    }

    /** Dead-letter topics named by the configs. */
    static Set<String> deadLetterTopics(List<PipelineApplier.ConnectorConfig> configs) {
        Set<String> topics = new LinkedHashSet<>();
        for (PipelineApplier.ConnectorConfig c : configs) {
            String dlq = c.config().get("errors.deadletterqueue.topic.name");
            if (dlq != null && !dlq.isBlank()) {
                topics.add(dlq.trim());
            }
        }
        return topics;
    }

    static boolean readsTopic(List<PipelineApplier.ConnectorConfig> configs, String topic) {
        return inputTopics(configs).contains(topic);
    }
}
