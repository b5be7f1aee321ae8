/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;

/**
 * Exact money for counters: a decimal amount as a long of minor units (129.90 at scale 2 → 12990). Aerospike has
 * no decimal type and float sums drift, so money is added as integers. Nothing is rounded: an amount with more
 * decimal places than the scale, or too large for 64 bits, is a record error.
 */
final class MinorUnits {

    private MinorUnits() {}

    static long of(Object value, int scale) {
        BigDecimal decimal = decimal(value);
        BigDecimal minor = decimal.movePointRight(scale);
        try {
            return minor.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            if (minor.stripTrailingZeros().scale() > 0) {
                throw new DataException("amount " + decimal.toPlainString() + " has more than " + scale
                        + " decimal places; it is not rounded (use :minor with a larger counters.minor.units.scale)");
            }
            throw new DataException(
                    "amount " + decimal.toPlainString() + " does not fit a 64-bit integer of minor units");
        }
    }

    /**
     * The exact decimal of a value: BigDecimal (Connect Decimal), integers, decimal text, MongoDB extended JSON
     * {@code {"$numberDecimal": "..."}}, or a JSON number. A double (JSON text is parsed into doubles) is taken at
     * its shortest decimal form, which is the literal that was written for up to 15 significant digits.
     */
    static BigDecimal decimal(Object value) {
        Object v = value;
        if (v instanceof JsonNode node) {
            if (node.isObject() && node.size() == 1 && node.has("$numberDecimal")) {
                v = node.get("$numberDecimal").asText();
            } else if (node.isBigDecimal()) {
                return node.decimalValue();
            } else if (node.isIntegralNumber()) {
                return new BigDecimal(node.bigIntegerValue());
            } else if (node.isNumber()) {
                v = node.doubleValue();
            } else if (node.isTextual()) {
                v = node.textValue();
            } else {
                throw new DataException("expected a decimal amount but got " + node.getNodeType());
            }
        }
        if (v instanceof Map<?, ?> map && map.size() == 1 && map.get("$numberDecimal") != null) {
            v = map.get("$numberDecimal").toString();
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new DataException("amount " + d + " is not a number");
            }
            return BigDecimal.valueOf(d);
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                throw new DataException("'" + s + "' is not a decimal amount");
            }
        }
        throw new DataException("expected a decimal amount but got "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }
}
