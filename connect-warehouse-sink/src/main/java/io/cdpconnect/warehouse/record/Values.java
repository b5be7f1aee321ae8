/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import io.cdpconnect.common.Bytes;
import io.cdpconnect.common.EventTimes;
import io.cdpconnect.common.RecordJson;
import io.cdpconnect.warehouse.schema.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Type mapping from Connect values to {@link ColumnType}s and their Java representation. With a schema the
 * schema decides (logical types included); without one the Java class of the value does.
 */
public final class Values {

    private Values() {}

    /** The column type of a value, or null for a schemaless null (unknown type). */
    public static ColumnType typeOf(Object value, Schema schema) {
        if (schema != null) {
            return typeOf(schema);
        }
        if (value == null) {
            return null;
        }
        if (value instanceof String || value instanceof Character) {
            return ColumnType.STRING;
        }
        if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            // Schemaless JSON numbers come as Integer or Long depending on magnitude: one column type for both.
            return ColumnType.INT64;
        }
        if (value instanceof Double || value instanceof Float) {
            return ColumnType.FLOAT64;
        }
        if (value instanceof BigDecimal) {
            return ColumnType.DECIMAL;
        }
        if (value instanceof Boolean) {
            return ColumnType.BOOLEAN;
        }
        if (value instanceof Map
                || value instanceof Collection
                || value instanceof org.apache.kafka.connect.data.Struct) {
            return ColumnType.JSON;
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return ColumnType.BYTES;
        }
        if (value instanceof java.util.Date || value instanceof Instant || value instanceof OffsetDateTime) {
            return ColumnType.TIMESTAMP;
        }
        if (value instanceof LocalDate) {
            return ColumnType.DATE;
        }
        if (value instanceof LocalTime) {
            return ColumnType.TIME;
        }
        return ColumnType.STRING;
    }

    public static ColumnType typeOf(Schema schema) {
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case Decimal.LOGICAL_NAME:
                    return ColumnType.DECIMAL;
                case Date.LOGICAL_NAME:
                    return ColumnType.DATE;
                case Time.LOGICAL_NAME:
                    return ColumnType.TIME;
                case Timestamp.LOGICAL_NAME:
                    return ColumnType.TIMESTAMP;
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case INT8:
            case INT16:
                return ColumnType.INT16;
            case INT32:
                return ColumnType.INT32;
            case INT64:
                return ColumnType.INT64;
            case FLOAT32:
                return ColumnType.FLOAT32;
            case FLOAT64:
                return ColumnType.FLOAT64;
            case BOOLEAN:
                return ColumnType.BOOLEAN;
            case STRING:
                return ColumnType.STRING;
            case BYTES:
                return ColumnType.BYTES;
            default:
                return ColumnType.JSON;
        }
    }

    /** The value in the Java representation of {@code type} (see {@link ColumnType}). */
    public static Object convert(Object value, Schema schema, ColumnType type) {
        if (value == null || type == null) {
            return null;
        }
        switch (type) {
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                break;
            case INT16:
                if (value instanceof Number n) {
                    return n.shortValue();
                }
                break;
            case INT32:
                if (value instanceof Number n) {
                    return n.intValue();
                }
                break;
            case INT64:
                if (value instanceof BigInteger big) {
                    return big.longValueExact();
                }
                if (value instanceof Number n) {
                    return n.longValue();
                }
                break;
            case FLOAT32:
                if (value instanceof Number n) {
                    return n.floatValue();
                }
                break;
            case FLOAT64:
                if (value instanceof Number n) {
                    return n.doubleValue();
                }
                break;
            case DECIMAL:
                if (value instanceof BigDecimal) {
                    return value;
                }
                if (value instanceof Number n) {
                    return new BigDecimal(n.toString());
                }
                break;
            case STRING:
                return value.toString();
            case BYTES:
                if (value instanceof byte[]) {
                    return value;
                }
                if (value instanceof ByteBuffer buffer) {
                    return Bytes.copyOf(buffer);
                }
                break;
            case DATE:
                if (value instanceof java.util.Date d) {
                    return LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L));
                }
                if (value instanceof LocalDate) {
                    return value;
                }
                break;
            case TIME:
                if (value instanceof java.util.Date d) {
                    return LocalTime.ofNanoOfDay(Math.floorMod(d.getTime(), 86_400_000L) * 1_000_000L);
                }
                if (value instanceof LocalTime) {
                    return value;
                }
                break;
            case TIMESTAMP:
                return toInstant(value);
            case JSON:
                return RecordJson.toJsonNode(value, schema, false).toString();
            default:
                break;
        }
        throw new DataException("cannot write " + value.getClass().getSimpleName() + " as " + type);
    }

    /**
     * An event time: what {@link EventTimes} reads (a Timestamp, Date, Instant, offset date-time; ISO-8601 text as an
     * instant, offset, zoned or local date-time taken as UTC, or a date at midnight UTC), numbers as epoch
     * milliseconds. Text of digits is refused: producers disagree on its unit, and read as milliseconds, epoch seconds
     * would be stored as a date in 1970.
     */
    public static Instant toInstant(Object value) {
        try {
            return EventTimes.parse(value, ChronoUnit.MILLIS, EventTimes.NumericText.REJECT);
        } catch (IllegalArgumentException e) {
            throw new DataException("not a timestamp: " + e.getMessage());
        }
    }
}
