/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.write;

import io.cdpconnect.warehouse.record.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.apache.kafka.connect.errors.DataException;

/**
 * The one conversion of a value to the column it is written to, used before COPY, the DuckDB Appender and bound
 * statements alike, so every path stores the same value. It goes by the column's actual database type, not by
 * what the record's type would have created: a value that does not fit exactly (1.5 into a bigint column, more
 * fractional digits than the column's scale, a long a float cannot hold) is a record error, never rounded,
 * truncated or left to the database's own casts (which differ between COPY, casts of bound text, and DuckDB).
 */
public final class ColumnValues {

    /** What the sink converts to, from the database's type name. */
    public enum Kind {
        INT16(Short.MIN_VALUE, Short.MAX_VALUE),
        INT32(Integer.MIN_VALUE, Integer.MAX_VALUE),
        INT64(Long.MIN_VALUE, Long.MAX_VALUE),
        DECIMAL,
        FLOAT32,
        FLOAT64,
        BOOLEAN,
        TEXT,
        JSON,
        TIMESTAMP,
        DATE,
        TIME,
        BYTES,
        /** A type the sink does not convert for (uuid, inet, arrays...): the database parses the value. */
        OTHER;

        final long min;
        final long max;

        Kind() {
            this(0, 0);
        }

        Kind(long min, long max) {
            this.min = min;
            this.max = max;
        }
    }

    private ColumnValues() {}

    /** The kind of a column from information_schema's data_type (PostgreSQL or DuckDB spelling). */
    public static Kind kindOf(String dataType) {
        String t = dataType.toLowerCase(Locale.ROOT);
        if (t.startsWith("decimal") || t.startsWith("numeric")) {
            return Kind.DECIMAL;
        }
        switch (t) {
            case "smallint":
            case "int2":
                return Kind.INT16;
            case "integer":
            case "int4":
            case "int":
                return Kind.INT32;
            case "bigint":
            case "int8":
                return Kind.INT64;
            case "real":
            case "float4":
            case "float":
                return Kind.FLOAT32;
            case "double precision":
            case "double":
            case "float8":
                return Kind.FLOAT64;
            case "boolean":
                return Kind.BOOLEAN;
            case "text":
            case "character varying":
            case "varchar":
                return Kind.TEXT;
            case "json":
            case "jsonb":
                return Kind.JSON;
            case "timestamp with time zone":
                return Kind.TIMESTAMP;
            case "date":
                return Kind.DATE;
            case "time without time zone":
            case "time":
                return Kind.TIME;
            case "bytea":
            case "blob":
                return Kind.BYTES;
            default:
                return Kind.OTHER;
        }
    }

    /**
     * The value as the column stores it: Long (or the Integer/Short it was, when it fits), BigDecimal (within the
     * column's precision and scale when it declares them), Float, Double, Boolean, String, Instant, LocalDate,
     * LocalTime or byte[].
     *
     * @param decimal the column's {precision, scale}, or null when unconstrained
     * @throws DataException when the value does not fit the column exactly
     */
    public static Object fit(Object value, Kind kind, int[] decimal, String column) {
        if (value == null) {
            return null;
        }
        switch (kind) {
            case INT16:
            case INT32:
            case INT64:
                return integer(value, kind, column);
            case DECIMAL:
                return decimal(value, decimal, column);
            case FLOAT64:
                return float64(value, column);
            case FLOAT32:
                return float32(value, column);
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return Boolean.valueOf(s);
                }
                throw misfit(value, "boolean", column);
            case TEXT:
                if (value instanceof String) {
                    return value;
                }
                if (value instanceof byte[]) {
                    throw misfit(value, "text", column);
                }
                return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            case JSON:
                if (value instanceof String || value instanceof Boolean) {
                    return value.toString();
                }
                if (value instanceof Number) {
                    return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
                }
                throw misfit(value, "json", column);
            case TIMESTAMP:
                if (value instanceof Instant) {
                    return value;
                }
                if (value instanceof OffsetDateTime
                        || value instanceof java.util.Date
                        || value instanceof String
                        || value instanceof Long
                        || value instanceof Integer) {
                    return Values.toInstant(value);
                }
                throw misfit(value, "timestamp", column);
            case DATE:
                if (value instanceof LocalDate) {
                    return value;
                }
                if (value instanceof java.util.Date d) {
                    return LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L));
                }
                if (value instanceof String s) {
                    try {
                        return LocalDate.parse(s.trim());
                    } catch (DateTimeException e) {
                        throw misfit(value, "date", column);
                    }
                }
                throw misfit(value, "date", column);
            case TIME:
                if (value instanceof LocalTime) {
                    return value;
                }
                if (value instanceof String s) {
                    try {
                        return LocalTime.parse(s.trim());
                    } catch (DateTimeException e) {
                        throw misfit(value, "time", column);
                    }
                }
                throw misfit(value, "time", column);
            case BYTES:
                if (value instanceof byte[]) {
                    return value;
                }
                throw misfit(value, "bytes", column);
            default:
                return value;
        }
    }

    private static Object integer(Object value, Kind kind, String column) {
        long l;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            l = ((Number) value).longValue();
            if (l < kind.min || l > kind.max) {
                throw outOfRange(value, kind, column);
            }
            // already exact: the same object, so the hot path neither boxes nor copies the row
            return value instanceof Byte ? (Object) l : value;
        } else {
            BigDecimal exact = exactNumber(value, kind.name().toLowerCase(Locale.ROOT), column);
            BigDecimal whole = exact.stripTrailingZeros();
            if (whole.scale() > 0) {
                throw new DataException("value " + text(value) + " of column " + column + " is not a whole number "
                        + "and the column is an integer column; it is not rounded");
            }
            try {
                l = whole.longValueExact();
            } catch (ArithmeticException e) {
                throw outOfRange(value, kind, column);
            }
        }
        if (l < kind.min || l > kind.max) {
            throw outOfRange(value, kind, column);
        }
        return l;
    }

    private static BigDecimal decimal(Object value, int[] spec, String column) {
        BigDecimal d = value instanceof BigDecimal b ? b : exactNumber(value, "decimal", column);
        if (spec == null) {
            return d;
        }
        int precision = spec[0];
        int scale = spec[1];
        if (d.scale() > scale) {
            BigDecimal stripped = d.stripTrailingZeros();
            if (stripped.scale() > scale) {
                throw new DataException("value " + d.toPlainString() + " of column " + column + " has "
                        + stripped.scale() + " fractional digits and the column is decimal(" + precision + ","
                        + scale + "); it is not rounded (on DuckDB, decimal.scale sets the scale of created columns)");
            }
            d = stripped.setScale(scale);
        }
        if (d.precision() - d.scale() > precision - scale) {
            throw new DataException("value " + d.toPlainString() + " of column " + column + " is out of the range of "
                    + "a decimal(" + precision + "," + scale + ") column");
        }
        return d;
    }

    private static Double float64(Object value, String column) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Float f) {
            return Double.valueOf(Float.toString(f)); // the float's shortest decimal, as COPY would send it
        }
        BigDecimal exact = exactNumberOrSpecial(value, column);
        if (exact == null) {
            return Double.valueOf((String) value);
        }
        double d = exact.doubleValue();
        if (Double.isInfinite(d) || new BigDecimal(Double.toString(d)).compareTo(exact) != 0) {
            throw new DataException("value " + text(value) + " of column " + column + " cannot be stored exactly "
                    + "in a double precision column; it is not rounded");
        }
        return d;
    }

    private static Float float32(Object value, String column) {
        if (value instanceof Float f) {
            return f;
        }
        BigDecimal exact = exactNumberOrSpecial(value, column);
        if (exact == null) {
            return Float.valueOf((String) value);
        }
        float f = exact.floatValue();
        if (Float.isInfinite(f) || new BigDecimal(Float.toString(f)).compareTo(exact) != 0) {
            throw new DataException("value " + text(value) + " of column " + column + " cannot be stored exactly "
                    + "in a real (4-byte float) column; it is not rounded");
        }
        return f;
    }

    /** The exact decimal a number or numeric text stands for; null for the texts NaN and (-)Infinity. */
    private static BigDecimal exactNumberOrSpecial(Object value, String column) {
        if (value instanceof String s) {
            String t = s.trim();
            if (t.equals("NaN") || t.equals("Infinity") || t.equals("-Infinity")) {
                return null;
            }
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw misfit(value, "finite number", column);
        }
        return exactNumber(value, "float", column);
    }

    private static BigDecimal exactNumber(Object value, String type, String column) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw misfit(value, type, column);
            }
            // the shortest decimal that is this double: what the JSON text said
            return new BigDecimal(value.toString());
        }
        if (value instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                throw misfit(value, type, column);
            }
        }
        throw misfit(value, type, column);
    }

    private static DataException outOfRange(Object value, Kind kind, String column) {
        return new DataException("value " + text(value) + " of column " + column + " is out of the range of a "
                + kind.name().toLowerCase(Locale.ROOT) + " column");
    }

    private static DataException misfit(Object value, String type, String column) {
        return new DataException("value " + text(value) + " ("
                + value.getClass().getSimpleName() + ") of column " + column + " does not fit a " + type + " column");
    }

    private static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.length + " bytes";
        }
        String s = value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value);
        return "'" + (s.length() > 64 ? s.substring(0, 61) + "..." : s) + "'";
    }
}
