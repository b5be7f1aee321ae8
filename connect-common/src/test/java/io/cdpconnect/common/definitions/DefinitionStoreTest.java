/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionStoreTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Compiles a body into a JSON tree (so a syntax error is a compile failure) and counts compiles. */
    private final List<String> compiled = new CopyOnWriteArrayList<>();

    private final DefinitionCompiler<JsonNode> jsonCompiler = (d, resolver) -> {
        compiled.add(d.id());
        return MAPPER.readTree(d.body());
    };
    private final List<DefinitionStore<?>> stores = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeStores() {
        stores.forEach(DefinitionStore::close);
    }

    private <T> DefinitionStore<T> open(
            DefinitionKind kind, DefinitionSource source, DefinitionCompiler<T> compiler, Duration refresh) {
        DefinitionStore<T> store = DefinitionStore.open("test", kind, source, compiler, refresh);
        stores.add(store);
        return store;
    }

    @Test
    void inlineSchemasSingleAndVersioned() {
        String inline = "{\"page_view\": {\"type\": \"object\"},"
                + " \"add_to_cart\": {\"1\": {\"title\": \"one\"}, \"v3\": {\"title\": \"three\"}, \"2\": {\"title\": \"two\"}},"
                + " \"anything\": {}}";
        DefinitionStore<JsonNode> store = open(
                DefinitionKind.jsonSchemas(),
                new InlineDefinitionSource(inline, DefinitionKind.jsonSchemas()),
                jsonCompiler,
                Duration.ZERO);

        assertThat(store.get("page_view", 1).get("type").asText()).isEqualTo("object");
        assertThat(store.latest("page_view").get("type").asText()).isEqualTo("object");
        assertThat(store.get("add_to_cart", 2).get("title").asText()).isEqualTo("two");
        assertThat(store.get("add_to_cart", "3").get("title").asText()).isEqualTo("three");
        assertThat(store.latest("add_to_cart").get("title").asText()).isEqualTo("three");
        assertThat(store.latestEntry("add_to_cart").version()).isEqualTo(3);
        assertThat(store.get("add_to_cart", 4)).isNull();
        assertThat(store.latest("unknown")).isNull();
        assertThat(store.get("anything", 1).isEmpty()).isTrue();
        assertThat(store.eventTypes()).containsExactlyInAnyOrder("page_view", "add_to_cart", "anything");
        assertThat(store.size()).isEqualTo(5);
        assertThat(store.errors()).isEmpty();
    }

    @Test
    void inlineTemplatesByName() {
        String inline = "{\"page_view\": \"{{ user_id }}\","
                + " \"add_to_cart\": {\"value\": \"v {{ x }}\", \"key\": \"{{ user_id }}\", \"headers.source\": \"web\"}}";
        DefinitionKind kind = DefinitionKind.templates();
        DefinitionStore<String> store = open(
                kind,
                new InlineDefinitionSource(inline, kind),
                (d, r) -> d.body().toUpperCase(),
                Duration.ZERO);

        assertThat(store.get("page_view", "value")).isEqualTo("{{ USER_ID }}");
        assertThat(store.named("add_to_cart"))
                .containsOnly(
                        Map.entry("value", "V {{ X }}"),
                        Map.entry("key", "{{ USER_ID }}"),
                        Map.entry("headers.source", "WEB"));
        assertThat(store.named("missing")).isEmpty();
        assertThat(store.latest("add_to_cart"))
                .as("template names are not versions")
                .isNull();
    }

    @Test
    void inlineRejectsNonObjects() {
        assertThatThrownBy(() -> new InlineDefinitionSource("[1]", DefinitionKind.jsonSchemas()))
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> new InlineDefinitionSource("{oops", DefinitionKind.jsonSchemas()))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void directoryNamingConventionForSchemas() throws Exception {
        Files.writeString(dir.resolve("page_view.json"), "{\"v\": 1}");
        Files.writeString(dir.resolve("add_to_cart.v2.json"), "{\"v\": 2}");
        Files.createDirectory(dir.resolve("add_to_cart"));
        Files.writeString(dir.resolve("add_to_cart/v5.json"), "{\"v\": 5}");
        Files.writeString(dir.resolve("add_to_cart/3.json"), "{\"v\": 3}");
        Files.writeString(dir.resolve("add_to_cart/notes.txt"), "ignored");
        Files.writeString(dir.resolve(".hidden.json"), "ignored");
        Files.writeString(dir.resolve("README.md"), "ignored");

        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionStore<JsonNode> store =
                open(kind, new DirectoryDefinitionSource(dir, kind), jsonCompiler, Duration.ZERO);

        assertThat(store.get("page_view", 1).get("v").asInt()).isEqualTo(1);
        assertThat(store.get("add_to_cart", 2).get("v").asInt()).isEqualTo(2);
        assertThat(store.get("add_to_cart", 3).get("v").asInt()).isEqualTo(3);
        assertThat(store.latest("add_to_cart").get("v").asInt()).isEqualTo(5);
        assertThat(store.entry("page_view", 1).definition().updatedAt()).isNotNull();
        assertThat(store.size()).isEqualTo(4);
    }

    @Test
    void directoryNamingConventionForTemplates() throws Exception {
        Files.writeString(dir.resolve("page_view.j2"), "pv");
        Files.createDirectory(dir.resolve("add_to_cart"));
        Files.writeString(dir.resolve("add_to_cart/value.j2"), "value");
        Files.writeString(dir.resolve("add_to_cart/topic.jinja"), "topic");
        Files.writeString(dir.resolve("add_to_cart/headers.source.j2"), "source");

        DefinitionKind kind = DefinitionKind.templates();
        DefinitionStore<String> store =
                open(kind, new DirectoryDefinitionSource(dir, kind), (d, r) -> d.body(), Duration.ZERO);

        assertThat(store.named("page_view")).containsOnly(Map.entry("value", "pv"));
        assertThat(store.named("add_to_cart"))
                .containsOnly(
                        Map.entry("value", "value"),
                        Map.entry("topic", "topic"),
                        Map.entry("headers.source", "source"));
    }

    @Test
    void reloadRecompilesOnlyChangedDefinitionsAndDropsRemovedOnes() throws Exception {
        Files.writeString(dir.resolve("a.json"), "{\"n\": 1}");
        Files.writeString(dir.resolve("b.json"), "{\"n\": 1}");
        Files.writeString(dir.resolve("c.json"), "{\"n\": 1}");
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionStore<JsonNode> store =
                open(kind, new DirectoryDefinitionSource(dir, kind), jsonCompiler, Duration.ZERO);
        assertThat(compiled).containsExactlyInAnyOrder("a/1", "b/1", "c/1");
        JsonNode aBefore = store.latest("a");
        long generation = store.generation();

        assertThat(store.reload()).as("nothing changed").isFalse();
        assertThat(store.generation()).isEqualTo(generation);

        compiled.clear();
        Files.writeString(dir.resolve("b.json"), "{\"n\": 2}");
        Files.delete(dir.resolve("c.json"));
        assertThat(store.reload()).isTrue();

        assertThat(compiled).containsExactly("b/1");
        assertThat(store.latest("a")).isSameAs(aBefore);
        assertThat(store.latest("b").get("n").asInt()).isEqualTo(2);
        assertThat(store.latest("c")).isNull();
        assertThat(store.generation()).isEqualTo(generation + 1);
    }

    @Test
    void aBadNewVersionKeepsTheGoodOneAndIsReported() throws Exception {
        Files.writeString(dir.resolve("a.json"), "{\"n\": 1}");
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionStore<JsonNode> store =
                open(kind, new DirectoryDefinitionSource(dir, kind), jsonCompiler, Duration.ZERO);

        Files.writeString(dir.resolve("a.json"), "{\"n\": "); // broken
        Files.writeString(dir.resolve("new.json"), "{not json");
        store.reload();

        assertThat(store.latest("a").get("n").asInt())
                .as("last good version kept")
                .isEqualTo(1);
        assertThat(store.latest("new")).isNull();
        assertThat(store.errors()).containsOnlyKeys("a/1", "new/1");

        Files.writeString(dir.resolve("a.json"), "{\"n\": 3}");
        Files.delete(dir.resolve("new.json"));
        store.reload();
        assertThat(store.latest("a").get("n").asInt()).isEqualTo(3);
        assertThat(store.errors()).isEmpty();
    }

    @Test
    void nonNumericVersionsAreReportedNotLoaded() {
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionSource source = new DefinitionSource() {
            @Override
            public List<Definition> load() {
                return List.of(new Definition("a", "beta", "{}", null), new Definition("a", "2", "{}", null));
            }

            @Override
            public String describe() {
                return "list";
            }
        };
        DefinitionStore<JsonNode> store = open(kind, source, jsonCompiler, Duration.ZERO);
        assertThat(store.errors()).containsOnlyKeys("a/beta");
        assertThat(store.latestEntry("a").version()).isEqualTo(2);
    }

    @Test
    void failedRefreshKeepsTheLastGoodSetAndInitialFailureIsAnError() throws Exception {
        Files.writeString(dir.resolve("a.json"), "{\"n\": 1}");
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionStore<JsonNode> store =
                open(kind, new DirectoryDefinitionSource(dir, kind), jsonCompiler, Duration.ZERO);
        Files.delete(dir.resolve("a.json"));
        Files.delete(dir);

        assertThatThrownBy(store::reload).isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThat(store.latest("a").get("n").asInt()).isEqualTo(1);

        assertThatThrownBy(() -> DefinitionStore.open(
                        "test", kind, new DirectoryDefinitionSource(dir, kind), jsonCompiler, Duration.ZERO))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("could not load schemas from directory");
    }

    @Test
    void backgroundRefreshPicksUpChanges() throws Exception {
        Files.writeString(dir.resolve("a.json"), "{\"n\": 1}");
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionStore<JsonNode> store =
                open(kind, new DirectoryDefinitionSource(dir, kind), jsonCompiler, Duration.ofMillis(50));
        Files.writeString(dir.resolve("a.json"), "{\"n\": 2}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.latest("a").get("n").asInt() != 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.latest("a").get("n").asInt()).isEqualTo(2);

        store.close();
        Files.writeString(dir.resolve("a.json"), "{\"n\": 3}");
        Thread.sleep(300);
        assertThat(store.latest("a").get("n").asInt())
                .as("closed stores stop refreshing")
                .isEqualTo(2);
    }

    @Test
    void definitionsThatResolveOthersAreRecompiledWhenThoseChange() throws Exception {
        // "order" embeds the latest "money" definition, the way a schema $refs another stored schema.
        Files.writeString(dir.resolve("money.json"), "{\"type\": \"number\"}");
        Files.writeString(dir.resolve("order.json"), "{}");
        Files.writeString(dir.resolve("other.json"), "{}");
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionCompiler<String> compiler = (d, resolver) -> {
            compiled.add(d.id());
            if (d.eventType().equals("order")) {
                return "order+" + resolver.latest("money").body();
            }
            return d.body();
        };
        DefinitionStore<String> store = open(kind, new DirectoryDefinitionSource(dir, kind), compiler, Duration.ZERO);
        assertThat(store.latest("order")).isEqualTo("order+{\"type\": \"number\"}");

        compiled.clear();
        Files.writeString(dir.resolve("money.json"), "{\"type\": \"string\"}");
        store.reload();
        assertThat(compiled).containsExactlyInAnyOrder("money/1", "order/1");
        assertThat(store.latest("order")).isEqualTo("order+{\"type\": \"string\"}");
    }

    @Test
    void lookupsAllocateNothing() {
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionStore<JsonNode> store = open(
                kind,
                new InlineDefinitionSource(
                        "{\"add_to_cart\": {\"1\": {}, \"2\": {\"n\": 2}}, \"page_view\": {}}", kind),
                jsonCompiler,
                Duration.ZERO);
        String type = "add_to_cart";
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 20_000; i++) { // warm up
            sink += store.latest(type).size()
                    + store.get(type, 1).size()
                    + store.get(type, "2").size()
                    + store.named("page_view").size();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sink += store.latest(type).size()
                    + store.get(type, 1).size()
                    + store.get(type, "2").size()
                    + store.named("page_view").size();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by 400k lookups").isLessThan(4096);
    }

    @Test
    void readersNeverSeeAHalfBuiltSetWhileReloading() throws Exception {
        Files.writeString(dir.resolve("stable.json"), "{\"n\": 1}");
        Files.writeString(dir.resolve("moving.json"), "{\"n\": 0}");
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionStore<JsonNode> store =
                open(kind, new DirectoryDefinitionSource(dir, kind), jsonCompiler, Duration.ZERO);
        java.util.concurrent.atomic.AtomicReference<String> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            int lastSeen = 0;
            while (running.get()) {
                JsonNode stable = store.latest("stable");
                JsonNode moving = store.latest("moving");
                if (stable == null || moving == null) {
                    failure.compareAndSet(null, "a definition vanished during a reload");
                } else if (moving.get("n").asInt() < lastSeen) {
                    failure.compareAndSet(null, "went back from " + lastSeen + " to " + moving.get("n"));
                } else {
                    lastSeen = moving.get("n").asInt();
                }
            }
        });
        reader.start();
        for (int i = 1; i <= 50; i++) {
            Files.writeString(dir.resolve("moving.json"), "{\"n\": " + i + "}");
            assertThat(store.reload()).isTrue();
        }
        running.set(false);
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(store.latest("moving").get("n").asInt()).isEqualTo(50);
        assertThat(store.generation()).isEqualTo(51);
    }

    @Test
    void anEmptiedDirectoryKeepsTheLastGoodSet() throws Exception {
        Files.writeString(dir.resolve("a.json"), "{\"n\": 1}");
        Files.writeString(dir.resolve("b.json"), "{\"n\": 1}");
        DefinitionKind kind = DefinitionKind.jsonSchemas();
        DefinitionStore<JsonNode> store =
                open(kind, new DirectoryDefinitionSource(dir, kind), jsonCompiler, Duration.ZERO);
        Files.delete(dir.resolve("a.json")); // an unmounted volume: the directory is there, the files are not
        Files.delete(dir.resolve("b.json"));
        assertThat(store.reload()).isFalse();
        assertThat(store.latest("a").get("n").asInt()).isEqualTo(1);
        assertThat(store.latest("b").get("n").asInt()).isEqualTo(1);
    }
}
