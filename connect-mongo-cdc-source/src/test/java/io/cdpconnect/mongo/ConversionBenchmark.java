/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.kafka.connect.source.MongoSourceConfig;
import com.mongodb.kafka.connect.source.producer.SchemaAndValueProducer;
import com.mongodb.kafka.connect.source.producer.SchemaAndValueProducers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.StringConverter;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * The conversion path alone, without a server or a broker: a fixed corpus of raw insert events (MongoDB 7's shape,
 * the documents of {@code ChangeStreamBenchmark}) through this connector's {@code ChangeEvent} and
 * {@link RecordHandler} and then the worker's converters, and the same raw events through the official connector's
 * (mongo-kafka-connect 2.0.1) key and value {@code SchemaAndValueProducer}s and the same converters — what each
 * connector's task and the worker do per record once the driver handed over the event. Prints events/s and the
 * per-record p50/p99 of both and their ratio. Not a test (in this package because the converter is package-private).
 *
 * <pre>
 * cd connect-mongo-cdc-source &amp;&amp; java -cp target/test-classes:target/classes:$(cat /tmp/mongo-cp.txt) \
 *     io.cdpconnect.mongo.ConversionBenchmark   # -Dbench.events=20000 -Dbench.rounds=15 -Dbench.formats=json,schema
 * </pre>
 */
public final class ConversionBenchmark {
    private static final int EVENTS = Integer.getInteger("bench.events", 20_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 15);
    private static final List<String> FORMATS =
            List.of(System.getProperty("bench.formats", "json,schema").split(","));
    private static final String DB = "shop";
    private static final String COLL = "orders";
    private static final String TOPIC = "cdc.shop.orders";

    private ConversionBenchmark() {}

    /** One connector's path from a raw event to the bytes of key and value. */
    interface Path {
        int convert(RawBsonDocument event);
    }

    public static void main(String[] args) {
        List<RawBsonDocument> corpus = corpus(EVENTS);
        List<String> report = new ArrayList<>();
        report.add(String.format(
                "corpus: %d raw insert events (shop.orders documents), %d rounds each, best round reported",
                EVENTS, ROUNDS));
        for (String format : FORMATS) {
            Result ours = measure(ours(format), corpus);
            Result official = measure(official(format), corpus);
            report.add("format " + format + ":");
            report.add("  " + ours.line("cdp-connect ChangeEvent+RecordHandler+converter"));
            report.add("  " + official.line("mongo-kafka-connect 2.0.1 producers+converter"));
            report.add(String.format(
                    "  ratio events/s (cdp/official): %.2f; p99 per record (cdp/official): %.2f",
                    ours.eventsPerSecond / official.eventsPerSecond, ours.p99Micros / official.p99Micros));
        }
        report.forEach(System.out::println);
    }

    record Result(double eventsPerSecond, double p50Micros, double p99Micros, long bytesPerRecord) {
        String line(String name) {
            return String.format(
                    "%-50s %,12.0f events/s   per record p50 %6.2f us  p99 %6.2f us  %,6d bytes",
                    name, eventsPerSecond, p50Micros, p99Micros, bytesPerRecord);
        }
    }

    private static Result measure(Path path, List<RawBsonDocument> corpus) {
        long[] nanos = new long[corpus.size()];
        double best = 0;
        long[] bestNanos = null;
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < corpus.size(); i++) {
                long t0 = System.nanoTime();
                sink += path.convert(corpus.get(i));
                nanos[i] = System.nanoTime() - t0;
            }
            double perSecond = corpus.size() * 1e9 / (System.nanoTime() - start);
            if (perSecond > best) {
                best = perSecond;
                bestNanos = nanos.clone();
            }
        }
        Arrays.sort(bestNanos);
        return new Result(
                best,
                bestNanos[(int) (bestNanos.length * 0.50)] / 1000.0,
                bestNanos[(int) (bestNanos.length * 0.99)] / 1000.0,
                sink / ((long) ROUNDS * corpus.size()));
    }

    private static Path ours(String format) {
        Map<String, String> props = new HashMap<>();
        props.put("mongo.uri", "mongodb://localhost");
        props.put("database", DB);
        props.put("topic.namespace.map", "{\"" + DB + "." + COLL + "\": \"" + TOPIC + "\"}");
        props.put("output.format", format.equals("json") ? "json" : "schema");
        RecordHandler handler = new RecordHandler(new MongoCdcSourceConfig(props));
        Converter key = new StringConverter();
        key.configure(Map.of(), true);
        Converter value = valueConverter(format);
        MongoNamespace ns = new MongoNamespace(DB, COLL);
        Map<String, String> partition = Map.of("ns", ns.getFullName());
        return raw -> {
            ChangeEvent event = ChangeEvent.of(raw);
            // As CollectionStream: the offset of the event's resume token.
            SourceRecord r = handler.change(ns, event, partition, SourceOffsets.streaming(event.resumeToken()));
            return bytes(key, value, r.keySchema(), r.key(), r.valueSchema(), r.value());
        };
    }

    private static Path official(String format) {
        Map<String, String> props = new HashMap<>();
        props.put("connection.uri", "mongodb://localhost");
        props.put("database", DB);
        props.put("collection", COLL);
        props.put("output.format.key", "json");
        props.put("output.format.value", format.equals("json") ? "json" : "schema");
        if (!format.equals("json")) {
            props.put("output.schema.infer.value", "true");
        }
        MongoSourceConfig config = new MongoSourceConfig(props);
        SchemaAndValueProducer keyProducer = SchemaAndValueProducers.createKeySchemaAndValueProvider(config);
        SchemaAndValueProducer valueProducer = SchemaAndValueProducers.createValueSchemaAndValueProvider(config);
        Converter key = new StringConverter();
        key.configure(Map.of(), true);
        Converter value = valueConverter(format);
        Map<String, String> partition = Map.of("ns", "mongodb://localhost/" + DB + "." + COLL);
        return raw -> {
            // As MongoSourceTask: the key document is the resume token ({_id: ...}), the value the whole event.
            BsonDocument keyDocument = new BsonDocument("_id", raw.get("_id"));
            SchemaAndValue k = keyProducer.get(keyDocument);
            SchemaAndValue v = valueProducer.get(raw);
            Map<String, String> offset =
                    Map.of("_id", raw.get("_id").asDocument().toJson());
            SourceRecord r =
                    new SourceRecord(partition, offset, TOPIC, null, k.schema(), k.value(), v.schema(), v.value());
            return bytes(key, value, r.keySchema(), r.key(), r.valueSchema(), r.value());
        };
    }

    private static Converter valueConverter(String format) {
        if (format.equals("json")) {
            Converter c = new StringConverter();
            c.configure(Map.of(), false);
            return c;
        }
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
        return c;
    }

    private static int bytes(
            Converter key,
            Converter value,
            org.apache.kafka.connect.data.Schema keySchema,
            Object k,
            org.apache.kafka.connect.data.Schema valueSchema,
            Object v) {
        byte[] kb = key.fromConnectData(TOPIC, keySchema, k);
        byte[] vb = value.fromConnectData(TOPIC, valueSchema, v);
        return (kb == null ? 0 : kb.length) + vb.length;
    }

    /** Insert events as MongoDB 7 sends them: _id token, operationType, clusterTime, wallTime, fullDocument, ns, documentKey. */
    static List<RawBsonDocument> corpus(int n) {
        List<RawBsonDocument> out = new ArrayList<>(n);
        long now = 1_795_428_000_000L;
        for (int i = 0; i < n; i++) {
            ObjectId id = new ObjectId();
            BsonDocument order = new BsonDocument("_id", new BsonObjectId(id))
                    .append("order_id", new BsonString("o-" + i))
                    .append("customer_id", new BsonString("c-" + (i % 1000)))
                    .append("status", new BsonString("paid"))
                    .append("currency", new BsonString("EUR"))
                    .append("total", new BsonDecimal128(new Decimal128(new BigDecimal("129.90"))))
                    .append(
                            "items",
                            new BsonArray(List.of(new BsonDocument("sku", new BsonString("SKU-1"))
                                    .append("qty", new BsonInt32(2))
                                    .append("price", new BsonDecimal128(new Decimal128(new BigDecimal("39.95")))))))
                    .append("created_at", new BsonDateTime(now + i))
                    .append("updated_at", new BsonDateTime(now + i));
            BsonDocument token = ChangeEvents.token(String.format("8265%016X2B022C0100296E5A1004%08X", now + i, i));
            out.add(ChangeEvents.raw(
                    "insert",
                    token,
                    ChangeEvents.ns(DB, COLL),
                    null,
                    order,
                    null,
                    new BsonDocument("_id", new BsonObjectId(id)),
                    null,
                    null,
                    null));
        }
        return out;
    }
}
