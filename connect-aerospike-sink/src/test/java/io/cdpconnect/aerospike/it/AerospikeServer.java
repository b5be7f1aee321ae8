/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.it;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.Host;
import com.aerospike.client.IAerospikeClient;
import com.aerospike.client.policy.ClientPolicy;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The Aerospike server the integration tests use: the one named by {@code AEROSPIKE_HOSTS} (e.g.
 * {@code 127.0.0.1:3000}, namespace from {@code AEROSPIKE_NAMESPACE}, default {@code test}) when set, otherwise an
 * {@code aerospike/aerospike-server} container (image overridable with {@code AEROSPIKE_IMAGE}), started once per
 * JVM. {@link RequiresAerospike} skips the tests when neither is available.
 */
public final class AerospikeServer {

    public static final String HOSTS_ENV = "AEROSPIKE_HOSTS";
    public static final String NAMESPACE_ENV = "AEROSPIKE_NAMESPACE";
    public static final String IMAGE_ENV = "AEROSPIKE_IMAGE";
    static final String DEFAULT_IMAGE = "aerospike/aerospike-server:8.1.2.5";

    private static AerospikeServer instance;

    private final String hosts;
    private final String namespace;
    private final IAerospikeClient client;

    private AerospikeServer(String hosts, String namespace) {
        this.hosts = hosts;
        this.namespace = namespace;
        ClientPolicy policy = new ClientPolicy();
        policy.timeout = 5000;
        this.client = new AerospikeClient(policy, Host.parseHosts(hosts, 3000));
    }

    public static boolean configuredByEnvironment() {
        String hosts = System.getenv(HOSTS_ENV);
        return hosts != null && !hosts.isBlank();
    }

    public static boolean available() {
        return configuredByEnvironment() || DockerClientFactory.instance().isDockerAvailable();
    }

    public static synchronized AerospikeServer get() {
        if (instance == null) {
            String namespace = System.getenv().getOrDefault(NAMESPACE_ENV, "test");
            if (configuredByEnvironment()) {
                instance = new AerospikeServer(System.getenv(HOSTS_ENV).trim(), namespace);
            } else {
                GenericContainer<?> container = new GenericContainer<>(
                                DockerImageName.parse(System.getenv().getOrDefault(IMAGE_ENV, DEFAULT_IMAGE)))
                        .withExposedPorts(3000)
                        .waitingFor(Wait.forLogMessage(".*service ready: soon there will be cake!.*\\n", 1)
                                .withStartupTimeout(Duration.ofMinutes(3)));
                container.start(); // stopped by Testcontainers' reaper when the JVM exits
                instance = new AerospikeServer(container.getHost() + ":" + container.getMappedPort(3000), "test");
            }
        }
        return instance;
    }

    /** Seed list for connector configs, e.g. {@code 127.0.0.1:3000}. */
    public String hosts() {
        return hosts;
    }

    /** The first seed host, for the TCP proxy of the outage test. */
    public Host firstHost() {
        return Host.parseHosts(hosts, 3000)[0];
    }

    public String namespace() {
        return namespace;
    }

    public IAerospikeClient client() {
        return client;
    }
}
