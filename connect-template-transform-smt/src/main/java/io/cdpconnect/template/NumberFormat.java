/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import io.cdpconnect.common.config.EnumOptions;

/** How a schemaless value template output holds non-integral numbers ({@code value.number.format}). */
public enum NumberFormat {
    /**
     * Source side (a {@code SourceRecord}, on its way to a converter): {@link #DOUBLE}, which JsonConverter without
     * schemas can write; sink side (a {@code SinkRecord}, on its way to a sink connector): {@link #EXACT}.
     */
    AUTO,
    /** BigDecimal with the text's scale (129.90 stays 129.90), integers beyond a long as BigInteger. */
    EXACT,
    /** Double, for JsonConverter without schemas; a number a double does not hold exactly fails the record. */
    DOUBLE;

    public static NumberFormat of(String name) {
        return EnumOptions.parse(NumberFormat.class, name);
    }
}
