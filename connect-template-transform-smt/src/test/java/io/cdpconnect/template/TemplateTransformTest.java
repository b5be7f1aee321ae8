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

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class TemplateTransformTest {

    @Test
    void valueTemplateBuildsASchemalessMapKeepingNumberTypes() {
        var t = transform(
                "value.template",
                "{\"id\": {{ value.order_id }}, \"qty\": {{ value.quantity }},"
                        + " \"qty_text\": \"{{ value.quantity }}\", \"total\": {{ value.total }},"
                        + " \"price\": {{ value.items[0].price }}, \"items\": {{ value.items }}, \"paid\": {{ value.status == 'paid' }}}");
        SinkRecord out = t.apply(sink(ORDER));
        Map<String, Object> v = valueMap(out);
        assertThat(out.valueSchema()).isNull();
        assertThat(v.get("id")).isEqualTo("o-1001");
        assertThat(v.get("qty")).isEqualTo(1234);
        assertThat(v.get("qty_text")).isEqualTo("1234"); // not 1234.0
        assertThat(v.get("total")).isEqualTo(new BigDecimal("129.90")); // the record's text, exactly
        assertThat(v.get("price")).isEqualTo(new BigDecimal("39.95"));
        assertThat(v.get("items"))
                .isEqualTo(List.of(Map.of("sku", "SKU-1", "qty", 2, "price", new BigDecimal("39.95"))));
        assertThat(v.get("paid")).isEqualTo(true);
    }

    @Test
    void structDecimalsAndIntegersRenderExactly() {
        Schema schema = SchemaBuilder.struct()
                .field("total", Decimal.schema(2))
                .field("n", Schema.INT64_SCHEMA)
                .field("ratio", Schema.FLOAT64_SCHEMA)
                .build();
        Struct value = new Struct(schema)
                .put("total", new BigDecimal("129.90"))
                .put("n", 1234L)
                .put("ratio", 1234.0);
        var t = transform("key.template", "{{ value.total }}|{{ value.n }}|{{ value.ratio }}|{{ value.n * 2 }}");
        SinkRecord in = new SinkRecord("t", 0, null, null, schema, value, 1L);
        assertThat(t.apply(in).key()).isEqualTo("129.90|1234|1234.0|2468");
    }

    @Test
    void stringsAreEscapedSoTheOutputIsAlwaysValidJson() {
        String nasty = "quote \" backslash \\ newline \n tab \t unicode é \u0001 </script>";
        Map<String, Object> value = Map.of("s", nasty, "nested", Map.of("k", nasty));
        var t = transform(
                "value.template",
                "{\"as_value\": {{ value.s }}, \"in_string\": \"x-{{ value.s }}-y\","
                        + " \"obj\": {{ value.nested }}, \"json\": {{ value.nested|tojson }}, \"json_text\": \"{{ value.nested|tojson }}\"}");
        Map<String, Object> v = valueMap(t.apply(sink(value)));
        assertThat(v.get("as_value")).isEqualTo(nasty);
        assertThat(v.get("in_string")).isEqualTo("x-" + nasty + "-y");
        assertThat(v.get("obj")).isEqualTo(Map.of("k", nasty));
        assertThat(v.get("json")).isEqualTo(Map.of("k", nasty));
        assertThat(v.get("json_text")).isEqualTo("{\"k\":" + io.cdpconnect.common.RecordJson.write(nasty) + "}");
    }

    @Test
    void keyTopicAndHeaderTemplates() {
        var t = transform(
                "key.template",
                "{{ value.customer_id }}",
                "topic.template",
                "orders.{{ value.status }}",
                "headers.event-id.template",
                "{{ value.order_id }}",
                "headers.source.template",
                "{{ headers.source }}-v2",
                "headers.empty.template",
                "{% if false %}x{% endif %}");
        SinkRecord out = t.apply(sink(ORDER));
        assertThat(out.key()).isEqualTo("c-42");
        assertThat(out.keySchema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(out.topic()).isEqualTo("orders.paid");
        assertThat(out.kafkaPartition()).isEqualTo(3);
        List<String> headers = new ArrayList<>();
        for (Header h : out.headers()) {
            headers.add(h.key() + "=" + h.value());
        }
        assertThat(headers).containsExactlyInAnyOrder("event-id=o-1001", "source=web-v2");
        assertThat(out.value()).isEqualTo(ORDER); // no value template: value untouched
    }

    @Test
    void headerTemplatesFromTheDeclaredOptionAndTheDeprecatedKeysBothApply() {
        var t = transform(
                "headers.templates",
                "{\"event-id\": \"{{ value.order_id }}\","
                        + " \"source\": \"{{ headers.source }}-v2\", \"empty\": \"{% if false %}x{% endif %}\"}",
                "headers.legacy.template",
                "{{ value.status }}");
        List<String> headers = new ArrayList<>();
        for (Header h : t.apply(sink(ORDER)).headers()) {
            headers.add(h.key() + "=" + h.value());
        }
        assertThat(headers).containsExactlyInAnyOrder("event-id=o-1001", "source=web-v2", "legacy=paid");
    }

    @Test
    void aHeaderInBothFormsIsAConfigError() {
        assertThatThrownBy(() -> transform("headers.templates", "{\"source\": \"a\"}", "headers.source.template", "b"))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining("headers.source.template")
                .hasMessageContaining("headers.templates");
    }

    @Test
    void aBrokenHeaderTemplateFailsTheStartNamingTheHeader() {
        assertThatThrownBy(() -> transform("headers.templates", "{\"x-a\": \"{{ value.a \"}"))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining("headers.templates")
                .hasMessageContaining("x-a");
    }

    @Test
    void illegalTopicIsAnError() {
        var t = transform("topic.template", "orders/{{ value.status }}");
        assertThatThrownBy(() -> t.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("topic.template")
                .hasMessageContaining("not a legal topic name");
    }

    @Test
    void recordMetadataIsVisible() {
        var t = transform(
                "value.template",
                "{\"topic\": {{ topic }}, \"partition\": {{ partition }}, \"offset\": {{ offset }},"
                        + " \"ts\": {{ timestamp }}, \"key\": {{ key }}, \"source\": {{ headers.source }}}");
        Map<String, Object> v = valueMap(t.apply(sink(ORDER)));
        assertThat(v)
                .containsEntry("topic", "events.raw")
                .containsEntry("partition", 3)
                .containsEntry("offset", 42)
                .containsEntry("ts", 1_700_000_000_000L)
                .containsEntry("key", "k-1")
                .containsEntry("source", "web");
    }

    @Test
    void sourceRecordsHaveNoOffsetAndKeepTheirSourcePosition() {
        TemplateTransform<SourceRecord> t = new TemplateTransform<>();
        t.configure(Map.of("value.template", "{\"offset\": {{ offset }}, \"id\": {{ value.order_id }}}"));
        SourceRecord in = new SourceRecord(
                Map.of("file", "x"),
                Map.of("position", 7L),
                "events.raw",
                null,
                null,
                null,
                null,
                ORDER.getBytes(StandardCharsets.UTF_8));
        SourceRecord out = t.apply(in);
        assertThat(valueMap(out)).containsEntry("id", "o-1001").containsEntry("offset", null);
        assertThat(out.sourceOffset()).isEqualTo(Map.of("position", 7L));
    }

    @Test
    void valueSchemaProducesAStruct() {
        String schema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"order_id\",\"type\":\"string\"},"
                + "{\"field\":\"qty\",\"type\":\"int32\"},"
                + "{\"field\":\"total\",\"type\":\"bytes\",\"name\":\"org.apache.kafka.connect.data.Decimal\",\"parameters\":{\"scale\":\"2\"}},"
                + "{\"field\":\"created_at\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"},"
                + "{\"field\":\"note\",\"type\":\"string\",\"optional\":true}]}";
        var t = transform(
                "value.template",
                "{\"order_id\": {{ value.order_id }}, \"qty\": {{ value.quantity }},"
                        + " \"total\": {{ value.total }}, \"created_at\": {{ value.created_at }}}",
                "value.schema",
                schema);
        SinkRecord out = t.apply(sink(ORDER));
        Struct s = (Struct) out.value();
        assertThat(out.valueSchema().field("total").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(s.getString("order_id")).isEqualTo("o-1001");
        assertThat(s.getInt32("qty")).isEqualTo(1234);
        assertThat(s.get("total")).isEqualTo(new BigDecimal("129.90"));
        assertThat(s.get("created_at")).isEqualTo(java.util.Date.from(java.time.Instant.parse("2026-11-23T10:00:00Z")));
        assertThat(out.valueSchema().field("created_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(s.get("note")).isNull();

        var wrong = transform("value.template", "{\"order_id\": 5}", "value.schema", schema);
        assertThatThrownBy(() -> wrong.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("value.order_id must be a string");
        var extra = transform(
                "value.template",
                "{\"order_id\": \"a\", \"qty\": 1, \"total\": 1, \"created_at\": 0, \"typo\": 1}",
                "value.schema",
                schema);
        assertThatThrownBy(() -> extra.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("value.typo is not a field");
    }

    @Test
    void badValueSchemaIsAConfigError() {
        assertThatThrownBy(() -> transform("value.template", "{}", "value.schema", "{\"type\":\"strukt\"}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown type");
    }

    @Test
    void inferredSchemaIsCachedWhileTheShapeStays() {
        var t = transform(
                "value.template",
                "{\"id\": {{ value.order_id }}, \"qty\": {{ value.quantity }},"
                        + " \"total\": {{ value.total }}, \"items\": {{ value.items }}, \"ok\": true}",
                "value.schema.infer",
                "true");
        SinkRecord a = t.apply(sink(ORDER));
        SinkRecord b = t.apply(sink(ORDER.replace("o-1001", "o-1002")));
        Schema schema = a.valueSchema();
        assertThat(schema.field("id").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(schema.field("qty").schema()).isEqualTo(Schema.OPTIONAL_INT64_SCHEMA);
        assertThat(schema.field("total").schema()).isEqualTo(Schema.OPTIONAL_FLOAT64_SCHEMA);
        assertThat(schema.field("items").schema().valueSchema().field("sku").schema())
                .isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(((Struct) a.value()).getInt64("qty")).isEqualTo(1234L);
        assertThat(b.valueSchema()).isSameAs(schema);
        assertThat(((Struct) b.value()).getString("id")).isEqualTo("o-1002");
    }

    @Test
    void tombstonesPassUnlessATombstoneTemplateIsSet() {
        var plain = transform("value.template", "{\"id\": {{ value.order_id }}}", "topic.template", "x");
        SinkRecord tombstone = sink("k-9", null);
        assertThat(plain.apply(tombstone)).isSameAs(tombstone);

        var withTemplate = transform(
                "value.template",
                "{\"id\": {{ value.order_id }}}",
                "tombstone.template",
                "{\"deleted\": {{ key }}}",
                "topic.template",
                "deletes");
        SinkRecord out = withTemplate.apply(tombstone);
        assertThat(valueMap(out)).isEqualTo(Map.of("deleted", "k-9"));
        assertThat(out.topic()).isEqualTo("deletes");

        var keepTombstone = transform("tombstone.template", "null", "topic.template", "deletes");
        SinkRecord kept = keepTombstone.apply(tombstone);
        assertThat(kept.value()).isNull();
        assertThat(kept.topic()).isEqualTo("deletes");
    }

    @Test
    void structAndMapValuesWork() {
        Schema schema =
                SchemaBuilder.struct().field("order_id", Schema.STRING_SCHEMA).build();
        var t = transform("key.template", "{{ value.order_id }}");
        assertThat(t.apply(new SinkRecord("t", 0, null, null, schema, new Struct(schema).put("order_id", "o-7"), 0))
                        .key())
                .isEqualTo("o-7");
        assertThat(t.apply(sink(Map.of("order_id", "o-8"))).key()).isEqualTo("o-8");
        assertThat(t.apply(sink(("{\"order_id\":\"o-9\"}").getBytes(StandardCharsets.UTF_8)))
                        .key())
                .isEqualTo("o-9");
    }

    @Test
    void outputThatIsNotJsonIsAnError() {
        var t = transform("value.template", "{\"id\": {{ value.order_id }}");
        assertThatThrownBy(() -> t.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("value.template")
                .hasMessageContaining("did not render valid JSON");
    }

    @Test
    void templateThatDoesNotParseIsAConfigError() {
        assertThatThrownBy(() -> transform("value.template", "{\n\"a\": {{ value.x \n}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.template");
        assertThatThrownBy(() -> transform("key.template", "{% for x in y %}no end"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.template")
                .hasMessageNotContaining("endif"); // the author's error, not one about internal wrapping
        assertThatThrownBy(() -> transform("on.undefined", "fail"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no templates");
    }

    @Test
    void renderErrorsNameTemplateAndLine() {
        var t = transform("value.template", "{\n\"a\": 1,\n\"b\": {{ value.status|no_such_filter }}\n}");
        assertThatThrownBy(() -> t.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("template 'value.template' line 3")
                .hasMessageContaining("unknown filter 'no_such_filter'");
        var test = transform("key.template", "{{ value.status is paidd }}");
        assertThatThrownBy(() -> test.apply(sink(ORDER)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("unknown test 'paidd'");
    }

    @Test
    void versionComesFromTheBuild() {
        assertThat(new TemplateTransform<SinkRecord>().version()).isNotBlank().isNotEqualTo("unknown");
    }
}
