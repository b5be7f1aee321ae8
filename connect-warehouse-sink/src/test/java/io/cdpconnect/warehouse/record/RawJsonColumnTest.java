/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdpconnect.common.RecordJson;
import io.cdpconnect.warehouse.WarehouseSinkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The raw JSON column (the event store's JSONB {@code payload}) is streamed from the record's map without copying
 * it. This checks on a corpus (every shipped pipeline's sample events and the edge cases of exactness) that the row
 * is what mapping a copy of the value gives, and the payload the text the sink wrote before
 * ({@code RecordJson.write(RecordJson.toPlain(value))}); for exact values (BigDecimal, big integers) also that the
 * payload denotes the very JSON the event was.
 */
class RawJsonColumnTest {

    /** The event store's shipped mapping (packaging/pipelines/event-store/event-store-sink.json). */
    private static final String[] EVENT_STORE = {
        "table.name.format", "events",
        "raw.column", "payload",
        "fields.mapping", "event_id:event_id,event_type:event_type,user_id:user_id,ts:ts",
        "partition.column", "ts",
        "partition.interval", "month",
        "exactly.once", "true"
    };

    private static final String[] RAW_ONLY = {"table.name.format", "t", "raw.column", "payload"};

    private static final List<String> EDGE_CASES = List.of(
            "{}",
            "{\"event_id\": \"e-1\", \"ts\": \"2026-11-23T10:00:00Z\", \"empty\": {}, \"list\": [], \"none\": null}",
            "{\"event_id\": \"e-2\", \"ts\": \"2026-11-23T10:00:00Z\", \"big\": 123456789012345678901234567890, "
                    + "\"max\": 9223372036854775807, \"min\": -9223372036854775808, \"int\": 7, \"neg\": -0}",
            "{\"event_id\": \"e-3\", \"ts\": \"2026-11-23T10:00:00Z\", \"price\": 79.90, \"zeros\": 100.000, "
                    + "\"exp\": 1e3, \"tiny\": 1.0E-7, \"negzero\": -0.00, \"whole\": 12.0, \"d\": 19.95}",
            "{\"event_id\": \"e-4\", \"ts\": \"2026-11-23T10:00:00Z\", \"nested\": [[1, [2, []]], {\"a\": [{\"b\": "
                    + "null}]}], \"mixed\": [1, null, \"x\", true, 2.50, {}]}",
            "{\"event_id\": \"e-5\", \"ts\": \"2026-11-23T10:00:00Z\", \"unicode\": \"caf\u00e9 \u65e5\u672c "
                    + "\uD83D\uDE00\", \"escaped\": \"\\u00e9\\ud83d\\ude00 \\\" \\\\ \\/ \\n \\t \\u0001 \\u2028\", "
                    + "\"\u00fcber\": \"key\", \"\": \"empty key\"}",
            "{\"event_id\": \"e-6\", \"ts\": \"2026-11-23T10:00:00.123456789+01:00\", \"properties\": {\"t\": true, "
                    + "\"f\": false, \"n\": null, \"deep\": {\"a\": {\"b\": {\"c\": [1.10, 2.200]}}}}}");

    private static List<String> corpus() throws IOException {
        List<String> texts = new ArrayList<>(EDGE_CASES);
        try (Stream<Path> folders = Files.list(Path.of("../packaging/pipelines"))) {
            for (Path folder : (Iterable<Path>) folders.sorted()::iterator) {
                Path samples = folder.resolve("samples.jsonl");
                if (!Files.exists(samples)) {
                    continue;
                }
                for (String line : Files.readAllLines(samples, StandardCharsets.UTF_8)) {
                    JsonNode value =
                            line.isBlank() ? null : RecordJson.parseExact(line).get("value");
                    if (value != null && value.isObject()) {
                        texts.add(value.toString());
                    }
                }
            }
        }
        assertThat(texts).hasSizeGreaterThan(EDGE_CASES.size() + 10); // the samples were found
        return texts;
    }

    private static RowMapper mapper(String... kv) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        return new RowMapper(new WarehouseSinkConfig(props));
    }

    /** The values a sink meets for one text: JsonConverter's (HashMap, Long, Double) and exact ones. */
    private static List<Object> values(String text) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), false);
        SchemaAndValue converted = converter.toConnectData("events.raw", text.getBytes(StandardCharsets.UTF_8));
        return Arrays.asList(converted.value(), RecordJson.fromJsonNode(RecordJson.parseExact(text)));
    }

    @Test
    void rowsAndPayloadAreWhatMappingACopyGave() throws IOException {
        SoftAssertions soft = new SoftAssertions();
        int mapped = 0;
        for (String text : corpus()) {
            for (String[] config : List.of(EVENT_STORE, RAW_ONLY)) {
                RowMapper mapper = mapper(config);
                for (Object value : values(text)) {
                    String what = text + " as " + value.getClass().getSimpleName() + " with " + config[1];
                    Object copy = RecordJson.toPlain(value, null, true);
                    Row row;
                    Row fromCopy;
                    try {
                        row = mapper.map(new SinkRecord("events.raw", 0, null, "k", null, value, 1));
                    } catch (DataException e) {
                        // an event without ts cannot go to the event store, neither as it is nor as a copy
                        soft.assertThatThrownBy(
                                        () -> mapper.map(new SinkRecord("events.raw", 0, null, "k", null, copy, 1)))
                                .as(what)
                                .isInstanceOf(DataException.class)
                                .hasMessage(e.getMessage());
                        continue;
                    }
                    fromCopy = mapper.map(new SinkRecord("events.raw", 0, null, "k", null, copy, 1));
                    mapped++;
                    String payload = (String) row.value("payload");
                    soft.assertThat(payload).as(what).isEqualTo(RecordJson.write(copy));
                    soft.assertThat(row.columns()).as(what).containsExactly(fromCopy.columns());
                    soft.assertThat(row.rawValues()).as(what).containsExactly(fromCopy.rawValues());
                    if (!(value instanceof HashMap)) { // exact numbers: the payload is the event's JSON
                        soft.assertThat(RecordJson.parseExact(payload)).as(what).isEqualTo(RecordJson.parseExact(text));
                    }
                }
            }
        }
        soft.assertAll();
        assertThat(mapped).isGreaterThan(40);
    }

    @Test
    void theRecordsValueIsNotModified() {
        Map<String, Object> value = new HashMap<>();
        value.put("event_id", "e-1");
        value.put("ts", "2026-11-23T10:00:00Z");
        value.put("n", 1L);
        Map<String, Object> before = new HashMap<>(value);
        Row row = mapper(EVENT_STORE).map(new SinkRecord("events.raw", 0, null, "k", null, value, 1));
        assertThat(row.value("ts")).isInstanceOf(java.time.Instant.class);
        assertThat(value).isEqualTo(before);
    }
}
