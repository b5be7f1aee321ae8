/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import java.time.Instant;

/**
 * {@link Instant#toString()} (ISO-8601 UTC, fraction in groups of three digits only as far as needed), written
 * without {@code DateTimeFormatter}, which cost a fifth of a small template's render per date. Years 1970 to 9999
 * only; other instants use {@link Instant#toString()} itself. {@code IsoInstantTest} compares the two.
 */
final class IsoInstant {

    /** 10000-01-01T00:00:00Z. */
    private static final long MAX_SECONDS = 253_402_300_800L;

    private IsoInstant() {}

    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds >= MAX_SECONDS) {
            return instant.toString();
        }
        long days = seconds / 86_400;
        int secondOfDay = (int) (seconds % 86_400);
        // days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian as java.time)
        long z = days + 719_468;
        long era = z / 146_097;
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));

        char[] out = new char[30];
        int p = 0;
        p = digits(out, p, year, 4);
        out[p++] = '-';
        p = digits(out, p, month, 2);
        out[p++] = '-';
        p = digits(out, p, day, 2);
        out[p++] = 'T';
        p = digits(out, p, secondOfDay / 3600, 2);
        out[p++] = ':';
        p = digits(out, p, secondOfDay / 60 % 60, 2);
        out[p++] = ':';
        p = digits(out, p, secondOfDay % 60, 2);
        int nano = instant.getNano();
        if (nano > 0) {
            out[p++] = '.';
            if (nano % 1_000_000 == 0) {
                p = digits(out, p, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                p = digits(out, p, nano / 1000, 6);
            } else {
                p = digits(out, p, nano, 9);
            }
        }
        out[p++] = 'Z';
        return new String(out, 0, p);
    }

    private static int digits(char[] out, int p, int value, int width) {
        for (int i = p + width - 1; i >= p; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return p + width;
    }
}
