/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import io.cdpconnect.common.config.CrossOptionChecks;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Topic of a namespace: an explicit entry of topic.namespace.map (collection, then database) or prefix + namespace.
 *
 * <p>Kafka topic names allow {@code [a-zA-Z0-9._-]} and at most 249 characters; MongoDB collection names allow
 * almost anything. Every other character becomes {@code _}, and a name over the limit is cut and ends with a hash
 * of the full name, so the same namespace always gives the same topic. Two namespaces that end up with the same
 * topic are an error ({@link #checkDistinct}): their events would be mixed.
 */
final class TopicNamer {
    static final int MAX_TOPIC_LENGTH = 249;

    private final String prefix;
    private final Map<String, String> map;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    TopicNamer(String prefix, Map<String, String> map) {
        this.prefix = prefix == null ? "" : prefix;
        this.map = map;
    }

    String topic(String namespace) {
        return cache.computeIfAbsent(namespace, this::resolve);
    }

    private String resolve(String namespace) {
        String mapped = map.get(namespace);
        if (mapped == null) {
            int dot = namespace.indexOf('.');
            mapped = dot < 0 ? null : map.get(namespace.substring(0, dot));
        }
        if (mapped != null) {
            return mapped; // checked to be a legal topic name by the config
        }
        return sanitize(prefix.isEmpty() ? namespace : prefix + "." + namespace);
    }

    /** A legal Kafka topic name for {@code name}: illegal characters to '_', long names cut with a hash suffix. */
    static String sanitize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(legal(c) ? c : '_');
        }
        String s = out.toString();
        if (s.equals(".") || s.equals("..")) {
            s = s.replace('.', '_');
        }
        if (s.length() > MAX_TOPIC_LENGTH) {
            String hash = String.format("%08x", TaskOwnership.fnv1a(name));
            s = s.substring(0, MAX_TOPIC_LENGTH - hash.length() - 1) + "-" + hash;
        }
        return s;
    }

    /** Null when {@code topic} is a legal Kafka topic name, else why not. */
    static String illegalTopic(String topic) {
        if (topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH) {
            return "topic names have 1 to " + MAX_TOPIC_LENGTH + " characters";
        }
        if (topic.equals(".") || topic.equals("..")) {
            return "'.' and '..' are not topic names";
        }
        for (int i = 0; i < topic.length(); i++) {
            if (!legal(topic.charAt(i))) {
                return "topic names may only contain ASCII letters, digits, '.', '_' and '-'";
            }
        }
        return null;
    }

    /** Fails when two of the namespaces get the same topic, naming both. */
    void checkDistinct(Collection<String> namespaces) {
        Map<String, String> byTopic = new HashMap<>();
        for (String ns : namespaces) {
            String other = byTopic.putIfAbsent(topic(ns), ns);
            if (other != null && !other.equals(ns) && !(isMapped(ns) && isMapped(other))) {
                throw CrossOptionChecks.problem(
                        MongoCdcSourceConfig.TOPIC_NAMESPACE_MAP,
                        map.toString(),
                        "collections '" + other
                                + "' and '" + ns + "' would both be written to topic '" + topic(ns)
                                + "' (characters a topic "
                                + "name cannot have become '_'); map one of them to its own topic in topic.namespace.map, or "
                                + "exclude one with collections.exclude");
            }
        }
    }

    /** Explicitly mapped namespaces may share a topic on purpose (a database entry maps all its collections). */
    private boolean isMapped(String namespace) {
        if (map.containsKey(namespace)) {
            return true;
        }
        int dot = namespace.indexOf('.');
        return dot >= 0 && map.containsKey(namespace.substring(0, dot));
    }

    private static boolean legal(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
    }
}
