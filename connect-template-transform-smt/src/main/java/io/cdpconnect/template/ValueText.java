/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.template;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.objects.date.PyishDate;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Map;

/**
 * How template values become text. Numbers keep their type (an integer prints as {@code 1234}, a decimal as
 * {@code 129.90}, never in exponent form), maps and lists print as JSON rather than Jinjava's Python-like form,
 * dates as ISO-8601.
 */
final class ValueText {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .registerModule(new SimpleModule().addSerializer(java.util.Date.class, new DateAsIso()));

    private ValueText() {}

    /** Plain text of a value (key, topic and header templates; inside JSON strings before escaping). */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof SafeString s) {
            return s.getValue();
        }
        if (value instanceof Number n) {
            return number(n);
        }
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Map || value instanceof Collection) {
            return json(value);
        }
        if (value instanceof PyishDate d) {
            return IsoInstant.format(d.toDateTime().toInstant());
        }
        if (value instanceof ZonedDateTime d) {
            return IsoInstant.format(d.toInstant());
        }
        if (value instanceof java.util.Date d) {
            return IsoInstant.format(Instant.ofEpochMilli(d.getTime()));
        }
        return value.toString();
    }

    /** The value as a JSON literal (where a JSON template expects a value). */
    static String jsonLiteral(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof JsonText json) {
            return json.getValue();
        }
        if (value instanceof SafeString s) {
            return s.getValue(); // |safe: the author vouches for it
        }
        if (value instanceof Number n) {
            return jsonNumber(n);
        }
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Map || value instanceof Collection) {
            return json(value);
        }
        return quote(text(value));
    }

    /** The value's text escaped for the inside of a JSON string. */
    static String jsonStringContent(Object value) {
        if (value instanceof SafeString s && !(value instanceof JsonText)) {
            return s.getValue();
        }
        return new String(JsonStringEncoder.getInstance().quoteAsString(text(value)));
    }

    static String quote(String text) {
        char[] escaped = JsonStringEncoder.getInstance().quoteAsString(text);
        StringBuilder out = new StringBuilder(escaped.length + 2);
        return out.append('"').append(escaped).append('"').toString();
    }

    static String number(Number n) {
        if (n instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
                // keeps a float a float (1234.0) without the exponent form Double.toString uses past 1e7
                return BigDecimal.valueOf(d).setScale(1).toPlainString();
            }
            return n instanceof Float
                    ? new BigDecimal(Float.toString(n.floatValue())).toPlainString()
                    : BigDecimal.valueOf(d).toPlainString();
        }
        return n.toString(); // integers (BigInteger, Long, Integer, Short, Byte) and any other Number
    }

    private static String jsonNumber(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new TemplateHelperException(d + " is not a JSON number");
            }
        }
        return number(n);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new TemplateHelperException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Dates (Struct timestamps, Jinjava dates) inside maps and lists print as ISO-8601 UTC, as on their own. */
    private static final class DateAsIso extends StdSerializer<java.util.Date> {
        DateAsIso() {
            super(java.util.Date.class);
        }

        @Override
        public void serialize(java.util.Date value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(ValueText.text(value));
        }
    }
}
