/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.testing.ConnectTestCluster;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Connect worker whose plugin.path is the built bundle folder discovers every plugin of the bundle, with its
 * type and the bundle's version: what a user sees after unpacking the zip into their plugin.path.
 */
class PluginDiscoveryIT {

    private static ConnectTestCluster connect;

    @BeforeAll
    static void startWorkerOnBundle() {
        assertThat(new File(BundlePlugins.bundleDir())).as("bundle folder").isDirectory();
        connect = ConnectTestCluster.builder()
                .name("discovery")
                .pluginPath(BundlePlugins.bundleDir())
                .start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
    }

    @Test
    void everyBundledPluginIsDiscoveredWithItsTypeAndVersion() {
        JsonNode plugins = connect.rest().get("/connector-plugins?connectorsOnly=false");
        Map<String, JsonNode> byClass = new HashMap<>();
        plugins.forEach(p -> byClass.put(p.path("class").asText(), p));

        BundlePlugins.EXPECTED.forEach((pluginClass, type) -> {
            assertThat(byClass).as("discovered plugins").containsKey(pluginClass);
            JsonNode plugin = byClass.get(pluginClass);
            assertThat(plugin.path("type").asText()).as(pluginClass + " type").isEqualTo(type);
            assertThat(plugin.path("version").asText())
                    .as(pluginClass + " version")
                    .isEqualTo(BundlePlugins.version());
        });
    }

    @Test
    void everyBundledPluginAnswersConfigValidation() {
        BundlePlugins.EXPECTED.forEach((pluginClass, type) -> {
            JsonNode config = connect.rest().get("/connector-plugins/" + pluginClass + "/config");
            assertThat(config.isArray()).as(pluginClass + " config definition").isTrue();
            assertThat(config.size())
                    .as(pluginClass + " has documented options")
                    .isGreaterThan(0);
            config.forEach(option -> assertThat(option.path("documentation").asText())
                    .as(pluginClass + " option " + option.path("name").asText() + " is documented")
                    .isNotBlank());
        });
    }
}
