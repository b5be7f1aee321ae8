/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import static io.cdpconnect.mongo.BsonConverter.RELAXED;

import java.util.Arrays;
import org.bson.AbstractBsonWriter;
import org.bson.BsonBinary;
import org.bson.BsonContextType;
import org.bson.BsonDbPointer;
import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.BsonWriterSettings;
import org.bson.json.StrictJsonWriter;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Relaxed extended JSON without whitespace, into a {@link StringBuilder}: the driver's {@code JsonWriter} text minus
 * the blanks after {@code :} and {@code ,} (about a tenth of an event's bytes), value for value the same, because
 * every BSON value goes through the driver's own relaxed-mode converters. Raw BSON is piped in as into the driver's
 * writer ({@code RawBsonDocumentCodec}). Not thread-safe; one per value written.
 */
final class CompactJsonWriter extends AbstractBsonWriter {

    private final Strict strict;

    CompactJsonWriter(StringBuilder out) {
        super(new BsonWriterSettings());
        this.strict = new Strict(out);
        setContext(new Context(null, BsonContextType.TOP_LEVEL));
    }

    @Override
    protected void doWriteName(String name) {
        strict.writeName(name);
    }

    @Override
    protected void doWriteStartDocument() {
        strict.writeStartObject();
        BsonContextType type =
                getState() == State.SCOPE_DOCUMENT ? BsonContextType.SCOPE_DOCUMENT : BsonContextType.DOCUMENT;
        setContext(new Context(getContext(), type));
    }

    @Override
    protected void doWriteEndDocument() {
        strict.writeEndObject();
        boolean scope = getContext().getContextType() == BsonContextType.SCOPE_DOCUMENT;
        setContext(getContext().getParentContext());
        if (scope) {
            writeEndDocument(); // closes {"$code": ..., "$scope": {...}}
        }
    }

    @Override
    protected void doWriteStartArray() {
        strict.writeStartArray();
        setContext(new Context(getContext(), BsonContextType.ARRAY));
    }

    @Override
    protected void doWriteEndArray() {
        strict.writeEndArray();
        setContext(getContext().getParentContext());
    }

    @Override
    protected void doWriteBinaryData(BsonBinary value) {
        RELAXED.getBinaryConverter().convert(value, strict);
    }

    @Override
    protected void doWriteBoolean(boolean value) {
        RELAXED.getBooleanConverter().convert(value, strict);
    }

    @Override
    protected void doWriteDateTime(long value) {
        RELAXED.getDateTimeConverter().convert(value, strict);
    }

    @Override
    protected void doWriteDBPointer(BsonDbPointer value) {
        // relaxed mode, as the driver's writer: {"$ref": ns, "$id": {"$oid": ...}}
        strict.writeStartObject();
        strict.writeString("$ref", value.getNamespace());
        strict.writeName("$id");
        doWriteObjectId(value.getId());
        strict.writeEndObject();
    }

    @Override
    protected void doWriteDouble(double value) {
        RELAXED.getDoubleConverter().convert(value, strict);
    }

    @Override
    protected void doWriteInt32(int value) {
        RELAXED.getInt32Converter().convert(value, strict);
    }

    @Override
    protected void doWriteInt64(long value) {
        RELAXED.getInt64Converter().convert(value, strict);
    }

    @Override
    protected void doWriteDecimal128(Decimal128 value) {
        RELAXED.getDecimal128Converter().convert(value, strict);
    }

    @Override
    protected void doWriteJavaScript(String code) {
        RELAXED.getJavaScriptConverter().convert(code, strict);
    }

    @Override
    protected void doWriteJavaScriptWithScope(String code) {
        writeStartDocument();
        writeString("$code", code);
        writeName("$scope");
    }

    @Override
    protected void doWriteMaxKey() {
        RELAXED.getMaxKeyConverter().convert(null, strict);
    }

    @Override
    protected void doWriteMinKey() {
        RELAXED.getMinKeyConverter().convert(null, strict);
    }

    @Override
    protected void doWriteNull() {
        RELAXED.getNullConverter().convert(null, strict);
    }

    @Override
    protected void doWriteObjectId(ObjectId value) {
        RELAXED.getObjectIdConverter().convert(value, strict);
    }

    @Override
    protected void doWriteRegularExpression(BsonRegularExpression value) {
        RELAXED.getRegularExpressionConverter().convert(value, strict);
    }

    @Override
    protected void doWriteString(String value) {
        RELAXED.getStringConverter().convert(value, strict);
    }

    @Override
    protected void doWriteSymbol(String value) {
        RELAXED.getSymbolConverter().convert(value, strict);
    }

    @Override
    protected void doWriteTimestamp(BsonTimestamp value) {
        RELAXED.getTimestampConverter().convert(value, strict);
    }

    @Override
    protected void doWriteUndefined() {
        RELAXED.getUndefinedConverter().convert(null, strict);
    }

    @Override
    public void flush() {}

    /**
     * The JSON tokens, without whitespace; strings escaped by the driver's rule (the same characters as
     * {@code \\uXXXX}), so only the blanks differ from the driver's text.
     */
    private static final class Strict implements StrictJsonWriter {
        private final StringBuilder out;
        /** Per open object or array (index = depth): whether it has a member yet, for the comma. */
        private boolean[] hasMembers = new boolean[16];

        private int depth;
        /** A name was written: the next value is its member's (no comma of its own). */
        private boolean afterName;

        Strict(StringBuilder out) {
            this.out = out;
        }

        private void member() {
            if (hasMembers[depth]) {
                out.append(',');
            }
            hasMembers[depth] = true;
        }

        private void beforeValue() {
            if (afterName) {
                afterName = false;
            } else if (depth > 0) {
                member(); // an array element
            }
        }

        private void open(char c) {
            beforeValue();
            out.append(c);
            if (++depth == hasMembers.length) {
                hasMembers = Arrays.copyOf(hasMembers, depth * 2);
            }
            hasMembers[depth] = false;
        }

        private void close(char c) {
            out.append(c);
            depth--;
        }

        @Override
        public void writeName(String name) {
            member();
            string(name);
            out.append(':');
            afterName = true;
        }

        @Override
        public void writeBoolean(boolean value) {
            beforeValue();
            out.append(value);
        }

        @Override
        public void writeBoolean(String name, boolean value) {
            writeName(name);
            writeBoolean(value);
        }

        @Override
        public void writeNumber(String value) {
            beforeValue();
            out.append(value);
        }

        @Override
        public void writeNumber(String name, String value) {
            writeName(name);
            writeNumber(value);
        }

        @Override
        public void writeString(String value) {
            beforeValue();
            string(value);
        }

        @Override
        public void writeString(String name, String value) {
            writeName(name);
            writeString(value);
        }

        @Override
        public void writeRaw(String value) {
            beforeValue();
            out.append(value);
        }

        @Override
        public void writeRaw(String name, String value) {
            writeName(name);
            writeRaw(value);
        }

        @Override
        public void writeNull() {
            beforeValue();
            out.append("null");
        }

        @Override
        public void writeNull(String name) {
            writeName(name);
            writeNull();
        }

        @Override
        public void writeStartArray() {
            open('[');
        }

        @Override
        public void writeStartArray(String name) {
            writeName(name);
            writeStartArray();
        }

        @Override
        public void writeStartObject() {
            open('{');
        }

        @Override
        public void writeStartObject(String name) {
            writeName(name);
            writeStartObject();
        }

        @Override
        public void writeEndArray() {
            close(']');
        }

        @Override
        public void writeEndObject() {
            close('}');
        }

        @Override
        public boolean isTruncated() {
            return false;
        }

        /** The driver's escaping: printable ASCII as is, the rest by Unicode category. */
        private void string(String s) {
            out.append('"');
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                    out.append(c);
                    continue;
                }
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (verbatim(Character.getType(c))) {
                            out.append(c);
                        } else {
                            out.append("\\u")
                                    .append(Character.forDigit((c >> 12) & 0xf, 16))
                                    .append(Character.forDigit((c >> 8) & 0xf, 16))
                                    .append(Character.forDigit((c >> 4) & 0xf, 16))
                                    .append(Character.forDigit(c & 0xf, 16));
                        }
                    }
                }
            }
            out.append('"');
        }

        private static boolean verbatim(int type) {
            return switch (type) {
                case Character.UPPERCASE_LETTER,
                        Character.LOWERCASE_LETTER,
                        Character.TITLECASE_LETTER,
                        Character.OTHER_LETTER,
                        Character.DECIMAL_DIGIT_NUMBER,
                        Character.LETTER_NUMBER,
                        Character.OTHER_NUMBER,
                        Character.SPACE_SEPARATOR,
                        Character.CONNECTOR_PUNCTUATION,
                        Character.DASH_PUNCTUATION,
                        Character.START_PUNCTUATION,
                        Character.END_PUNCTUATION,
                        Character.INITIAL_QUOTE_PUNCTUATION,
                        Character.FINAL_QUOTE_PUNCTUATION,
                        Character.OTHER_PUNCTUATION,
                        Character.MATH_SYMBOL,
                        Character.CURRENCY_SYMBOL,
                        Character.MODIFIER_SYMBOL,
                        Character.OTHER_SYMBOL -> true;
                default -> false;
            };
        }
    }
}
