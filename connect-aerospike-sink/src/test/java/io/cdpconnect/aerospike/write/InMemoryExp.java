/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates {@link ExpAlgebra} expressions against an in-memory record, following Aerospike's documented
 * semantics for the operations the sink uses. Comparing with a missing value throws, so a guard that forgot an
 * existence check fails the test instead of silently passing.
 */
final class InMemoryExp implements ExpAlgebra<InMemoryExp.Fn> {

    interface Fn {
        Object eval(Env env);
    }

    static final class Env {
        final Map<String, Object> bins;
        final Map<String, Object> vars = new HashMap<>();

        Env(Map<String, Object> bins) {
            this.bins = bins;
        }
    }

    static final InMemoryExp INSTANCE = new InMemoryExp();

    /** Runs one expression write operation: the bin gets the expression's value. */
    static void write(Map<String, Object> record, String bin, Fn expression) {
        Object value = expression.eval(new Env(record));
        record.put(bin, value);
    }

    static boolean test(Map<String, Object> record, Fn expression) {
        return (Boolean) expression.eval(new Env(record));
    }

    @Override
    public Fn let(List<Fn> definitionsThenScope) {
        return env -> {
            for (int i = 0; i < definitionsThenScope.size() - 1; i++) {
                definitionsThenScope.get(i).eval(env);
            }
            return definitionsThenScope.get(definitionsThenScope.size() - 1).eval(env);
        };
    }

    @Override
    public Fn def(String name, Fn value) {
        return env -> {
            env.vars.put(name, value.eval(env));
            return null;
        };
    }

    @Override
    public Fn var(String name) {
        return env -> {
            if (!env.vars.containsKey(name)) {
                throw new IllegalStateException("undefined variable " + name);
            }
            return env.vars.get(name);
        };
    }

    @Override
    public Fn cond(List<Fn> args) {
        if (args.size() % 2 == 0) {
            throw new IllegalArgumentException("cond needs test/value pairs and a default");
        }
        return env -> {
            for (int i = 0; i + 1 < args.size(); i += 2) {
                if ((Boolean) args.get(i).eval(env)) {
                    return args.get(i + 1).eval(env);
                }
            }
            return args.get(args.size() - 1).eval(env);
        };
    }

    @Override
    public Fn not(Fn value) {
        return env -> !(Boolean) value.eval(env);
    }

    @Override
    public Fn eq(Fn left, Fn right) {
        return env -> compare(left.eval(env), right.eval(env)) == 0;
    }

    @Override
    public Fn lt(Fn left, Fn right) {
        return env -> compare(left.eval(env), right.eval(env)) < 0;
    }

    @Override
    public Fn le(Fn left, Fn right) {
        return env -> compare(left.eval(env), right.eval(env)) <= 0;
    }

    private static int compare(Object a, Object b) {
        if (!(a instanceof Long x) || !(b instanceof Long y)) {
            throw new IllegalStateException("comparison of non-integers " + a + " and " + b
                    + " (the server would fail or filter the record out)");
        }
        return Long.compare(x, y);
    }

    @Override
    public Fn bool(boolean value) {
        return env -> value;
    }

    @Override
    public Fn intVal(long value) {
        return env -> value;
    }

    @Override
    public Fn str(String value) {
        return env -> value;
    }

    @Override
    public Fn emptyMap() {
        return env -> new LinkedHashMap<>();
    }

    @Override
    public Fn binExists(String bin) {
        return env -> env.bins.containsKey(bin);
    }

    @Override
    public Fn mapBin(String bin) {
        return env -> {
            Object value = env.bins.get(bin);
            if (!(value instanceof Map)) {
                throw new IllegalStateException("bin " + bin + " is not a map: " + value);
            }
            return value;
        };
    }

    @Override
    public Fn intBin(String bin) {
        return env -> {
            Object value = env.bins.get(bin);
            if (!(value instanceof Long)) {
                throw new IllegalStateException("bin " + bin + " is not an integer: " + value);
            }
            return value;
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public Fn mapPut(Fn key, Fn value, Fn map) {
        return env -> {
            Map<Object, Object> copy = new LinkedHashMap<>((Map<Object, Object>) map.eval(env));
            copy.put(key.eval(env), value.eval(env));
            return copy;
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public Fn mapRemoveByKey(Fn key, Fn map) {
        return env -> {
            Map<Object, Object> copy = new LinkedHashMap<>((Map<Object, Object>) map.eval(env));
            copy.remove(key.eval(env));
            return copy;
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public Fn mapRemoveByValueRange(Fn begin, Fn end, Fn map) {
        return env -> {
            long from = (Long) begin.eval(env);
            long to = (Long) end.eval(env);
            Map<Object, Object> copy = new LinkedHashMap<>((Map<Object, Object>) map.eval(env));
            copy.values().removeIf(v -> v instanceof Long l && l >= from && l < to);
            return copy;
        };
    }

    @Override
    public Fn mapCountKey(Fn key, Fn map) {
        return env -> ((Map<?, ?>) map.eval(env)).containsKey(key.eval(env)) ? 1L : 0L;
    }

    @Override
    public Fn mapIntValue(Fn key, Fn map) {
        return env -> ((Map<?, ?>) map.eval(env)).get(key.eval(env));
    }
}
