/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static io.cdpconnect.template.Records.ORDER;
import static io.cdpconnect.template.Records.sink;
import static io.cdpconnect.template.Records.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SandboxTest {

    private static void assertRejected(String template, String... messageParts) {
        var t = transform("key.template", template);
        var thrown = assertThatThrownBy(() -> t.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("key.template");
        for (String part : messageParts) {
            thrown.hasMessageContaining(part);
        }
    }

    @Test
    void noJavaMethodsOnContextObjects() {
        assertRejected("{{ value.getClass() }}", "not allowed");
        assertRejected("{{ value.order_id.getClass() }}", "not allowed");
        assertRejected("{{ value.order_id.getBytes() }}", "not allowed");
        assertRejected("{{ value.order_id.toUpperCase() }}", "not allowed");
        assertRejected("{{ value.items.getClass().getClassLoader() }}", "not allowed");
        assertRejected("{{ value.hashCode() }}", "not allowed");
        assertRejected("{{ ''.getClass().forName('java.lang.Runtime').getRuntime().exec('id') }}", "not allowed");
        assertRejected("{{ (1).getClass() }}", "not allowed");
    }

    @Test
    void noBeanPropertiesOrClassAccess() {
        assertRejected("{{ value.class }}", "'class' is undefined");
        assertRejected("{{ value.order_id.class.name }}", "'class' is undefined");
        assertRejected("{{ value.order_id.bytes }}", "'bytes' is undefined");
        // in empty mode the same probes render nothing rather than reaching anything
        var lenient = transform(
                "key.template",
                "[{{ value.class }}{{ value.order_id.class }}{{ value|attr('class') }}]",
                "on.undefined",
                "empty");
        assertThat(lenient.apply(sink(ORDER)).key()).isEqualTo("[]");
    }

    @Test
    void noRuntimeThroughFiltersOrFunctions() {
        assertRejected("{{ value|attr('getClass') }}");
        assertRejected("{{ 'java.lang.Runtime'|render }}");
    }

    @Test
    void noFileOrRemoteIncludes() {
        for (String template : new String[] {
            "{% include '/etc/passwd' %}",
            "{% include 'https://example.com/t.j2' %}",
            "{% import 'macros.j2' as m %}",
            "{% from 'macros.j2' import x %}",
            "{% extends 'base.j2' %}"
        }) {
            assertThatThrownBy(() -> transform("key.template", template))
                    .as(template)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("is disabled");
        }
    }

    @Test
    void recordDataIsNeverRenderedAsATemplate() {
        var t = transform("key.template", "{{ value.text }}");
        assertThat(t.apply(sink(Map.of("text", "{{ 7 * 7 }}{% for i in range(3) %}x{% endfor %}")))
                        .key())
                .isEqualTo("{{ 7 * 7 }}{% for i in range(3) %}x{% endfor %}");
    }

    @Test
    @Timeout(20)
    void hugeLoopsStop() {
        var t = transform(
                "key.template", "{% for i in range(100000) %}{{ i }}{% endfor %}", "limits.loop.iterations", "1000");
        assertThatThrownBy(() -> t.apply(sink(ORDER))).isInstanceOf(DataException.class);
        var nested = transform(
                "key.template",
                "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}x{% endfor %}{% endfor %}{% endfor %}",
                "limits.loop.iterations",
                "100000",
                "limits.output.max.chars",
                "100000000",
                "limits.render.timeout.ms",
                "60000"); // the loop limit, not the clock, must stop it (busy machines)
        assertThatThrownBy(() -> nested.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("loop iterations");
    }

    @Test
    @Timeout(20)
    void slowRendersStop() {
        var t = transform(
                "key.template",
                "{% for a in range(1000) %}{% for b in range(1000) %}{{ a * b }}{% endfor %}{% endfor %}",
                "limits.loop.iterations",
                "10000000",
                "limits.output.max.chars",
                "100000000",
                "limits.render.timeout.ms",
                "50");
        long start = System.nanoTime();
        assertThatThrownBy(() -> t.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("limits.render.timeout.ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void outputSizeIsBounded() {
        var t = transform(
                "key.template", "{% for i in range(5000) %}0123456789{% endfor %}", "limits.output.max.chars", "1000");
        assertThatThrownBy(() -> t.apply(sink(ORDER))).isInstanceOf(DataException.class);
    }

    @Test
    void listsAndDictsStillWorkTheJinjaWay() {
        var t = transform(
                "key.template",
                "{% set l = [] %}{% do l.append(value.order_id) %}{% set d = {'a': 1} %}"
                        + "{% do d.update({'b': 2}) %}{{ l|join(',') }}|{{ d.keys()|sort|join(',') }}|{{ d.get('c', 'none') }}|"
                        + "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{% for i in value.items %}{{ loop.index }}/{{ loop.length }}{{ loop.cycle('a','b') }}{% endfor %}");
        assertThat(t.apply(sink(ORDER)).key()).isEqualTo("o-1001|a,b|none|a=1;b=2;|1/1a");
    }
}
