/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.warehouse.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PgCopyWriterTest {

    private String encode(Object value) {
        PgCopyWriter writer = new PgCopyWriter(new PostgresDialect());
        writer.encode(value);
        return writer.encoded();
    }

    @Test
    void copyTextEscapesSeparatorsAndMarksNulls() {
        assertThat(encode(null)).isEqualTo("\\N");
        assertThat(encode("a\tb\nc\\d\re")).isEqualTo("a\\tb\\nc\\\\d\\re");
        assertThat(encode("\\N")).isEqualTo("\\\\N");
        assertThat(encode("zoë 😀")).isEqualTo("zoë 😀");
    }

    @Test
    void scalarsUseTheirPostgresInputText() {
        assertThat(encode(true)).isEqualTo("t");
        assertThat(encode(42L)).isEqualTo("42");
        assertThat(encode(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(encode(1.5d)).isEqualTo("1.5");
        assertThat(encode(new byte[] {0x01, (byte) 0xAB})).isEqualTo("\\\\x01ab");
        assertThat(encode(LocalDate.of(2026, 11, 23))).isEqualTo("2026-11-23");
    }

    @Test
    void instantsAreWrittenInUtcWithMicroseconds() {
        assertThat(encode(Instant.parse("2026-11-23T10:00:00Z"))).isEqualTo("2026-11-23 10:00:00+00");
        assertThat(encode(Instant.parse("2026-11-23T10:00:00.123456789Z"))).isEqualTo("2026-11-23 10:00:00.123456+00");
        assertThat(encode(Instant.parse("1969-12-31T23:59:59.5Z"))).isEqualTo("1969-12-31 23:59:59.500000+00");
    }
}
