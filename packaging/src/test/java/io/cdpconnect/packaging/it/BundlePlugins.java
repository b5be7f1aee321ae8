/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.packaging.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** The plugins the bundle must ship, by class, with the type Connect's REST API reports for them. */
final class BundlePlugins {

    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("io.cdpconnect.validate.JsonSchemaValidation$Value", "transformation");
        EXPECTED.put("io.cdpconnect.validate.JsonSchemaValidation$Key", "transformation");
        EXPECTED.put("io.cdpconnect.validate.IsValid", "predicate");
        EXPECTED.put("io.cdpconnect.template.TemplateTransform", "transformation");
        EXPECTED.put("io.cdpconnect.aerospike.AerospikeSinkConnector", "sink");
        EXPECTED.put("io.cdpconnect.warehouse.WarehouseSinkConnector", "sink");
        EXPECTED.put("io.cdpconnect.mongo.MongoCdcSourceConnector", "source");
    }

    private BundlePlugins() {}

    static String bundleDir() {
        return System.getProperty("cdp.plugin.path");
    }

    static String version() {
        return System.getProperty("cdp.version");
    }
}
