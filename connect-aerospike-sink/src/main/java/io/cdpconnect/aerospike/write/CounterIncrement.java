package io.cdpconnect.aerospike.write;

import io.cdpconnect.aerospike.AerospikeSinkConfig;
import io.cdpconnect.aerospike.mapping.BinNames;
import io.cdpconnect.aerospike.mapping.ValueMapper;
import io.cdpconnect.common.FieldPath;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One counter of COUNTERS mode, parsed from {@code bin=source[:long|:double]}: the amount added to {@code bin}
 * is a literal ({@code order_count=1}) or the number at a field path ({@code revenue=total:double}).
 */
public record CounterIncrement(String bin, Number constant, FieldPath field, NumberKind kind) {

    /** Forces the bin's number type; AUTO follows the value (integral → integer bin, else float bin). */
    public enum NumberKind { AUTO, LONG, DOUBLE }

    public static List<CounterIncrement> parseAll(List<String> specs) {
        List<CounterIncrement> out = new ArrayList<>();
        Set<String> bins = new HashSet<>();
        for (String spec : specs) {
            if (spec.isBlank()) {
                continue;
            }
            CounterIncrement increment = parse(spec.trim());
            if (!bins.add(increment.bin())) {
                throw new ConfigException(AerospikeSinkConfig.COUNTERS_INCREMENTS, spec, "bin listed twice");
            }
            out.add(increment);
        }
        return List.copyOf(out);
    }

    static CounterIncrement parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new ConfigException(AerospikeSinkConfig.COUNTERS_INCREMENTS, spec, "expected bin=source[:long|:double]");
        }
        String bin = spec.substring(0, eq).trim();
        String problem = BinNames.problem(bin);
        if (problem != null) {
            throw new ConfigException(AerospikeSinkConfig.COUNTERS_INCREMENTS, spec, problem);
        }
        String source = spec.substring(eq + 1).trim();
        NumberKind kind = NumberKind.AUTO;
        int colon = source.lastIndexOf(':');
        if (colon > 0) {
            String type = source.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (type) {
                case "long" -> kind = NumberKind.LONG;
                case "double" -> kind = NumberKind.DOUBLE;
                default -> throw new ConfigException(AerospikeSinkConfig.COUNTERS_INCREMENTS, spec,
                        "unknown type '" + type + "': use long or double");
            }
            source = source.substring(0, colon).trim();
        }
        Number constant = literal(source);
        if (constant != null) {
            return new CounterIncrement(bin, coerce(constant, kind), null, kind);
        }
        try {
            return new CounterIncrement(bin, null, FieldPath.of(source), kind);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(AerospikeSinkConfig.COUNTERS_INCREMENTS, spec, e.getMessage());
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
            return coerce(ValueMapper.toNumber(value), kind);
        } catch (DataException e) {
            throw new DataException("counter '" + bin + "': field '" + field + "': " + e.getMessage());
        }
    }

    private static Number coerce(Number n, NumberKind kind) {
        return switch (kind) {
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
