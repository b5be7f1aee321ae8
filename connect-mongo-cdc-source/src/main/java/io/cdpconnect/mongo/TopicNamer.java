package io.cdpconnect.mongo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Topic of a namespace: an explicit entry of topic.namespace.map (collection, then database) or prefix + namespace. */
final class TopicNamer {
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
            return mapped;
        }
        return prefix.isEmpty() ? namespace : prefix + "." + namespace;
    }
}
