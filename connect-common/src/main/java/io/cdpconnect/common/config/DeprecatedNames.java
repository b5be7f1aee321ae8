/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.common.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Old option names that keep working after a rename. A plugin declares its renames once
 * ({@code DeprecatedNames.of("old.name", "new.name", ...)}), passes every config map through {@link #apply} before
 * parsing or validating it, and adds {@link #note} to the new option's documentation, so the config reference says
 * which name it replaces. An old name is logged at WARN once per JVM; setting both names to different values is an
 * error naming both (which one was meant cannot be known). Connect's validation ({@link #validate}) reports a value
 * given under an old name on the new one.
 */
public final class DeprecatedNames {

    private static final Logger log = LoggerFactory.getLogger(DeprecatedNames.class);
    /** Old names already warned about, across every plugin and instance of this worker. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final Map<String, String> newByOld;
    private final Map<String, String> oldByNew;

    private DeprecatedNames(Map<String, String> newByOld) {
        this.newByOld = Collections.unmodifiableMap(newByOld);
        Map<String, String> reverse = new HashMap<>();
        newByOld.forEach((old, current) -> reverse.put(current, old));
        this.oldByNew = Collections.unmodifiableMap(reverse);
    }

    /** @param oldThenNew pairs: an old name followed by the name that replaces it */
    public static DeprecatedNames of(String... oldThenNew) {
        if (oldThenNew.length % 2 != 0) {
            throw new IllegalArgumentException("pairs of old and new names expected");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < oldThenNew.length; i += 2) {
            map.put(oldThenNew[i], oldThenNew[i + 1]);
        }
        return new DeprecatedNames(map);
    }

    /**
     * The config with every old name replaced by its new one (the old entry removed); the map itself when it holds
     * no old name. Values are kept as they are (a String, a Password, ...).
     *
     * @throws CrossOptionChecks.OptionProblem on the new name when an old and its new name are both set to
     *                                         different values
     */
    @SuppressWarnings("unchecked")
    public <K, V> Map<K, V> apply(Map<K, V> config) {
        if (newByOld.keySet().stream().noneMatch(config::containsKey)) {
            return config;
        }
        Map<K, V> out = new LinkedHashMap<>(config);
        newByOld.forEach((old, current) -> {
            if (!out.containsKey(old)) {
                return;
            }
            V value = out.remove(old);
            if (out.containsKey(current) && !Objects.equals(String.valueOf(out.get(current)), String.valueOf(value))) {
                // values are not shown: the option could be a secret
                throw CrossOptionChecks.problem(
                        current,
                        "(set twice)",
                        "also set under its deprecated name " + old + " to another value; remove " + old);
            }
            out.putIfAbsent((K) current, value);
            if (WARNED.add(old)) {
                log.warn("Option {} is deprecated and will be removed; use {} (same meaning)", old, current);
            }
        });
        return out;
    }

    /**
     * A connector's {@code validate}: {@code validator} runs on the config with the new names, so a value given under
     * an old name is checked and shown on the new one. An old and a new name set differently is shown on the new
     * name (the rest is validated with the new name's value).
     */
    public Config validate(Map<String, String> config, Function<Map<String, String>, Config> validator) {
        try {
            return validator.apply(apply(config));
        } catch (CrossOptionChecks.OptionProblem conflict) {
            Map<String, String> newNamesOnly = new LinkedHashMap<>(config);
            newNamesOnly.keySet().removeAll(newByOld.keySet());
            Config result = validator.apply(newNamesOnly);
            result.configValues().stream()
                    .filter(v -> v.name().equals(conflict.option()))
                    .findFirst()
                    .ifPresent(v -> v.addErrorMessage(conflict.getMessage()));
            return result;
        }
    }

    /** The documentation sentence of a renamed option ("" for one that replaces no name). */
    public String note(String newName) {
        String old = oldByNew.get(newName);
        return old == null
                ? ""
                : " Replaces " + old + ", which is still accepted as a deprecated alias (logged at " + "WARN once).";
    }

    /** Old name to new name, in declaration order. */
    public Map<String, String> renames() {
        return newByOld;
    }
}
