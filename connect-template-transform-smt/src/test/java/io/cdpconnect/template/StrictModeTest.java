/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static io.cdpconnect.template.Records.ORDER;
import static io.cdpconnect.template.Records.sink;
import static io.cdpconnect.template.Records.transform;
import static io.cdpconnect.template.Records.valueMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class StrictModeTest {

    @Test
    void aTypoInAFieldFailsWithTemplateAndLine() {
        var t = transform("value.template", "{\n\"id\": {{ value.order_id }},\n\"c\": {{ value.custmer_id }}\n}");
        assertThatThrownBy(() -> t.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("template 'value.template' line 3")
                .hasMessageContaining("'custmer_id' is undefined");
    }

    @Test
    void anUnknownVariableFails() {
        var t = transform("key.template", "{{ vaule.order_id }}");
        assertThatThrownBy(() -> t.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("'vaule' is undefined");
    }

    @Test
    void failIsTheDefault() {
        var t = transform("key.template", "{{ value.nope }}");
        assertThatThrownBy(() -> t.apply(sink(ORDER))).isInstanceOf(DataException.class);
    }

    @Test
    void defaultsAndDefinedTestsHandleMissingFields() {
        var t = transform(
                "value.template",
                "{\"coupon\": {{ value.coupon|default('none') }},"
                        + " \"c2\": {{ value.coupon | d('x') }},"
                        + " \"has\": {{ value.coupon is defined }}, \"missing\": {{ value.coupon is undefined }},"
                        + " \"chain\": {{ value.a|default(value.b)|default('z') }},"
                        + " \"branch\": {% if value.discount is defined %}{{ value.discount }}{% else %}0{% endif %},"
                        + " \"present_null\": {{ value.note }}, \"loop\": [{% for i in value.items %}{{ loop.index }}{% endfor %}],"
                        + " \"items\": {{ value.items()|length }}}",
                "on.undefined",
                "fail");
        Map<String, Object> value = new HashMap<>(Map.of("order_id", "o-1", "items", java.util.List.of(1)));
        value.put("note", null);
        Map<String, Object> v = valueMap(t.apply(sink(value)));
        assertThat(v)
                .containsEntry("coupon", "none")
                .containsEntry("c2", "x")
                .containsEntry("has", false)
                .containsEntry("missing", true)
                .containsEntry("chain", "z")
                .containsEntry("branch", 0)
                .containsEntry("present_null", null)
                .containsEntry("items", 3);
        assertThat(v.get("loop")).isEqualTo(java.util.List.of(1));
    }

    @Test
    void unusedDefaultArgumentsMayBeMissingButUsedOnesMayNot() {
        var t = transform("key.template", "{{ value.order_id|default(value.anonymous_id) }}");
        assertThat(t.apply(sink(ORDER)).key()).isEqualTo("o-1001");
        var used = transform("key.template", "{{ value.user_id|default(value.anonymous_id) }}");
        assertThatThrownBy(() -> used.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("'anonymous_id' is undefined");
        var nested = transform("key.template", "{{ value.user_id|default(value.anonymous_id|default('anon')) }}");
        assertThat(nested.apply(sink(ORDER)).key()).isEqualTo("anon");
    }

    @Test
    void setVariablesAndNullValuedKeysAreDefined() {
        var t = transform(
                "value.template", "{% set total = value.quantity * 2 %}{\"t\": {{ total }}, \"k\": {{ key }}}");
        Map<String, Object> v = valueMap(t.apply(sink(null, ORDER)));
        assertThat(v).containsEntry("t", 2468).containsEntry("k", null);
    }

    @Test
    void emptyModeRendersNothingOrNull() {
        var t = transform(
                "value.template",
                "{\"a\": {{ value.nope }}, \"b\": \"x{{ value.nope }}y\", \"c\": {{ nope.deeper }}}",
                "key.template",
                "k{{ value.nope }}",
                "on.undefined",
                "empty");
        var out = t.apply(sink(ORDER));
        assertThat(valueMap(out))
                .containsEntry("a", null)
                .containsEntry("b", "xy")
                .containsEntry("c", null);
        assertThat(out.key()).isEqualTo("k");
    }

    /**
     * Jinja's {@code none} literal (the README's and the shipped templates' {@code |default(none)}): Jinjava has no
     * such literal and looked it up as a variable, so on.undefined=fail rejected every record whose field was
     * missing - the very case the default is for.
     */
    @Test
    void noneIsNullNotAnUndefinedVariable() {
        var t = transform(
                "value.template",
                "{\"url\": {{ value.context.page.url | default(none) }},"
                        + " \"p\": {{ value.price|d(None) }}, \"n\": {{ none }}}",
                "on.undefined",
                "fail");
        Map<String, Object> v = valueMap(t.apply(sink(ORDER)));
        assertThat(v).containsEntry("url", null).containsEntry("p", null).containsEntry("n", null);
    }
}
