/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

import io.cdpconnect.common.ConnectorThreads;
import io.cdpconnect.common.metrics.Counter;
import io.cdpconnect.warehouse.WarehouseSinkConfig;
import io.cdpconnect.warehouse.WarehouseSinkConfig.PartitionInterval;
import io.cdpconnect.warehouse.WarehouseSinkConfig.RetentionAction;
import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.dialect.PostgresDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of the connector's partitioned tables, looked after in the background (its own thread, carrying
 * the connector's MDC, and its own connection), at task start and every {@code partition.maintenance.interval.ms}:
 * <ul>
 *   <li>the partitions of the current and the next interval are created ahead of time, so the first event of a
 *       month (or day) finds its partition and waits on no DDL;</li>
 *   <li>with {@code partition.retention}, attached partitions whose range ends before the oldest interval kept are
 *       detached (and with {@code partition.retention.action=drop} dropped), never the current or a future one;
 *       each is logged at INFO and counted. One task at a time does it (a PostgreSQL advisory lock).</li>
 * </ul>
 * The tables are those the task has written (user-created ones included) and those this connector created (their
 * {@link TableMarker}), so a restarted task prepares next month's partition before any record arrives.
 */
public final class PartitionMaintenance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);
    private static final DateTimeFormatter BOUND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final WarehouseSinkConfig config;
    private final PostgresDialect dialect;
    private final String connector;
    private final Supplier<Set<String>> tablesInUse;
    private final TableManager tables;
    private final Counter detached;
    private final Counter dropped;
    private final Clock clock;
    private ScheduledExecutorService executor;
    private Connection connection;

    PartitionMaintenance(
            WarehouseSinkConfig config,
            PostgresDialect dialect,
            String connector,
            Supplier<Set<String>> tablesInUse,
            Counter created,
            Counter detached,
            Counter dropped,
            Clock clock) {
        this.config = config;
        this.dialect = dialect;
        this.connector = connector;
        this.tablesInUse = tablesInUse;
        this.tables = new TableManager(config, dialect, connector, null, clock);
        this.tables.countPartitionsIn(created);
        this.detached = detached;
        this.dropped = dropped;
        this.clock = clock;
    }

    /** Starts maintenance for a task whose tables are partitioned; null otherwise (DuckDB, no partition.interval). */
    public static PartitionMaintenance startIfPartitioned(
            WarehouseSinkConfig config,
            Dialect dialect,
            String connector,
            TableManager taskTables,
            Counter created,
            Counter detached,
            Counter dropped) {
        if (!dialect.supportsPartitions() || config.partitionInterval() == PartitionInterval.NONE) {
            return null;
        }
        PartitionMaintenance maintenance = new PartitionMaintenance(
                config,
                (PostgresDialect) dialect,
                connector,
                taskTables::partitionedTables,
                created,
                detached,
                dropped,
                Clock.systemUTC());
        taskTables.onNewPartitionedTable(maintenance::runSoon);
        maintenance.start();
        return maintenance;
    }

    void start() {
        executor =
                Executors.newSingleThreadScheduledExecutor(ConnectorThreads.daemonFactory("cdp-warehouse-partitions"));
        executor.scheduleWithFixedDelay(
                this::runSafely, 0, config.partitionMaintenanceIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** A run as soon as the thread is free, e.g. for a table the task has just created. */
    void runSoon() {
        try {
            executor.execute(this::runSafely);
        } catch (RejectedExecutionException stopping) {
            // the task is stopping
        }
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (Exception e) {
            // nothing is lost: writes create what they need on demand; retention waits for the next run
            log.warn(
                    "partition maintenance failed, tried again in {} ms: {}",
                    config.partitionMaintenanceIntervalMs(),
                    e.toString());
            closeConnection();
        }
    }

    /** One pass over the connector's partitioned tables. */
    synchronized void runOnce() throws SQLException {
        Connection c = connection();
        tables.forget();
        Set<String> names = new TreeSet<>(tablesInUse.get());
        names.addAll(tables.markedTables(c).keySet());
        List<TableDefinition> partitioned = new ArrayList<>();
        for (String name : names) {
            TableDefinition def = tables.load(c, name);
            if (def != null && def.partitioned()) {
                partitioned.add(def);
            }
        }
        Instant now = clock.instant();
        LocalDateTime current = tables.periodStart(now);
        for (TableDefinition def : partitioned) {
            for (LocalDateTime start : List.of(current, tables.periodEnd(current))) {
                if (!def.knownPartitions().contains(start)) {
                    String refused = tables.createPartition(c, def, start);
                    if (refused != null) {
                        log.warn("partition of {} for {} UTC not created ahead: {}", def.id(), start, refused);
                    }
                }
            }
        }
        if (config.partitionRetention() > 0 && !partitioned.isEmpty()) {
            String key = "cdp-connect partitions " + tables.schema(c) + " " + connector;
            if (!lock(c, dialect.tryLockQuery(), key)) {
                log.debug("another task applies partition.retention now");
                return;
            }
            try {
                for (TableDefinition def : partitioned) {
                    archiveOld(c, def, tables.oldestKept(now));
                }
            } finally {
                lock(c, dialect.unlockQuery(), key);
            }
        }
    }

    private void archiveOld(Connection c, TableDefinition def, LocalDateTime oldestKept) throws SQLException {
        boolean drop = config.retentionAction() == RetentionAction.DROP;
        for (TableManager.AttachedPartition p : tables.attachedPartitions(c, def)) {
            if (p.to().isAfter(oldestKept)) {
                continue; // holds (part of) a kept, the current or a future interval
            }
            String bounds =
                    "FOR VALUES FROM ('" + BOUND.format(p.from()) + "+00') TO ('" + BOUND.format(p.to()) + "+00')";
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '30s'");
                s.execute(dialect.detachPartition(def.id(), p.id()));
                s.execute(dialect.commentOnTable(p.id(), TableMarker.archived(def.id(), p.id(), bounds)));
                c.commit();
                c.setAutoCommit(true);
            } catch (SQLException e) {
                TableManager.rollbackQuietly(c);
                throw e;
            }
            detached.increment();
            log.info(
                    "partition.retention={} {}: detached partition {} of {} ({}), older than {} UTC; its rows are "
                            + "kept in table {}{}",
                    config.partitionRetention(),
                    tables.interval().name().toLowerCase(),
                    p.id(),
                    def.id(),
                    bounds,
                    oldestKept,
                    p.id(),
                    drop ? ", dropping it" : "");
            if (drop) {
                try (Statement s = c.createStatement()) {
                    s.execute(dialect.dropTable(p.id()));
                }
                dropped.increment();
                log.info("partition.retention.action=drop: dropped partition {} of {} ({})", p.id(), def.id(), bounds);
            }
        }
    }

    private static boolean lock(Connection c, String query, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = dialect.connect(config.connectionSettings());
            connection.setAutoCommit(true);
        }
        return connection;
    }

    private synchronized void closeConnection() {
        if (connection != null) {
            dialect.release(connection);
            connection = null;
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeConnection();
    }
}
