/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.client;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.Host;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.policy.AuthMode;
import com.aerospike.client.policy.BatchPolicy;
import com.aerospike.client.policy.ClientPolicy;
import com.aerospike.client.policy.Policy;
import com.aerospike.client.policy.TlsPolicy;
import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.common.SslContexts;
import io.cdpconnect.common.config.EnumOptions;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/** Builds the Aerospike client and the command policies from the connector config. */
public final class AerospikeClients {

    public static final int DEFAULT_PORT = 3000;

    private AerospikeClients() {}

    public static IAerospikeClient connect(AerospikeSinkConfig config) {
        return new AerospikeClient(clientPolicy(config), hosts(config));
    }

    public static Host[] hosts(AerospikeSinkConfig config) {
        String tlsName = config.tlsName();
        Host[] parsed;
        try {
            parsed = Host.parseHosts(config.hosts().replace(" ", ""), DEFAULT_PORT);
        } catch (RuntimeException e) {
            throw new ConfigException(
                    AerospikeSinkConfig.HOSTS,
                    config.hosts(),
                    "expected host:port[,host:port] or host:tlsName:port: " + e.getMessage());
        }
        Host[] hosts = new Host[parsed.length];
        for (int i = 0; i < parsed.length; i++) {
            Host h = parsed[i];
            String name = h.tlsName != null || tlsName.isBlank() ? h.tlsName : tlsName;
            hosts[i] = new Host(h.name, name, h.port);
        }
        return hosts;
    }

    public static ClientPolicy clientPolicy(AerospikeSinkConfig config) {
        ClientPolicy policy = new ClientPolicy();
        String user = config.user();
        if (!user.isBlank()) {
            policy.user = user;
            policy.password = config.password();
        }
        policy.authMode = EnumOptions.parse(AuthMode.class, config.authMode());
        String cluster = config.clusterName();
        if (!cluster.isBlank()) {
            policy.clusterName = cluster;
            policy.validateClusterName = true;
        }
        policy.timeout = config.connectTimeoutMs();
        policy.loginTimeout = Math.max(policy.timeout, 1000);
        policy.maxConnsPerNode = config.maxConnsPerNode();
        policy.failIfNotConnected = true;
        if (config.tlsEnabled()) {
            policy.tlsPolicy = tlsPolicy(config);
        }
        return policy;
    }

    /** Batch policy: our writes are idempotent, so client retries are safe (unlike the client's write default). */
    public static BatchPolicy batchPolicy(AerospikeSinkConfig config) {
        BatchPolicy policy = BatchPolicy.WriteDefault();
        applyTimeouts(policy, config);
        policy.respondAllKeys = true;
        policy.maxConcurrentThreads = 0; // a batch spanning several nodes sends to all of them at once
        return policy;
    }

    public static <P extends Policy> P applyTimeouts(P policy, AerospikeSinkConfig config) {
        policy.socketTimeout = config.socketTimeoutMs();
        policy.totalTimeout = config.totalTimeoutMs();
        policy.maxRetries = config.maxRetries();
        policy.sleepBetweenRetries = config.sleepBetweenRetriesMs();
        return policy;
    }

    static TlsPolicy tlsPolicy(AerospikeSinkConfig config) {
        TlsPolicy tls = new TlsPolicy();
        List<String> protocols = config.tlsProtocols();
        if (!protocols.isEmpty()) {
            tls.protocols = protocols.toArray(new String[0]);
        }
        tls.forLoginOnly = config.tlsLoginOnly();
        try {
            tls.context = SslContexts.of( // null (the JVM's default trust store) when neither store is set
                    new SslContexts.Store(
                            config.tlsTruststoreLocation(), config.tlsTruststoreType(), config.tlsTruststorePassword()),
                    new SslContexts.Store(
                            config.tlsKeystoreLocation(), config.tlsKeystoreType(), config.tlsKeystorePassword()));
            return tls;
        } catch (Exception e) {
            throw new ConfigException("cannot set up TLS for Aerospike: " + e.getMessage());
        }
    }
}
