/**
 * The one way cdp-connect plugins publish metrics: {@link io.cdpconnect.common.metrics.CdpMetrics} opened for a
 * {@link io.cdpconnect.common.metrics.MetricsScope}, JMX always, Kafka's plugin metrics (KIP-877) where the worker
 * offers them. Transforms and predicates cannot implement {@code Monitorable} (the interface does not exist on
 * Connect 3.x workers, so the class would not load); they take their scope from Connect's logging context.
 */
package io.cdpconnect.common.metrics;
