/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import static io.cdpconnect.template.Records.sink;
import static io.cdpconnect.template.Records.transform;
import static io.cdpconnect.template.Records.valueMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** Template output is exactly one JSON document, numbers keep their text, record size is not a template limit. */
class JsonFidelityTest {

    private static final String TWO_ITEMS = "{\"items\": [{\"sku\": \"a\"}, {\"sku\": \"b\"}]}";

    @Test
    void aLoopEmittingTwoObjectsIsATemplateErrorNotTheFirstObject() {
        var t = transform("value.template", "{% for i in value.items %}\n{\"sku\": {{ i.sku }}}\n{% endfor %}");
        assertThatThrownBy(() -> t.apply(sink(TWO_ITEMS)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("template 'value.template'")
                .hasMessageContaining("line ");
    }

    @Test
    void textAfterTheJsonIsATemplateErrorInEveryOutputMode() {
        String template = "{\"a\": 1} garbage";
        for (String[] mode : List.of(new String[] {}, new String[] {"value.schema.infer", "true"}, new String[] {
            "value.schema", "{\"type\":\"struct\",\"fields\":[{\"field\":\"a\",\"type\":\"int32\"}]}"
        })) {
            List<Object> props = new ArrayList<>(List.of("value.template", template));
            props.addAll(List.of((Object[]) mode));
            var t = transform(props.toArray());
            assertThatThrownBy(() -> t.apply(sink(TWO_ITEMS)))
                    .as(String.join(" ", mode))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("template 'value.template'")
                    .hasMessageContaining("did not render valid JSON");
        }
    }

    @Test
    void schemalessOutputKeepsEveryNumberExactly() {
        var t = transform(
                "value.template",
                "{\"big\": {{ value.big }}, \"lit\": 12345678901234567.89, "
                        + "\"price\": {{ value.price }}, \"n\": {{ value.n }}, \"huge\": {{ value.huge }}, \"l\": {{ value.l }}}");
        Map<String, Object> v = valueMap(t.apply(sink("{\"big\": 12345678901234567.89, \"price\": 129.90, \"n\": 12,"
                + " \"huge\": 123456789012345678901234567890, \"l\": 12345678901}")));
        assertThat(v.get("big")).isEqualTo(new BigDecimal("12345678901234567.89"));
        assertThat(v.get("lit")).isEqualTo(new BigDecimal("12345678901234567.89"));
        assertThat(v.get("price")).isEqualTo(new BigDecimal("129.90"));
        assertThat(v.get("n")).isEqualTo(12);
        assertThat(v.get("l")).isEqualTo(12345678901L);
        assertThat(v.get("huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void structDecimalsStayExactInSchemalessOutput() {
        Schema schema = SchemaBuilder.struct().field("total", Decimal.schema(2)).build();
        var t = transform("value.template", "{\"total\": {{ value.total }}}");
        SinkRecord in = new SinkRecord(
                "t",
                0,
                null,
                null,
                schema,
                new Struct(schema).put("total", new BigDecimal("12345678901234567.89")),
                1L);
        assertThat(valueMap(t.apply(in)).get("total")).isEqualTo(new BigDecimal("12345678901234567.89"));
    }

    @Test
    void doubleNumberFormatGivesDoublesButNeverRoundsSilently() {
        var t = transform("value.template", "{{ value|tojson }}", "value.number.format", "double");
        assertThat(valueMap(t.apply(sink("{\"p\": 129.90, \"n\": 12}"))))
                .containsEntry("p", 129.9)
                .containsEntry("n", 12);
        assertThatThrownBy(() -> t.apply(sink("{\"p\": 12345678901234567.89}")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("12345678901234567.89");
        assertThatThrownBy(() -> t.apply(sink("{\"p\": 123456789012345678901234567890}")))
                .isInstanceOf(DataException.class);
        assertThatThrownBy(() -> transform("value.template", "{}", "value.number.format", "float"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void aFloat64FieldThatCannotHoldTheNumberFailsTheRecord() {
        var t = transform(
                "value.template",
                "{\"x\": {{ value.x }}}",
                "value.schema",
                "{\"type\":\"struct\",\"fields\":[{\"field\":\"x\",\"type\":\"double\"}]}");
        assertThat(((Struct) t.apply(sink("{\"x\": 39.95}")).value()).get("x")).isEqualTo(39.95);
        assertThatThrownBy(() -> t.apply(sink("{\"x\": 12345678901234567.89}")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("x");
    }

    @Test
    void fromjsonKeepsNumbersAndRejectsTrailingText() {
        var t = transform("value.template", "{{ value.payload|fromjson|tojson }}");
        assertThat(valueMap(t.apply(sink(Map.of("payload", "{\"p\": 12345678901234567.89}"))))
                        .get("p"))
                .isEqualTo(new BigDecimal("12345678901234567.89"));
        assertThatThrownBy(() -> t.apply(sink(Map.of("payload", "{\"p\": 1} {\"q\": 2}"))))
                .isInstanceOf(DataException.class);
    }

    @Test
    void aRecordLargerThanTheLimitsRendersWhenTheTemplateDoesNotIterateIt() {
        Map<String, Object> value = new LinkedHashMap<>();
        List<Object> big = new ArrayList<>();
        Map<String, Object> bigMap = new LinkedHashMap<>();
        for (int i = 0; i < 20_000; i++) {
            big.add(i);
            bigMap.put("k" + i, i);
        }
        value.put("id", "x");
        value.put("list", big);
        value.put("map", bigMap);
        var t = transform(
                "value.template",
                "{\"id\": {{ value.id }}, \"n\": {{ value.list|length }}, "
                        + "\"last\": {{ value.list[19999] }}, \"m\": {{ value.map.k5 }}}");
        Map<String, Object> v = valueMap(t.apply(sink(value)));
        assertThat(v)
                .containsEntry("id", "x")
                .containsEntry("n", 20_000)
                .containsEntry("last", 19_999)
                .containsEntry("m", 5);
        // what a template iterates is still bounded
        var loop = transform("key.template", "{% for i in value.list %}{{ i }}{% endfor %}");
        assertThatThrownBy(() -> loop.apply(sink(value)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("limits.loop.iterations");
    }

    @Test
    void collectionsATemplateBuildsAreBoundedByAnOption() {
        var t = transform(
                "key.template",
                "{% set l = [] %}{% for i in range(50) %}{% do l.append(i) %}{% endfor %}" + "{{ l|length }}",
                "limits.collection.max.entries",
                "20");
        assertThatThrownBy(() -> t.apply(sink(TWO_ITEMS))).isInstanceOf(DataException.class);
        var ok = transform(
                "key.template",
                "{% set l = [] %}{% for i in range(50) %}{% do l.append(i) %}{% endfor %}" + "{{ l|length }}",
                "limits.collection.max.entries",
                "100");
        assertThat(ok.apply(sink(TWO_ITEMS)).key()).isEqualTo("50");
    }

    @Test
    void sourceRecordsGetDoublesByDefaultSoJsonConverterCanWriteThem() {
        TemplateTransform<org.apache.kafka.connect.source.SourceRecord> t = new TemplateTransform<>();
        t.configure(Map.of("value.template", "{\"p\": {{ value.p }}}"));
        org.apache.kafka.connect.source.SourceRecord in =
                new org.apache.kafka.connect.source.SourceRecord(Map.of(), Map.of(), "t", null, "{\"p\": 129.90}");
        Object out = t.apply(in).value();
        assertThat(((Map<?, ?>) out).get("p")).isEqualTo(129.9);
        // and JsonConverter writes it
        var converter = new org.apache.kafka.connect.json.JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), false);
        assertThat(new String(converter.fromConnectData("t", null, out))).isEqualTo("{\"p\":129.9}");
        // a number a double would round fails the record instead
        assertThatThrownBy(() -> t.apply(new org.apache.kafka.connect.source.SourceRecord(
                        Map.of(), Map.of(), "t", null, "{\"p\": 12345678901234567.89}")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("does not fit a double");
    }
}
