/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslContextsTest {

    private static final SslContexts.Store NONE = new SslContexts.Store("", "PKCS12", null);

    @Test
    void noStoreMeansTheJvmDefaults() throws Exception {
        assertThat(SslContexts.of(NONE, NONE)).isNull();
    }

    @Test
    void aTrustStoreAndAKeyStoreBuildAContext(@TempDir Path dir) throws Exception {
        Path store = emptyStore(dir.resolve("trust.p12"), "secret");
        assertThat(SslContexts.of(new SslContexts.Store(store.toString(), "PKCS12", "secret"), NONE))
                .isNotNull();
        assertThat(SslContexts.of(NONE, new SslContexts.Store(store.toString(), "PKCS12", "secret")))
                .isNotNull();
    }

    @Test
    void aWrongPasswordOrAMissingFileFails(@TempDir Path dir) throws Exception {
        Path store = emptyStore(dir.resolve("trust.p12"), "secret");
        assertThatThrownBy(() -> SslContexts.of(new SslContexts.Store(store.toString(), "PKCS12", "wrong"), NONE))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> SslContexts.of(
                        new SslContexts.Store(dir.resolve("missing.p12").toString(), "PKCS12", null), NONE))
                .isInstanceOf(NoSuchFileException.class);
    }

    private static Path emptyStore(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }
}
