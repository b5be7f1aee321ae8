/*
 * Copyright The cdp-connect Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.cdpconnect.common.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A store that cannot empty itself, survives a slow first load, and logs as its connector. */
class StoreSafetyTest {

    private static final DefinitionKind KIND = DefinitionKind.jsonSchemas();
    private final List<DefinitionStore<?>> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(DefinitionStore::close);
        MDC.clear();
    }

    /** A source whose next result the test sets; it may fail a number of times first. */
    static final class ListSource implements DefinitionSource {
        volatile List<Definition> next = List.of();
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger loads = new AtomicInteger();
        final List<String> mdcSeen = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        ListSource types(String... types) {
            List<Definition> list = new ArrayList<>();
            for (String t : types) {
                list.add(new Definition(t, "1", "{}", null));
            }
            next = list;
            return this;
        }

        @Override
        public List<Definition> load() throws Exception {
            loads.incrementAndGet();
            mdcSeen.add(String.valueOf(MDC.get("connector.context")));
            if (failuresLeft.getAndDecrement() > 0) {
                throw new java.sql.SQLTransientConnectionException("database is down");
            }
            return next;
        }

        @Override
        public String describe() {
            return "test list";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private DefinitionStore<String> open(ListSource source, DefinitionStore.Options options) {
        DefinitionStore<String> store = DefinitionStore.open("test", KIND, source, (d, r) -> d.body(), options);
        stores.add(store);
        return store;
    }

    private static DefinitionStore.Options options() {
        return DefinitionStore.Options.DEFAULTS.withRefreshInterval(Duration.ZERO);
    }

    @Test
    void anEmptyReloadKeepsTheLastGoodSetAndIsCounted() throws Exception {
        ListSource source = new ListSource().types("a", "b", "c");
        DefinitionStore<String> store = open(source, options());
        source.next = List.of(); // truncated table, wrong search_path, unmounted volume
        assertThat(store.reload()).isFalse();
        assertThat(store.eventTypes()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(store.rejectedReloads()).isEqualTo(1);
    }

    @Test
    void aSharplyShrunkenReloadKeepsTheLastGoodSetButSmallRemovalsApply() throws Exception {
        ListSource source = new ListSource().types("a", "b", "c", "d");
        DefinitionStore<String> store = open(source, options());
        source.types("a");
        assertThat(store.reload()).isFalse();
        assertThat(store.eventTypes()).hasSize(4);
        source.types("a", "b", "c");
        assertThat(store.reload()).isTrue();
        assertThat(store.eventTypes()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(store.rejectedReloads()).isEqualTo(1);
    }

    @Test
    void removingEverythingNeedsTheExplicitOption() throws Exception {
        ListSource source = new ListSource().types("a", "b");
        DefinitionStore<String> store = open(source, options().withMaxRemovalPercent(100));
        source.next = List.of();
        assertThat(store.reload()).isTrue();
        assertThat(store.eventTypes()).isEmpty();
        assertThat(store.rejectedReloads()).isZero();
    }

    @Test
    void theFirstLoadIsRetriedWithBackOff() {
        ListSource source = new ListSource().types("a");
        source.failuresLeft.set(2);
        DefinitionStore<String> store = open(source, options().withInitialLoadTimeout(Duration.ofSeconds(30)));
        assertThat(store.eventTypes()).containsExactly("a");
        assertThat(source.loads.get()).isEqualTo(3);
    }

    @Test
    void aFirstLoadThatNeverSucceedsFailsWithTheCauseWithinTheBound() {
        ListSource source = new ListSource().types("a");
        source.failuresLeft.set(Integer.MAX_VALUE);
        long start = System.nanoTime();
        assertThatThrownBy(() -> open(source, options().withInitialLoadTimeout(Duration.ofMillis(1500))))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("database is down")
                .hasMessageContaining("test list");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).isBetween(1_000L, 15_000L);
        assertThat(source.loads.get()).isGreaterThan(1);
        assertThat(source.closed).isTrue();
    }

    @Test
    void theRefreshThreadLogsWithTheConnectorsContext() throws Exception {
        MDC.put("connector.context", "[events-sink|task-0] ");
        ListSource source = new ListSource().types("a");
        open(source, options().withRefreshInterval(Duration.ofMillis(20)));
        MDC.clear();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (source.loads.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(source.mdcSeen).hasSizeGreaterThanOrEqualTo(3).containsOnly("[events-sink|task-0] ");
    }

    @Test
    void storesOfTheSameSourceAreSharedAndReferenceCounted() throws Exception {
        ListSource source = new ListSource().types("a");
        DefinitionStore.Options opts = options().withRefreshInterval(Duration.ofMillis(20));
        DefinitionStore<String> first =
                DefinitionStore.shared("k-1", "test", KIND, () -> source, (d, r) -> d.body(), opts);
        DefinitionStore<String> second = DefinitionStore.shared(
                "k-1",
                "test",
                KIND,
                () -> {
                    throw new AssertionError("the second user must not open another source");
                },
                (d, r) -> d.body(),
                opts);
        assertThat(second).isSameAs(first);
        first.close();
        int loads = source.loads.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (source.loads.get() < loads + 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(source.loads.get())
                .as("still refreshing for the second user")
                .isGreaterThanOrEqualTo(loads + 2);
        assertThat(source.closed).isFalse();
        second.close();
        assertThat(source.closed).isTrue();
        ListSource other = new ListSource().types("b");
        DefinitionStore<String> reopened =
                DefinitionStore.shared("k-1", "test", KIND, () -> other, (d, r) -> d.body(), opts);
        stores.add(reopened);
        assertThat(reopened).isNotSameAs(first);
        assertThat(reopened.eventTypes()).containsExactly("b");
    }
}
