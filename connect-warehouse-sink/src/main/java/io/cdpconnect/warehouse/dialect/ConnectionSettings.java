/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

/**
 * What a dialect needs to open a connection, and nothing else of the sink's configuration.
 *
 * @param url                   the JDBC URL
 * @param user                  the user name, empty for none
 * @param password              the password, null or empty for none
 * @param tlsMode               PostgreSQL's sslmode
 * @param tlsRootCert           the CA certificate file, null or blank for none
 * @param tlsCert               the client certificate file, null or blank for none
 * @param tlsKey                the client key file, null or blank for none
 * @param tlsKeyPassword        the client key's password, null or blank for none
 * @param connectTimeoutSeconds how long to wait for the server to accept a connection
 * @param socketTimeoutSeconds  how long a read may block: a dead server or a cut network must end in an error
 */
public record ConnectionSettings(
        String url,
        String user,
        String password,
        String tlsMode,
        String tlsRootCert,
        String tlsCert,
        String tlsKey,
        String tlsKeyPassword,
        int connectTimeoutSeconds,
        int socketTimeoutSeconds) {

    public static final int CONNECT_TIMEOUT_SECONDS = 10;
    public static final int SOCKET_TIMEOUT_SECONDS = 120;

    @Override
    public String toString() {
        // never the password or the key's password
        return "ConnectionSettings[url=" + url + ", user=" + user + ", tlsMode=" + tlsMode + "]";
    }
}
