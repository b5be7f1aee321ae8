package io.cdpconnect.common.config;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connect's {@code Connector.validate} checks each option alone. Rules across options (upsert needs a key, a
 * write mode needs its fields) live in a plugin's config class constructor; this runs them once every option is
 * valid alone and shows a failure on the option it names, so {@code PUT .../config/validate} explains it there.
 */
public final class CrossOptionChecks {

    /** {@code ConfigException(name, value, message)} reads "Invalid value ... for configuration NAME: ...". */
    private static final Pattern OPTION_NAME = Pattern.compile("for configuration ([^\\s:]+)");

    private CrossOptionChecks() {
    }

    /**
     * @param wholeConfigCheck parses the whole config, throwing {@link ConfigException} on a cross-option error
     * @param fallbackOption   where an error that names no option is shown; null for the first option
     */
    public static Config addTo(Config config, Runnable wholeConfigCheck, String fallbackOption) {
        boolean optionErrors = config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty());
        if (optionErrors || config.configValues().isEmpty()) {
            return config;
        }
        try {
            wholeConfigCheck.run();
        } catch (ConfigException e) {
            Matcher named = OPTION_NAME.matcher(String.valueOf(e.getMessage()));
            String target = named.find() ? named.group(1) : fallbackOption;
            ConfigValue shownOn = config.configValues().stream().filter(v -> v.name().equals(target)).findFirst()
                    .or(() -> config.configValues().stream().filter(v -> v.name().equals(fallbackOption)).findFirst())
                    .orElse(config.configValues().get(0));
            shownOn.addErrorMessage(e.getMessage());
        }
        return config;
    }
}
