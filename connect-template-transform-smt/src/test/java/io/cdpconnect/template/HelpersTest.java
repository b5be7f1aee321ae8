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

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class HelpersTest {

    private static Map<String, Object> render(String template, Object value) {
        return valueMap(transform("value.template", template).apply(sink(value)));
    }

    @Test
    void uuidAndNow() {
        long before = System.currentTimeMillis();
        Map<String, Object> v = render(
                "{\"id\": {{ uuid() }}, \"id2\": {{ uuid() }}, \"now\": {{ now() }}, \"ms\": {{ now_millis() }}}",
                Map.of());
        long after = System.currentTimeMillis();
        assertThat(UUID.fromString((String) v.get("id"))).isNotNull();
        assertThat(v.get("id")).isNotEqualTo(v.get("id2"));
        long now = Instant.parse((String) v.get("now")).toEpochMilli();
        assertThat(now).isBetween(before, after);
        assertThat(((Number) v.get("ms")).longValue()).isBetween(before, after);
    }

    @Test
    void hashes() {
        Map<String, Object> v = render(
                "{\"sha\": {{ hash('abc') }}, \"sha_f\": {{ 'abc'|hash }}, \"md5\": {{ hash('abc', 'md5') }},"
                        + " \"m3\": {{ hash(value.id, 'murmur3') }}, \"m3f\": {{ value.id|hash('murmur3') }}, \"m3empty\": {{ ''|hash('murmur3') }}}",
                Map.of("id", "user-12345"));
        assertThat(v.get("sha")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(v.get("sha_f")).isEqualTo(v.get("sha"));
        assertThat(v.get("md5")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        int guava = Hashing.murmur3_32_fixed()
                .hashString("user-12345", StandardCharsets.UTF_8)
                .asInt();
        assertThat(v.get("m3")).isEqualTo(guava);
        assertThat(v.get("m3f")).isEqualTo(guava);
        assertThat(v.get("m3empty")).isEqualTo(0);
        for (String s : new String[] {"a", "ab", "abc", "abcd", "abcde", "héllo wörld"}) {
            assertThat(Murmur3.hash32(s.getBytes(StandardCharsets.UTF_8), 0))
                    .isEqualTo(Hashing.murmur3_32_fixed()
                            .hashString(s, StandardCharsets.UTF_8)
                            .asInt());
        }
        assertThatThrownBy(() -> render("{\"x\": {{ hash('a', 'crc') }}}", Map.of()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("unknown hash algorithm");
    }

    @Test
    void jsonHelpers() {
        Map<String, Object> v = render(
                "{% set p = value.payload|fromjson %}{\"n\": {{ p.n }}, \"s\": {{ p.s }},"
                        + " \"back\": {{ p|tojson }}, \"text\": {{ (value.payload|fromjson|tojson) ~ '' }}}",
                Map.of("payload", "{\"n\": 12, \"s\": \"x\"}"));
        assertThat(v)
                .containsEntry("n", 12)
                .containsEntry("s", "x")
                .containsEntry("back", Map.of("n", 12, "s", "x"))
                .containsEntry("text", "{\"n\":12,\"s\":\"x\"}");
    }

    @Test
    void stringHelpersAndDefaults() {
        Map<String, Object> v = render(
                "{\"l\": {{ value.s|lower }}, \"u\": {{ value.s|upper }}, \"t\": {{ value.s|trim }},"
                        + " \"c\": {{ coalesce(value.none, '', value.s) }}, \"d\": {{ value.none|default('dflt', true) }}}",
                new java.util.HashMap<>(Map.of("s", "  MiXed  ")) {
                    {
                        put("none", null);
                    }
                });
        assertThat(v)
                .containsEntry("l", "  mixed  ")
                .containsEntry("u", "  MIXED  ")
                .containsEntry("t", "MiXed")
                .containsEntry("c", "  MiXed  ")
                .containsEntry("d", "dflt");
    }

    @Test
    void timeParsingAndFormatting() {
        Map<String, Object> v = render(
                "{\"a\": {{ value.iso|to_iso }}, \"b\": {{ value.offset|to_iso }},"
                        + " \"c\": {{ value.secs|to_iso('s') }}, \"d\": {{ value.millis|to_iso }}, \"e\": {{ to_epoch_millis(value.iso) }},"
                        + " \"f\": {{ value.iso|format_ts('yyyy-MM-dd HH:mm') }}, \"g\": {{ format_ts(value.millis, 'yyyy-MM-dd HH:mm', 'Europe/Paris') }},"
                        + " \"h\": {{ value.secs_text|to_epoch_millis(unit='s') }}, \"i\": {{ to_iso(value.millis, 'ms') }}, \"j\": {{ value.date|to_iso }},"
                        + " \"k\": {{ value.micros|to_iso('us') }}}",
                Map.of(
                        "iso",
                        "2026-11-23T10:00:00.123Z",
                        "offset",
                        "2026-11-23T11:00:00+01:00",
                        "secs",
                        1_795_428_000L,
                        "millis",
                        1_795_428_000_123L,
                        "secs_text",
                        "1795428000",
                        "date",
                        "2026-11-23",
                        "micros",
                        1_795_428_000_123_456L));
        assertThat(v)
                .containsEntry("a", "2026-11-23T10:00:00.123Z")
                .containsEntry("b", "2026-11-23T10:00:00Z")
                .containsEntry("c", "2026-11-23T10:00:00Z")
                .containsEntry("d", "2026-11-23T10:00:00.123Z")
                .containsEntry("e", 1_795_428_000_123L)
                .containsEntry("f", "2026-11-23 10:00")
                .containsEntry("g", "2026-11-23 11:00")
                .containsEntry("h", 1_795_428_000_000L)
                .containsEntry("i", "2026-11-23T10:00:00.123Z")
                .containsEntry("j", "2026-11-23T00:00:00Z")
                .containsEntry("k", "2026-11-23T10:00:00.123456Z");
        assertThatThrownBy(() -> render("{\"x\": {{ 'yesterday'|to_iso }}}", Map.of()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("not an ISO-8601 time");
    }

    @Test
    void epochUnitsAreNamedNeverGuessed() {
        // 99,999,999,999 ms is 1973-03-03; guessing by magnitude read it as seconds (year 5138)
        Map<String, Object> v = render(
                "{\"ms\": {{ value.t|to_iso }}, \"ms2\": {{ to_iso(value.t) }},"
                        + " \"s\": {{ value.s|to_iso(unit='s') }}, \"early\": {{ value.early|to_iso }}}",
                Map.of("t", 99_999_999_999L, "s", 99_999_999L, "early", -100_000_000_000L));
        assertThat(v)
                .containsEntry("ms", "1973-03-03T09:46:39.999Z")
                .containsEntry("ms2", "1973-03-03T09:46:39.999Z")
                .containsEntry("s", "1973-03-03T09:46:39Z")
                .containsEntry("early", "1966-10-31T14:13:20Z");
        assertThatThrownBy(() -> render("{\"x\": {{ value.t|to_iso('auto') }}}", Map.of("t", 1L)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("s, ms, us, ns");
    }
}
