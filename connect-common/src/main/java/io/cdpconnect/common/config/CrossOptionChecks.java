/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.config;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Connect's {@code Connector.validate} checks each option alone. Rules across options (upsert needs a key, a
 * write mode needs its fields) live in a plugin's config class constructor; this runs them once every option is
 * valid alone and shows a failure on the option it names, so {@code PUT .../config/validate} explains it there.
 * A config class names the option by throwing {@link #problem}; any other {@link ConfigException} is shown on the
 * fallback option.
 */
public final class CrossOptionChecks {

    private CrossOptionChecks() {}

    /**
     * A cross-option error that carries the option it is about, so it is shown there without reading Kafka's message
     * text. Its message is the one {@code new ConfigException(option, value, message)} has.
     */
    public static final class OptionProblem extends ConfigException {
        private static final long serialVersionUID = 1L;
        private final String option;
        private final String problem;

        private OptionProblem(String option, Object value, String problem) {
            super(option, value, problem);
            this.option = option;
            this.problem = problem;
        }

        /** The option the error is shown on. */
        public String option() {
            return option;
        }

        /** The message without Kafka's "Invalid value ... for configuration ..." prefix. */
        public String problem() {
            return problem;
        }
    }

    /** What a config class throws for a rule across options: shown on {@code option} by {@link #addTo}. */
    public static OptionProblem problem(String option, Object value, String message) {
        return new OptionProblem(option, value, message);
    }

    /**
     * @param wholeConfigCheck parses the whole config, throwing {@link #problem} (or any {@link ConfigException})
     *                         on a cross-option error
     * @param fallbackOption   where an error that names no option is shown; null for the first option
     */
    public static Config addTo(Config config, Runnable wholeConfigCheck, String fallbackOption) {
        boolean optionErrors =
                config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty());
        if (optionErrors || config.configValues().isEmpty()) {
            return config;
        }
        try {
            wholeConfigCheck.run();
        } catch (OptionProblem e) {
            shownOn(config, e.option(), fallbackOption).addErrorMessage(e.getMessage());
        } catch (ConfigException e) {
            shownOn(config, fallbackOption, fallbackOption).addErrorMessage(e.getMessage());
        }
        return config;
    }

    private static ConfigValue shownOn(Config config, String option, String fallbackOption) {
        return config.configValues().stream()
                .filter(v -> v.name().equals(option))
                .findFirst()
                .or(() -> config.configValues().stream()
                        .filter(v -> v.name().equals(fallbackOption))
                        .findFirst())
                .orElse(config.configValues().get(0));
    }
}
