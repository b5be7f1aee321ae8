/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.runner;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The warehouse sink's own table naming for the dry run: its {@code WarehouseSinkConfig} (the
 * {@code table.name.format} and {@code table.routing.max.tables} it reads, defaults included) and its
 * {@code TableRouter} (placeholders, sanitising, the 63-byte cap, two names on one table), loaded through the
 * sink's plugin class loader from the bundle. The runner keeps no copy of those rules and no sink class on its
 * class path, so the table it prints is the one the sink creates.
 */
final class WarehouseTables {

    private static final String CONFIG = "io.cdpconnect.warehouse.WarehouseSinkConfig";
    private static final String ROUTER = "io.cdpconnect.warehouse.record.TableRouter";

    private final ClassLoader loader;
    private final Object router;
    private final Method route;

    /**
     * @param sinkLoader the class loader of the warehouse sink connector (its plugin folder)
     * @param config the connector's configuration
     * @throws IllegalArgumentException when the sink refuses the configuration (it would not start)
     */
    WarehouseTables(ClassLoader sinkLoader, Map<String, String> config) {
        this.loader = sinkLoader;
        try {
            Class<?> configClass = Class.forName(CONFIG, true, sinkLoader);
            Object sinkConfig = configClass.getConstructor(Map.class).newInstance(config);
            String format = (String) configClass.getMethod("tableNameFormat").invoke(sinkConfig);
            int maxTables = (Integer) configClass.getMethod("routingMaxTables").invoke(sinkConfig);
            Class<?> routerClass = Class.forName(ROUTER, true, sinkLoader);
            this.router = routerClass.getConstructor(String.class, int.class).newInstance(format, maxTables);
            this.route = routerClass.getMethod("route", String.class, Object.class);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(
                    "the warehouse sink refuses this configuration: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "the bundle's warehouse sink has no " + ROUTER + " of this runner's "
                            + "version (runner and bundle from different builds?): " + e,
                    e);
        }
    }

    /** The sink's plugin class loader, to run its code under. */
    ClassLoader loader() {
        return loader;
    }

    /**
     * The table the sink writes a record of {@code topic} with this value to.
     *
     * @throws RuntimeException what the sink throws: a {@code DataException} (the record is errant: missing
     *     routing field, name too long) or a {@code ConnectException} (the task stops: two names on one table)
     */
    String route(String topic, Object value) {
        try {
            return (String) route.invoke(router, topic, value);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
