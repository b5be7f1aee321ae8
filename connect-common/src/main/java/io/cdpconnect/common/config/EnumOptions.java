package io.cdpconnect.common.config;

import org.apache.kafka.common.config.ConfigDef;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validator and recommender for a string option whose values are an enum's constants, so
 * {@code PUT /connector-plugins/{class}/config/validate} lists the choices and rejects others (case-insensitively).
 */
public final class EnumOptions {

    private EnumOptions() {
    }

    /** The accepted spellings: the constants' names, lower-cased when {@code lowerCase}. */
    public static List<String> names(Enum<?>[] values, boolean lowerCase) {
        return Arrays.stream(values)
                .map(v -> lowerCase ? v.name().toLowerCase(Locale.ROOT) : v.name())
                .toList();
    }

    public static ConfigDef.Validator validator(Enum<?>[] values, boolean lowerCase) {
        return ConfigDef.CaseInsensitiveValidString.in(names(values, lowerCase).toArray(String[]::new));
    }

    public static ConfigDef.Recommender recommender(Enum<?>[] values, boolean lowerCase) {
        List<Object> names = List.copyOf(names(values, lowerCase));
        return new ConfigDef.Recommender() {
            @Override
            public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
                return names;
            }

            @Override
            public boolean visible(String name, Map<String, Object> parsedConfig) {
                return true;
            }
        };
    }
}
