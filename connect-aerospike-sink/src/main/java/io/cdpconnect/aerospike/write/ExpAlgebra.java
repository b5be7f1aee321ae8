/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.aerospike.write;

import com.aerospike.client.cdt.MapPolicy;
import com.aerospike.client.cdt.MapReturnType;
import com.aerospike.client.exp.Exp;
import com.aerospike.client.exp.MapExp;
import java.util.Collections;
import java.util.List;

/**
 * The small part of Aerospike's expression language the sink uses, as an interface. {@link #AEROSPIKE} builds
 * real {@link Exp} trees; tests plug in an evaluator over an in-memory record, so the last-writer-wins and
 * offset-guard logic is checked by running it, with the very same composition the server receives.
 */
public interface ExpAlgebra<E> {

    E let(List<E> definitionsThenScope);

    E def(String name, E value);

    E var(String name);

    /** cond(test1, value1, test2, value2, ..., default). */
    E cond(List<E> testsValuesDefault);

    E not(E value);

    E eq(E left, E right);

    E lt(E left, E right);

    E le(E left, E right);

    E bool(boolean value);

    E intVal(long value);

    E str(String value);

    E emptyMap();

    E binExists(String bin);

    E mapBin(String bin);

    E intBin(String bin);

    /** The map with key set to value (unordered map, default write flags). */
    E mapPut(E key, E value, E map);

    E mapRemoveByKey(E key, E map);

    /** The map without the entries whose value lies in [begin, end). */
    E mapRemoveByValueRange(E begin, E end, E map);

    /** 1 when the map has the key, else 0. */
    E mapCountKey(E key, E map);

    /** The integer value stored under key. */
    E mapIntValue(E key, E map);

    ExpAlgebra<Exp> AEROSPIKE = new ExpAlgebra<>() {
        @Override
        public Exp let(List<Exp> definitionsThenScope) {
            return Exp.let(definitionsThenScope.toArray(new Exp[0]));
        }

        @Override
        public Exp def(String name, Exp value) {
            return Exp.def(name, value);
        }

        @Override
        public Exp var(String name) {
            return Exp.var(name);
        }

        @Override
        public Exp cond(List<Exp> testsValuesDefault) {
            return Exp.cond(testsValuesDefault.toArray(new Exp[0]));
        }

        @Override
        public Exp not(Exp value) {
            return Exp.not(value);
        }

        @Override
        public Exp eq(Exp left, Exp right) {
            return Exp.eq(left, right);
        }

        @Override
        public Exp lt(Exp left, Exp right) {
            return Exp.lt(left, right);
        }

        @Override
        public Exp le(Exp left, Exp right) {
            return Exp.le(left, right);
        }

        @Override
        public Exp bool(boolean value) {
            return Exp.val(value);
        }

        @Override
        public Exp intVal(long value) {
            return Exp.val(value);
        }

        @Override
        public Exp str(String value) {
            return Exp.val(value);
        }

        @Override
        public Exp emptyMap() {
            return Exp.val(Collections.emptyMap());
        }

        @Override
        public Exp binExists(String bin) {
            return Exp.binExists(bin);
        }

        @Override
        public Exp mapBin(String bin) {
            return Exp.mapBin(bin);
        }

        @Override
        public Exp intBin(String bin) {
            return Exp.intBin(bin);
        }

        @Override
        public Exp mapPut(Exp key, Exp value, Exp map) {
            return MapExp.put(MapPolicy.Default, key, value, map);
        }

        @Override
        public Exp mapRemoveByKey(Exp key, Exp map) {
            return MapExp.removeByKey(key, map);
        }

        @Override
        public Exp mapRemoveByValueRange(Exp begin, Exp end, Exp map) {
            return MapExp.removeByValueRange(MapReturnType.NONE, begin, end, map);
        }

        @Override
        public Exp mapCountKey(Exp key, Exp map) {
            return MapExp.getByKey(MapReturnType.COUNT, Exp.Type.INT, key, map);
        }

        @Override
        public Exp mapIntValue(Exp key, Exp map) {
            return MapExp.getByKey(MapReturnType.VALUE, Exp.Type.INT, key, map);
        }
    };
}
