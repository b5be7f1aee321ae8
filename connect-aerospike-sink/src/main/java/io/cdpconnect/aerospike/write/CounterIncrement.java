/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.mapping.BinNames;
import io.cdpconnect.aerospike.mapping.ValueMapper;
import io.cdpconnect.common.FieldPath;
import io.cdpconnect.common.config.CrossOptionChecks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;

/**
 * One counter of COUNTERS mode, parsed from {@code bin=source[:long|:double|:cents|:minor]}: the amount added to
 * {@code bin} is a literal ({@code order_count=1}) or the number at a field path ({@code revenue_cents=total:cents}).
 * {@code scale} is the number of decimal places of a MINOR counter (2 for cents).
 */
public record CounterIncrement(String bin, Number constant, FieldPath field, NumberKind kind, int scale) {

    /**
     * Forces the bin's number type; AUTO follows the value (integral → integer bin, else float bin); MINOR turns
     * an exact decimal into a long of minor units (129.90 at scale 2 → 12990), never rounding.
     */
    public enum NumberKind {
        AUTO,
        LONG,
        DOUBLE,
        MINOR
    }

    public static List<CounterIncrement> parseAll(List<String> specs) {
        return parseAll(specs, 2);
    }

    public static List<CounterIncrement> parseAll(List<String> specs, int minorScale) {
        List<CounterIncrement> out = new ArrayList<>();
        Set<String> bins = new HashSet<>();
        for (String spec : specs) {
            if (spec.isBlank()) {
                continue;
            }
            CounterIncrement increment = parse(spec.trim(), minorScale);
            if (!bins.add(increment.bin())) {
                throw CrossOptionChecks.problem(AerospikeSinkConfig.COUNTERS_INCREMENTS, spec, "bin listed twice");
            }
            out.add(increment);
        }
        return List.copyOf(out);
    }

    static CounterIncrement parse(String spec, int minorScale) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw CrossOptionChecks.problem(
                    AerospikeSinkConfig.COUNTERS_INCREMENTS, spec, "expected bin=source[:long|:double|:cents|:minor]");
        }
        String bin = spec.substring(0, eq).trim();
        String problem = BinNames.problem(bin);
        if (problem != null) {
            throw CrossOptionChecks.problem(AerospikeSinkConfig.COUNTERS_INCREMENTS, spec, problem);
        }
        String source = spec.substring(eq + 1).trim();
        NumberKind kind = NumberKind.AUTO;
        int scale = 0;
        int colon = source.lastIndexOf(':');
        if (colon > 0) {
            String type = source.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (type) {
                case "long" -> kind = NumberKind.LONG;
                case "double" -> kind = NumberKind.DOUBLE;
                case "cents" -> {
                    kind = NumberKind.MINOR;
                    scale = 2;
                }
                case "minor" -> {
                    kind = NumberKind.MINOR;
                    scale = minorScale;
                }
                default ->
                    throw CrossOptionChecks.problem(
                            AerospikeSinkConfig.COUNTERS_INCREMENTS,
                            spec,
                            "unknown type '" + type + "': use long, double, cents or minor");
            }
            source = source.substring(0, colon).trim();
        }
        Number constant = literal(source);
        if (constant != null) {
            try {
                return new CounterIncrement(bin, coerce(source, kind, scale), null, kind, scale);
            } catch (DataException e) {
                throw CrossOptionChecks.problem(AerospikeSinkConfig.COUNTERS_INCREMENTS, spec, e.getMessage());
            }
        }
        try {
            return new CounterIncrement(bin, null, FieldPath.of(source), kind, scale);
        } catch (IllegalArgumentException e) {
            throw CrossOptionChecks.problem(AerospikeSinkConfig.COUNTERS_INCREMENTS, spec, e.getMessage());
        }
    }

    private static Number literal(String source) {
        if (source.isEmpty() || !(Character.isDigit(source.charAt(0)) || source.charAt(0) == '-')) {
            return null;
        }
        try {
            return ValueMapper.toNumber(source);
        } catch (DataException notANumber) {
            return null;
        }
    }

    /** The amount to add for a record value, typed as configured. */
    public Number amount(Object root) {
        if (constant != null) {
            return constant;
        }
        Object value = field.get(root);
        if (value == null) {
            throw new DataException("counter '" + bin + "': field '" + field + "' is missing");
        }
        try {
            return coerce(value, kind, scale);
        } catch (DataException e) {
            throw new DataException("counter '" + bin + "': field '" + field + "': " + e.getMessage());
        }
    }

    private static Number coerce(Object value, NumberKind kind, int scale) {
        if (kind == NumberKind.MINOR) {
            return MinorUnits.of(value, scale);
        }
        Number n = ValueMapper.toNumber(value);
        return switch (kind) {
            case MINOR -> throw new IllegalStateException("handled above");
            case AUTO -> n;
            case DOUBLE -> n.doubleValue();
            case LONG -> {
                if (n instanceof Double d && d != Math.rint(d)) {
                    throw new DataException(d + " is not an integer but the counter is :long");
                }
                yield n.longValue();
            }
        };
    }
}
