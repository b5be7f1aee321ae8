/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdpconnect.warehouse.schema.ColumnType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void schemaTypesMapToColumnTypesIncludingLogicalTypes() {
        assertThat(Values.typeOf(Schema.INT8_SCHEMA)).isEqualTo(ColumnType.INT16);
        assertThat(Values.typeOf(Schema.INT16_SCHEMA)).isEqualTo(ColumnType.INT16);
        assertThat(Values.typeOf(Schema.INT32_SCHEMA)).isEqualTo(ColumnType.INT32);
        assertThat(Values.typeOf(Schema.INT64_SCHEMA)).isEqualTo(ColumnType.INT64);
        assertThat(Values.typeOf(Schema.FLOAT32_SCHEMA)).isEqualTo(ColumnType.FLOAT32);
        assertThat(Values.typeOf(Schema.FLOAT64_SCHEMA)).isEqualTo(ColumnType.FLOAT64);
        assertThat(Values.typeOf(Schema.BOOLEAN_SCHEMA)).isEqualTo(ColumnType.BOOLEAN);
        assertThat(Values.typeOf(Schema.STRING_SCHEMA)).isEqualTo(ColumnType.STRING);
        assertThat(Values.typeOf(Schema.BYTES_SCHEMA)).isEqualTo(ColumnType.BYTES);
        assertThat(Values.typeOf(Decimal.schema(2))).isEqualTo(ColumnType.DECIMAL);
        assertThat(Values.typeOf(Date.SCHEMA)).isEqualTo(ColumnType.DATE);
        assertThat(Values.typeOf(Time.SCHEMA)).isEqualTo(ColumnType.TIME);
        assertThat(Values.typeOf(Timestamp.SCHEMA)).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(Values.typeOf(SchemaBuilder.array(Schema.STRING_SCHEMA).build()))
                .isEqualTo(ColumnType.JSON);
        assertThat(Values.typeOf(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA)
                        .build()))
                .isEqualTo(ColumnType.JSON);
        assertThat(Values.typeOf(
                        SchemaBuilder.struct().field("a", Schema.STRING_SCHEMA).build()))
                .isEqualTo(ColumnType.JSON);
    }

    @Test
    void logicalValuesConvertToJavaTimeAndExactDecimals() {
        java.util.Date ts = java.util.Date.from(Instant.parse("2026-11-23T10:00:00.123Z"));
        assertThat(Values.convert(ts, Timestamp.SCHEMA, ColumnType.TIMESTAMP))
                .isEqualTo(Instant.parse("2026-11-23T10:00:00.123Z"));
        java.util.Date day = java.util.Date.from(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(Values.convert(day, Date.SCHEMA, ColumnType.DATE)).isEqualTo(LocalDate.of(2026, 11, 23));
        java.util.Date time = new java.util.Date(10 * 3_600_000L + 30 * 60_000L + 1_500L);
        assertThat(Values.convert(time, Time.SCHEMA, ColumnType.TIME)).isEqualTo(LocalTime.of(10, 30, 1, 500_000_000));
        assertThat(Values.convert(new BigDecimal("129.90"), Decimal.schema(2), ColumnType.DECIMAL))
                .isEqualTo(new BigDecimal("129.90"));
        assertThat(Values.convert(ByteBuffer.wrap(new byte[] {1, 2}), Schema.BYTES_SCHEMA, ColumnType.BYTES))
                .isEqualTo(new byte[] {1, 2});
        assertThat(Values.convert((byte) 7, Schema.INT8_SCHEMA, ColumnType.INT16))
                .isEqualTo((short) 7);
    }

    @Test
    void nestedValuesBecomeJsonText() {
        Schema item = SchemaBuilder.struct()
                .field("sku", Schema.STRING_SCHEMA)
                .field("price", Decimal.schema(2))
                .build();
        Schema items = SchemaBuilder.array(item).build();
        Object json = Values.convert(
                List.of(new Struct(item).put("sku", "SKU-1").put("price", new BigDecimal("39.95"))),
                items,
                ColumnType.JSON);
        assertThat(json).isEqualTo("[{\"sku\":\"SKU-1\",\"price\":39.95}]");
        assertThat(Values.convert(Map.of("a", List.of(1, 2)), null, ColumnType.JSON))
                .isEqualTo("{\"a\":[1,2]}");
    }

    @Test
    void schemalessValuesAreTypedByTheirJavaClass() {
        assertThat(Values.typeOf("x", null)).isEqualTo(ColumnType.STRING);
        assertThat(Values.typeOf(1, null)).isEqualTo(ColumnType.INT64);
        assertThat(Values.typeOf(1L << 40, null)).isEqualTo(ColumnType.INT64);
        assertThat(Values.typeOf(1.5, null)).isEqualTo(ColumnType.FLOAT64);
        assertThat(Values.typeOf(new BigDecimal("1.5"), null)).isEqualTo(ColumnType.DECIMAL);
        assertThat(Values.typeOf(true, null)).isEqualTo(ColumnType.BOOLEAN);
        assertThat(Values.typeOf(Map.of(), null)).isEqualTo(ColumnType.JSON);
        assertThat(Values.typeOf(List.of(), null)).isEqualTo(ColumnType.JSON);
        assertThat(Values.typeOf(new byte[0], null)).isEqualTo(ColumnType.BYTES);
        assertThat(Values.typeOf(null, null)).isNull();
        assertThat(Values.convert(7, null, ColumnType.INT64)).isEqualTo(7L);
    }

    @Test
    void eventTimesParseFromTextAndEpochMillis() {
        assertThat(Values.toInstant("2026-11-23T10:00:00.123Z")).isEqualTo(Instant.parse("2026-11-23T10:00:00.123Z"));
        assertThat(Values.toInstant("2026-11-23T11:00:00+01:00")).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(Values.toInstant("2026-11-23T10:00:00")).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(Values.toInstant("2026-11-23")).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(Values.toInstant(1_795_428_000_000L)).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThatThrownBy(() -> Values.toInstant("yesterday"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("yesterday");
    }

    /**
     * Text of digits is seconds to one producer and milliseconds to another: stored as milliseconds, epoch seconds
     * become a date in January 1970. It is a record error (DLQ) naming the value, as it was before the shared parser;
     * a number stays epoch milliseconds.
     */
    @Test
    void numericTextInATimestampColumnIsARecordErrorNotA1970Date() {
        for (String text : new String[] {"1795428000", "1795428000000", " 1795428000000 ", "-5", "1795428000.5"}) {
            assertThatThrownBy(() -> Values.toInstant(text))
                    .as(text)
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining(text.trim())
                    .hasMessageContaining("ISO-8601");
            assertThatThrownBy(() -> Values.convert(text, null, ColumnType.TIMESTAMP))
                    .as(text)
                    .isInstanceOf(DataException.class);
        }
        assertThat(Values.convert(1_795_428_000_000L, null, ColumnType.TIMESTAMP))
                .isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void impossibleConversionsAreDataErrors() {
        assertThatThrownBy(() -> Values.convert("abc", null, ColumnType.BOOLEAN))
                .isInstanceOf(DataException.class);
    }
}
