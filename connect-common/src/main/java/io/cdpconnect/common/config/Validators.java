/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.config;

import java.util.function.BiConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The validators the plugins share. Option-specific checks are a parse function: {@link #parsedBy} runs the same
 * code the config class uses to read the value, so a value that would fail at task start fails at validate.
 */
public final class Validators {

    private Validators() {}

    /** A string that is neither null nor blank. */
    public static ConfigDef.Validator nonBlank() {
        return NonBlank.STRING;
    }

    /** A password whose value is neither null nor blank; the value is never shown in the error. */
    public static ConfigDef.Validator nonBlankPassword() {
        return NonBlank.PASSWORD;
    }

    /**
     * Runs {@code parse(optionName, value)} on a non-blank string value (null and blank are accepted: the option's
     * default or a cross-option check decides about them). A {@link ConfigException} from the parser is reported as
     * it is; an {@link IllegalArgumentException} becomes one naming the option. A {@link Password} option's value is
     * parsed as its text, and never shown: the parser has to hide it in the messages it throws.
     *
     * @param description what the option takes, as shown in the config reference
     */
    public static ConfigDef.Validator parsedBy(String description, BiConsumer<String, String> parse) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String text = value instanceof Password p ? p.value() : value == null ? null : value.toString();
                if (text == null || text.isBlank()) {
                    return;
                }
                try {
                    parse.accept(name, text);
                } catch (ConfigException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    private enum NonBlank implements ConfigDef.Validator {
        STRING,
        PASSWORD;

        @Override
        public void ensureValid(String name, Object value) {
            String text = value instanceof Password p ? p.value() : value == null ? null : value.toString();
            if (text == null || text.isBlank()) {
                throw new ConfigException(name, this == PASSWORD ? "[hidden]" : value, "must not be empty");
            }
        }

        @Override
        public String toString() {
            return this == PASSWORD ? "non-empty password" : "non-empty string";
        }
    }
}
