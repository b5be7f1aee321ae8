/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike;

import com.aerospike.client.IAerospikeClient;
import java.lang.reflect.Proxy;

/**
 * An {@link IAerospikeClient} whose calls a test answers the way the server would (per-record result codes,
 * records read back); connected and closable, anything not answered fails the test.
 */
public final class TestClients {

    /** Answers one client call; throw UnsupportedOperationException for calls the test does not expect. */
    public interface Server {
        Object answer(String method, Object[] args) throws Throwable;
    }

    private TestClients() {}

    public static IAerospikeClient answering(Server server) {
        return (IAerospikeClient) Proxy.newProxyInstance(
                TestClients.class.getClassLoader(),
                new Class<?>[] {IAerospikeClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isConnected" -> true;
                    case "close" -> null;
                    default -> server.answer(method.getName(), args);
                });
    }

    public static UnsupportedOperationException unexpected(String method) {
        return new UnsupportedOperationException("unexpected client call " + method);
    }
}
