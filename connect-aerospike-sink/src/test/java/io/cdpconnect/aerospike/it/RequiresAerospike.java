/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the annotated tests against the server of {@code AEROSPIKE_HOSTS} when set (no Docker needed), otherwise
 * against a Testcontainers server, and skips them when there is no Docker engine either. This is
 * {@code @Testcontainers(disabledWithoutDocker = true)} plus the environment-variable path, which that
 * annotation alone would disable on machines without Docker.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresAerospike.Condition.class)
public @interface RequiresAerospike {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (AerospikeServer.configuredByEnvironment()) {
                return ConditionEvaluationResult.enabled(
                        "using " + AerospikeServer.HOSTS_ENV + "=" + System.getenv(AerospikeServer.HOSTS_ENV));
            }
            if (AerospikeServer.available()) {
                return ConditionEvaluationResult.enabled("using an Aerospike Testcontainers server");
            }
            return ConditionEvaluationResult.disabled(
                    "no Aerospike server: set " + AerospikeServer.HOSTS_ENV + "=host:3000 or run a Docker engine");
        }
    }
}
