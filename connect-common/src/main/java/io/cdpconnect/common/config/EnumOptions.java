/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Validator, recommender and parser for a string option whose values are an enum's constants, so
 * {@code PUT /connector-plugins/{class}/config/validate} lists the choices and rejects others (case-insensitively).
 * Option values are the constants' names in lower case ({@code RECORD_KEY} is {@code record_key}); an option whose
 * values are spelled with another separator ({@code key.only}, {@code cdp-mongo}) names it. {@link #parse} reads
 * every spelling back, so a config class never upper-cases a value itself.
 */
public final class EnumOptions {

    private EnumOptions() {}

    /** The option value of a constant: its name lower-cased, with {@code separator} in place of '_'. */
    public static String spelling(Enum<?> value, char separator) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', separator);
    }

    /** The option values of an enum: {@link #spelling} of each constant, in declaration order. */
    public static List<String> names(Enum<?>[] values, char separator) {
        return Arrays.stream(values).map(v -> spelling(v, separator)).toList();
    }

    /** The accepted spellings: the constants' names, lower-cased when {@code lowerCase}. */
    public static List<String> names(Enum<?>[] values, boolean lowerCase) {
        return lowerCase
                ? names(values, '_')
                : Arrays.stream(values).map(Enum::name).toList();
    }

    /**
     * The constant an option value names, whatever its case and separator ('_', '.' or '-'); surrounding blanks are
     * ignored. The validator has already rejected anything else, so an unknown value is a programming error.
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        return Enum.valueOf(type, name);
    }

    /** Accepts the lower-case names of the constants, in any case. */
    public static ConfigDef.Validator validator(Enum<?>[] values) {
        return validator(values, '_');
    }

    public static ConfigDef.Validator validator(Enum<?>[] values, char separator) {
        return ConfigDef.CaseInsensitiveValidString.in(names(values, separator).toArray(String[]::new));
    }

    public static ConfigDef.Validator validator(Enum<?>[] values, boolean lowerCase) {
        return ConfigDef.CaseInsensitiveValidString.in(names(values, lowerCase).toArray(String[]::new));
    }

    /** Lists the lower-case names of the constants. */
    public static ConfigDef.Recommender recommender(Enum<?>[] values) {
        return recommender(values, '_');
    }

    public static ConfigDef.Recommender recommender(Enum<?>[] values, char separator) {
        return recommender(names(values, separator));
    }

    public static ConfigDef.Recommender recommender(Enum<?>[] values, boolean lowerCase) {
        return recommender(names(values, lowerCase));
    }

    /** Lists fixed option values that are not an enum's constants. */
    public static ConfigDef.Recommender recommender(String... values) {
        return recommender(List.of(values));
    }

    private static ConfigDef.Recommender recommender(List<String> spellings) {
        List<Object> names = List.copyOf(spellings);
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
