package dev.tandem.hotpath.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The batcher with a plain fake model: routing, batching, refusal when full, skipping abandoned work. */
class MicroBatcherTest {

    private static final int CALLERS = 64;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void concurrentCallersShareForwardPassesAndEachGetsItsOwnResults() throws Exception {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        AtomicReference<MicroBatcher<String, String>> self = new AtomicReference<>();
        MicroBatcher.Model<String, String> upper = inputs -> {
            if (batchSizes.isEmpty()) {
                // The first pass lasts until every caller has queued its first call (a forward
                // pass takes time, and callers arrive meanwhile): the next pass is then a full one,
                // however fast or slow the machine.
                await().atMost(Duration.ofSeconds(60)).until(() -> self.get().depth() == CALLERS * 2);
            }
            batchSizes.add(inputs.size());
            return inputs.stream().map(String::toUpperCase).toList();
        };
        try (MicroBatcher<String, String> batcher =
                        new MicroBatcher<>("upper", upper, 32, Duration.ofMillis(2), 4096, meters);
                ExecutorService callers = Executors.newFixedThreadPool(CALLERS)) {
            self.set(batcher);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> done = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                int id = caller;
                done.add(callers.submit(() -> {
                    start.await();
                    for (int round = 0; round < 20; round++) {
                        List<String> mine = List.of("c" + id + "r" + round + "a", "c" + id + "r" + round + "b");
                        List<String> got = batcher.submit(mine).get(60, TimeUnit.SECONDS);
                        assertThat(got)
                                .containsExactly(
                                        mine.get(0).toUpperCase(), mine.get(1).toUpperCase());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<Void> caller : done) {
                caller.get(60, TimeUnit.SECONDS);
            }
        }
        int inputs = batchSizes.stream().mapToInt(Integer::intValue).sum();
        assertThat(inputs).isEqualTo(CALLERS * 20 * 2);
        assertThat(batchSizes).allMatch(size -> size <= 32);
        assertThat(batchSizes.get(1)).as("the pass after everyone queued").isEqualTo(32);
        assertThat(meters.get("tandem.inference.batch.size").summary().count()).isEqualTo(batchSizes.size());
    }

    @Test
    void aFullQueueRefusesAtOnceAndFreesItsRoomAfterwards() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MicroBatcher.Model<String, String> stuck = inputs -> {
            release.await();
            return inputs;
        };
        try (MicroBatcher<String, String> batcher =
                new MicroBatcher<>("stuck", stuck, 4, Duration.ofMillis(1), 8, meters)) {
            CompletableFuture<List<String>> first = batcher.submit(List.of("1", "2", "3", "4", "5", "6"));

            assertThatThrownBy(() -> batcher.submit(List.of("7", "8", "9"))).isInstanceOf(MicroBatcher.Saturated.class);
            assertThat(batcher.depth()).isEqualTo(6);
            assertThat(meters.get("tandem.inference.rejected").counter().count())
                    .isEqualTo(1);

            release.countDown();
            assertThat(first.get(60, TimeUnit.SECONDS)).containsExactly("1", "2", "3", "4", "5", "6");
            assertThat(batcher.submit(List.of("7", "8", "9")).get(60, TimeUnit.SECONDS))
                    .containsExactly("7", "8", "9");
            awaitDepth(batcher, 0);
        }
    }

    @Test
    void abandonedRequestsAreSkippedNotComputed() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> computed = new CopyOnWriteArrayList<>();
        MicroBatcher.Model<String, String> model = inputs -> {
            entered.countDown();
            release.await();
            computed.addAll(inputs);
            return inputs;
        };
        try (MicroBatcher<String, String> batcher =
                new MicroBatcher<>("skip", model, 2, Duration.ofMillis(1), 16, meters)) {
            CompletableFuture<List<String>> running = batcher.submit(List.of("a", "b"));
            assertThat(entered.await(60, TimeUnit.SECONDS))
                    .as("the worker holds a and b in its pass")
                    .isTrue();
            CompletableFuture<List<String>> abandoned = batcher.submit(List.of("x", "y"));
            CompletableFuture<List<String>> live = batcher.submit(List.of("c"));

            abandoned.cancel(false); // its caller timed out
            release.countDown();

            assertThat(running.get(60, TimeUnit.SECONDS)).containsExactly("a", "b");
            assertThat(live.get(60, TimeUnit.SECONDS)).containsExactly("c");
            assertThat(computed).containsExactly("a", "b", "c");
            awaitDepth(batcher, 0);
        }
    }

    @Test
    void aFailedPassFailsItsCallersAndTheNextPassWorks() throws Exception {
        MicroBatcher.Model<String, String> picky = inputs -> {
            if (inputs.contains("bad")) {
                throw new IllegalStateException("cannot");
            }
            return inputs;
        };
        try (MicroBatcher<String, String> batcher =
                new MicroBatcher<>("picky", picky, 8, Duration.ofMillis(1), 16, meters)) {
            CompletableFuture<List<String>> failed = batcher.submit(List.of("bad"));

            assertThatThrownBy(() -> failed.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThat(batcher.submit(List.of("good")).get(60, TimeUnit.SECONDS))
                    .containsExactly("good");
        }
    }

    private static void awaitDepth(MicroBatcher<?, ?> batcher, int depth) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(batcher.depth()).isEqualTo(depth));
    }
}
