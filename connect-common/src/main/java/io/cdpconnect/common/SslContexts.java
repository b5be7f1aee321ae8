/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The SSLContext of a plugin's {@code *.tls.truststore.*} and {@code *.tls.keystore.*} options (Aerospike, MongoDB):
 * the trust store's CAs, the key store's client certificate, the JVM's defaults for what is not given.
 */
public final class SslContexts {

    private SslContexts() {}

    /** A key or trust store file: its location, type (PKCS12, JKS) and password (null for none). */
    public record Store(String location, String type, String password) {
        boolean isSet() {
            return location != null && !location.isBlank();
        }
    }

    /**
     * @return the context, or null when neither store is set (the JVM's default trust store, no client certificate)
     * @throws GeneralSecurityException a store that cannot be read as its type, or a wrong password
     * @throws IOException a store file that cannot be read
     */
    public static SSLContext of(Store trustStore, Store keyStore) throws GeneralSecurityException, IOException {
        if (!trustStore.isSet() && !keyStore.isSet()) {
            return null;
        }
        TrustManagerFactory tmf = null;
        if (trustStore.isSet()) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore));
        }
        KeyManagerFactory kmf = null;
        if (keyStore.isSet()) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(
                    load(keyStore),
                    keyStore.password() == null
                            ? new char[0]
                            : keyStore.password().toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Store store) throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance(store.type());
        try (InputStream in = Files.newInputStream(Path.of(store.location()))) {
            keyStore.load(in, store.password() == null ? null : store.password().toCharArray());
        }
        return keyStore;
    }
}
