/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.write;

import io.cdpconnect.warehouse.dialect.Dialect;
import io.cdpconnect.warehouse.dialect.SqlFailure;
import io.cdpconnect.warehouse.schema.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumed offsets kept in the warehouse for exactly-once delivery: one row per connector, topic and partition
 * holding the next offset to read. Saving is a compare-and-set on the value this task last read or wrote, so a
 * zombie task that lost its partitions cannot commit over the new owner: its transaction is fenced.
 */
public final class OffsetStore {

    /** Stored value of a partition that has a row but no committed offset yet. */
    public static final long NONE = -1L;

    private final Dialect dialect;
    private final String connector;
    private final String tableName;
    private TableId table;

    public OffsetStore(Dialect dialect, String connector, String tableName) {
        this.dialect = dialect;
        this.connector = connector;
        this.tableName = tableName;
    }

    private TableId table(Connection connection, String schema) {
        if (table == null) {
            table = new TableId(schema, tableName);
        }
        return table;
    }

    /** Creates the table if needed and returns the stored next offsets (NONE where nothing was committed). */
    public Map<TopicPartition, Long> load(Connection connection, String schema, Collection<TopicPartition> partitions)
            throws SQLException {
        TableId t = table(connection, schema);
        ensureTable(connection, t);
        Map<TopicPartition, Long> out = new HashMap<>();
        try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO " + t.sql()
                                + " (connector, topic, kafka_partition, next_offset) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
                PreparedStatement select = connection.prepareStatement("SELECT next_offset FROM " + t.sql()
                        + " WHERE connector = ? AND topic = ? AND kafka_partition = ?")) {
            for (TopicPartition tp : partitions) {
                insert.setString(1, connector);
                insert.setString(2, tp.topic());
                insert.setInt(3, tp.partition());
                insert.setLong(4, NONE);
                insert.executeUpdate();
                select.setString(1, connector);
                select.setString(2, tp.topic());
                select.setInt(3, tp.partition());
                try (ResultSet rs = select.executeQuery()) {
                    out.put(tp, rs.next() ? rs.getLong(1) : NONE);
                }
            }
        }
        return out;
    }

    /**
     * CREATE TABLE IF NOT EXISTS, on its own (autocommit). Two tasks starting at once can both find the table
     * missing; the later creation then fails as {@link SqlFailure#isConcurrentDdl} describes, though the table
     * exists by then: that is the other task's success, so the statement is run again (now a no-op) and any other
     * error is the caller's.
     */
    private void ensureTable(Connection connection, TableId t) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            connection.setAutoCommit(true); // a failed statement must not abort a transaction of the caller
        }
        try {
            for (int attempt = 0; ; attempt++) {
                try (Statement s = connection.createStatement()) {
                    s.execute(dialect.createOffsetsTable(t));
                    return;
                } catch (SQLException e) {
                    if (!SqlFailure.isConcurrentDdl(e) || attempt > 1) {
                        throw e;
                    }
                }
            }
        } finally {
            if (!autoCommit) {
                connection.setAutoCommit(false);
            }
        }
    }

    /**
     * Stores the new next offsets inside the caller's transaction.
     *
     * @param expected the values this task believes are stored
     * @throws FencedException when a stored value is not the expected one (another task moved it)
     */
    public void save(Connection connection, Map<TopicPartition, Long> next, Map<TopicPartition, Long> expected)
            throws SQLException {
        if (next.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table.sql()
                + " SET next_offset = ?, updated_at = CURRENT_TIMESTAMP"
                + " WHERE connector = ? AND topic = ? AND kafka_partition = ? AND next_offset = ?")) {
            for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                TopicPartition tp = e.getKey();
                update.setLong(1, e.getValue());
                update.setString(2, connector);
                update.setString(3, tp.topic());
                update.setInt(4, tp.partition());
                update.setLong(5, expected.getOrDefault(tp, NONE));
                if (update.executeUpdate() != 1) {
                    throw new FencedException("offsets of " + tp + " for connector " + connector
                            + " were moved by another task; this task's transaction is abandoned");
                }
            }
        }
    }

    /**
     * Sets (a value) or clears (null) stored offsets, for Connect's offsets REST API (KIP-875): the connector is
     * stopped meanwhile, so no task holds them. A cleared partition starts from Connect's (reset) position.
     */
    public void alter(Connection connection, String schema, Map<TopicPartition, Long> offsets) throws SQLException {
        TableId t = table(connection, schema);
        ensureTable(connection, t);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + t.sql() + " WHERE connector = ? AND topic = ? AND kafka_partition = ?");
                PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + t.sql()
                        + " (connector, topic, kafka_partition, next_offset) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (connector, topic, kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset,"
                        + " updated_at = CURRENT_TIMESTAMP")) {
            for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
                PreparedStatement statement = e.getValue() == null ? delete : upsert;
                statement.setString(1, connector);
                statement.setString(2, e.getKey().topic());
                statement.setInt(3, e.getKey().partition());
                if (e.getValue() != null) {
                    statement.setLong(4, e.getValue());
                }
                statement.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** This task no longer owns a partition it wrote: its work is discarded and the stored offsets re-read. */
    public static final class FencedException extends SQLException {
        public FencedException(String message) {
            super(message);
        }
    }
}
