/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.cdpconnect.common.SslContexts;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Builds the driver client from the connection settings, TLS included. */
final class MongoClientFactory {

    private MongoClientFactory() {}

    static MongoClient create(MongoCdcSourceConfig config, String applicationName) {
        return create(config, applicationName, null);
    }

    /**
     * A task's server selection wait: at most poll.await.ms, so a poll during an outage fails fast (and backs off)
     * instead of blocking for the driver's default 30 s per cursor.
     */
    static long taskServerSelectionTimeoutMs(MongoCdcSourceConfig config) {
        return config.pollAwaitMs();
    }

    /** @param serverSelectionTimeoutMs upper bound of the URI's (or the driver's) server selection timeout; null: as is */
    static MongoClient create(MongoCdcSourceConfig config, String applicationName, Long serverSelectionTimeoutMs) {
        ConnectionString uri;
        try {
            uri = new ConnectionString(config.mongoUri().value());
        } catch (IllegalArgumentException e) {
            // The driver's message may echo the URI; keep credentials out of the error.
            throw new ConfigException(
                    MongoCdcSourceConfig.MONGO_URI, "[hidden]", "not a valid MongoDB connection string");
        }
        MongoClientSettings.Builder settings =
                MongoClientSettings.builder().applyConnectionString(uri).applicationName(applicationName);
        if (serverSelectionTimeoutMs != null) {
            Integer fromUri = uri.getServerSelectionTimeout();
            long bound = fromUri == null ? serverSelectionTimeoutMs : Math.min(fromUri, serverSelectionTimeoutMs);
            settings.applyToClusterSettings(c -> c.serverSelectionTimeout(bound, TimeUnit.MILLISECONDS));
        }
        if (config.getBoolean(MongoCdcSourceConfig.MONGO_TLS_ENABLED)) {
            SSLContext context = sslContext(config);
            boolean allowInvalidHostnames = config.getBoolean(MongoCdcSourceConfig.MONGO_TLS_ALLOW_INVALID_HOSTNAMES);
            settings.applyToSslSettings(tls -> {
                tls.enabled(true).invalidHostNameAllowed(allowInvalidHostnames);
                if (context != null) {
                    tls.context(context);
                }
            });
        }
        return MongoClients.create(settings.build());
    }

    /** An SSLContext from the configured stores, or null to use the JVM's defaults. */
    private static SSLContext sslContext(MongoCdcSourceConfig config) {
        try {
            return SslContexts.of(
                    new SslContexts.Store(
                            config.getString(MongoCdcSourceConfig.MONGO_TLS_TRUSTSTORE_LOCATION),
                            config.getString(MongoCdcSourceConfig.MONGO_TLS_TRUSTSTORE_TYPE),
                            value(config.getPassword(MongoCdcSourceConfig.MONGO_TLS_TRUSTSTORE_PASSWORD))),
                    new SslContexts.Store(
                            config.getString(MongoCdcSourceConfig.MONGO_TLS_KEYSTORE_LOCATION),
                            config.getString(MongoCdcSourceConfig.MONGO_TLS_KEYSTORE_TYPE),
                            value(config.getPassword(MongoCdcSourceConfig.MONGO_TLS_KEYSTORE_PASSWORD))));
        } catch (Exception e) {
            throw new ConfigException(
                    "cannot set up TLS for MongoDB from the configured trust/key stores: " + e.getMessage());
        }
    }

    private static String value(Password password) {
        return password == null ? null : password.value();
    }
}
