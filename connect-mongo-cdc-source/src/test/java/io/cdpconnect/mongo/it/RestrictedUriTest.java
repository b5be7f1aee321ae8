/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import org.junit.jupiter.api.Test;

/**
 * The privilege scenario of {@link ReplicaSetScenarios} connects as a restricted user to the MONGO_URI deployment:
 * the URI it builds keeps that deployment's scheme, hosts and options and replaces only the authentication.
 */
class RestrictedUriTest {

    @Test
    void replacesTheCredentialsAndTheAuthenticationOptionsOnly() {
        String built = ReplicaSetScenarios.restrictedUri(
                "mongodb://admin:secret@h1:27017,h2:27018/shop?replicaSet=rs0&authSource=admin"
                        + "&AUTHMECHANISM=SCRAM-SHA-1&tls=true&&",
                "cdp_noread",
                "pw");
        ConnectionString parsed = new ConnectionString(built);
        assertThat(parsed.getUsername()).isEqualTo("cdp_noread");
        assertThat(parsed.getPassword()).containsExactly('p', 'w');
        assertThat(parsed.getHosts()).containsExactly("h1:27017", "h2:27018");
        assertThat(parsed.getRequiredReplicaSetName()).isEqualTo("rs0");
        assertThat(parsed.getSslEnabled()).isTrue();
        assertThat(parsed.getCredential().getSource()).isEqualTo("admin");
        assertThat(parsed.getCredential().getMechanism()).isNull();
    }

    @Test
    void anSrvNameStaysAnSrvName() {
        String built = ReplicaSetScenarios.restrictedUri(
                "mongodb+srv://cluster0.example.net/?authMechanism=MONGODB-X509&retryWrites=true", "cdp_noread", "pw");
        assertThat(built).startsWith("mongodb+srv://cdp_noread:pw@cluster0.example.net/?");
        assertThat(built)
                .contains("retryWrites=true")
                .contains("authSource=admin")
                .doesNotContain("X509");
    }

    @Test
    void aUriWithoutOptions() {
        assertThat(ReplicaSetScenarios.restrictedUri("mongodb://localhost:27017", "u", "p"))
                .isEqualTo("mongodb://u:p@localhost:27017/?authSource=admin");
    }
}
