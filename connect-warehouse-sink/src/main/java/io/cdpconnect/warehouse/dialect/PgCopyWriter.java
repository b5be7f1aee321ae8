/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import io.cdpconnect.warehouse.schema.TableId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * PostgreSQL bulk path: {@code COPY ... FROM STDIN} in text format, straight into the table for inserts, or
 * into a staging table (temporary, one per connection and column set, reused) followed by one
 * {@code INSERT ... SELECT ... ON CONFLICT} for upserts.
 * Rows are encoded into a reused byte buffer and streamed in chunks.
 */
public final class PgCopyWriter implements BulkWriter {

    private static final int CHUNK = 1 << 16;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Dialect dialect;
    private byte[] buffer = new byte[CHUNK * 2];
    private int length;
    private final StagingTables stagingTables = new StagingTables();

    public PgCopyWriter(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public void write(
            Connection connection, TableId table, List<String> columns, List<Object[]> rows, List<String> upsertKey)
            throws SQLException {
        String columnList = Dialect.columnList(columns);
        if (upsertKey.isEmpty()) {
            copy(connection, "COPY " + table.sql() + " (" + columnList + ") FROM STDIN", rows);
            return;
        }
        String staging = stagingTables.of(connection, table, columns);
        try (Statement statement = connection.createStatement()) {
            // One staging table per connection and column set, created once and reused by every flush (a new temp
            // table per flush bloats pg_class and pg_attribute over days). IF NOT EXISTS makes a creation that a
            // rolled-back transaction undid come back; ON COMMIT DELETE ROWS empties it at every commit, in place.
            // Only the written columns, without constraints: the target's NOT NULL columns we do not write stay the
            // target's business.
            statement.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging + " ON COMMIT DELETE ROWS AS SELECT "
                    + columnList + " FROM " + table.sql() + " WITH NO DATA");
            if (!stagingTables.firstUseInTransaction(staging)) {
                statement.execute("TRUNCATE " + staging); // never upsert the rows of an earlier write again
            }
            copy(connection, "COPY " + staging + " (" + columnList + ") FROM STDIN", rows);
            statement.executeUpdate("INSERT INTO " + table.sql() + " (" + columnList + ") SELECT " + columnList
                    + " FROM " + staging + dialect.onConflict(columns, upsertKey));
        }
    }

    @Override
    public void transactionEnded() {
        stagingTables.transactionEnded();
    }

    @Override
    public void forget() {
        stagingTables.forget();
    }

    private void copy(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
        CopyIn copyIn = copyManager.copyIn(sql);
        boolean done = false;
        try {
            length = 0;
            for (Object[] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    if (c > 0) {
                        put((byte) '\t');
                    }
                    encode(row[c]);
                }
                put((byte) '\n');
                if (length >= CHUNK) {
                    copyIn.writeToCopy(buffer, 0, length);
                    length = 0;
                }
            }
            if (length > 0) {
                copyIn.writeToCopy(buffer, 0, length);
            }
            copyIn.endCopy();
            done = true;
        } finally {
            if (!done && copyIn.isActive()) {
                try {
                    copyIn.cancelCopy();
                } catch (SQLException ignored) {
                    // the original failure is what matters
                }
            }
        }
    }

    /** One value in COPY text format: \N for null, backslash escapes for the separators. */
    void encode(Object value) {
        if (value == null) {
            put((byte) '\\');
            put((byte) 'N');
        } else if (value instanceof String s) {
            putEscaped(s);
        } else if (value instanceof Boolean b) {
            put((byte) (b ? 't' : 'f'));
        } else if (value instanceof BigDecimal d) {
            putAscii(d.toPlainString());
        } else if (value instanceof Number n) {
            putAscii(n.toString());
        } else if (value instanceof byte[] bytes) {
            // bytea hex input "\x..." with the backslash itself escaped for COPY
            put((byte) '\\');
            put((byte) '\\');
            put((byte) 'x');
            ensure(bytes.length * 2);
            for (byte b : bytes) {
                buffer[length++] = (byte) HEX[(b >> 4) & 0xF];
                buffer[length++] = (byte) HEX[b & 0xF];
            }
        } else if (value instanceof java.time.Instant instant) {
            putInstant(instant);
        } else {
            // LocalDate, LocalTime: PostgreSQL parses their ISO text.
            putEscaped(value.toString());
        }
    }

    private void putEscaped(String s) {
        ensure(s.length() * 3 + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\':
                        buffer[length++] = '\\';
                        buffer[length++] = '\\';
                        break;
                    case '\n':
                        buffer[length++] = '\\';
                        buffer[length++] = 'n';
                        break;
                    case '\r':
                        buffer[length++] = '\\';
                        buffer[length++] = 'r';
                        break;
                    case '\t':
                        buffer[length++] = '\\';
                        buffer[length++] = 't';
                        break;
                    default:
                        buffer[length++] = (byte) c;
                }
            } else if (c < 0x800) {
                buffer[length++] = (byte) (0xC0 | (c >> 6));
                buffer[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4);
                buffer[length++] = (byte) (0xF0 | (cp >> 18));
                buffer[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buffer[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buffer[length++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                char ch = Character.isSurrogate(c) ? '\uFFFD' : c;
                buffer[length++] = (byte) (0xE0 | (ch >> 12));
                buffer[length++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                buffer[length++] = (byte) (0x80 | (ch & 0x3F));
            }
        }
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSSSSS+00} without going through DateTimeFormatter (hot path). */
    private void putInstant(java.time.Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
        int year = date.getYear();
        if (year < 1 || year > 9999) {
            putEscaped(instant.toString());
            return;
        }
        ensure(32);
        digits(year, 4);
        buffer[length++] = '-';
        digits(date.getMonthValue(), 2);
        buffer[length++] = '-';
        digits(date.getDayOfMonth(), 2);
        buffer[length++] = ' ';
        digits(secondOfDay / 3600, 2);
        buffer[length++] = ':';
        digits(secondOfDay / 60 % 60, 2);
        buffer[length++] = ':';
        digits(secondOfDay % 60, 2);
        int micros = instant.getNano() / 1000;
        if (micros != 0) {
            buffer[length++] = '.';
            digits(micros, 6);
        }
        buffer[length++] = '+';
        buffer[length++] = '0';
        buffer[length++] = '0';
    }

    private void digits(int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            buffer[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }

    private void putAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buffer[length++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            byte[] bigger = new byte[Math.max(buffer.length * 2, length + extra)];
            System.arraycopy(buffer, 0, bigger, 0, length);
            buffer = bigger;
        }
    }

    /** The encoded bytes so far (tests). */
    String encoded() {
        return new String(buffer, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    void reset() {
        length = 0;
    }
}
