/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.schema;

/**
 * The portable column types the sink writes. A dialect turns each into its SQL type; values reach the row in
 * the Java type named here, so writers can encode them without looking at schemas again.
 */
public enum ColumnType {
    /** Boolean. */
    BOOLEAN,
    /** Short. */
    INT16,
    /** Integer. */
    INT32,
    /** Long. */
    INT64,
    /** Float. */
    FLOAT32,
    /** Double. */
    FLOAT64,
    /** BigDecimal; {@code scale} from the Connect Decimal schema where known. */
    DECIMAL,
    /** String. */
    STRING,
    /** byte[]. */
    BYTES,
    /** java.time.LocalDate. */
    DATE,
    /** java.time.LocalTime. */
    TIME,
    /** java.time.Instant, stored with time zone (UTC). */
    TIMESTAMP,
    /** JSON text (String) of a nested object or array; JSONB on PostgreSQL. */
    JSON
}
