package dev.tandem.hotpath.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Turns many callers' small requests into few large forward passes. A caller {@link #submit}s its
 * inputs and gets a future; one thread takes the first waiting input, gathers more for at most
 * {@code maxWait} or until {@code maxBatch}, runs the model once on all of them and hands each
 * caller its own results. While a pass runs, new inputs queue up, so under load every pass is full
 * and waiting costs nothing.
 *
 * <p>The queue is bounded ({@code capacity} inputs): a request that does not fit is refused at
 * once with {@link Saturated} (the API answers 503 with {@code Retry-After}), rather than queued
 * behind work it cannot outwait. A caller who gives up (its future is cancelled or times out) has
 * its inputs skipped, so timed-out work does not pile up ahead of live work.
 */
final class MicroBatcher<I, O> implements AutoCloseable {

    /** The model: outputs for inputs, in order, in one call. */
    @FunctionalInterface
    interface Model<I, O> {
        List<O> run(List<I> inputs) throws Exception;
    }

    /** The queue has no room for the request. */
    static final class Saturated extends RuntimeException {
        Saturated(String model) {
            super("the " + model + " model is at capacity");
        }
    }

    private static final Logger log = Logger.getLogger(MicroBatcher.class);

    /** One caller's inputs, their outputs as they come, and the caller's future. */
    private static final class Request<I, O> {
        final List<I> inputs;
        final List<O> outputs;
        final AtomicInteger remaining;
        final CompletableFuture<List<O>> future = new CompletableFuture<>();
        final long started = System.nanoTime();

        Request(List<I> inputs) {
            this.inputs = inputs;
            this.outputs = new ArrayList<>(Collections.nCopies(inputs.size(), null));
            this.remaining = new AtomicInteger(inputs.size());
        }

        /** Keeps one output; true when it was the last. */
        boolean done(int index, O output) {
            outputs.set(index, output); // only ever called on the worker thread
            return remaining.decrementAndGet() == 0;
        }
    }

    private record Item<I, O>(Request<I, O> request, int index) {
        I input() {
            return request.inputs.get(index);
        }
    }

    private final String name;
    private final Model<I, O> model;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int capacity;
    private final Semaphore room;
    private final BlockingQueue<Item<I, O>> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final Timer latency;
    private final DistributionSummary batchSizes;
    private final Counter rejected;
    private volatile boolean closed;

    MicroBatcher(String name, Model<I, O> model, int maxBatch, Duration maxWait, int capacity, MeterRegistry meters) {
        if (maxBatch < 1 || capacity < maxBatch) {
            throw new IllegalArgumentException("need 1 <= maxBatch <= capacity");
        }
        this.name = name;
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.capacity = capacity;
        this.room = new Semaphore(capacity);
        this.latency = Timer.builder("tandem.inference.latency")
                .description("From a request's arrival at the model's queue to its last result")
                .tag("model", name)
                .publishPercentileHistogram()
                .register(meters);
        this.batchSizes = DistributionSummary.builder("tandem.inference.batch.size")
                .description("Inputs per forward pass")
                .tag("model", name)
                .publishPercentileHistogram()
                .maximumExpectedValue((double) maxBatch)
                .register(meters);
        this.rejected = Counter.builder("tandem.inference.rejected")
                .description("Requests refused because the model's queue was full")
                .tag("model", name)
                .register(meters);
        Gauge.builder("tandem.inference.queue.depth", this, MicroBatcher::depth)
                .description("Inputs waiting for or in a forward pass")
                .tag("model", name)
                .register(meters);
        this.worker = Thread.ofPlatform().daemon().name("inference-" + name).start(this::work);
    }

    /**
     * Queues the inputs; the future completes with their outputs, in order. Throws {@link
     * Saturated} at once when the queue has no room for all of them.
     */
    CompletableFuture<List<O>> submit(List<I> inputs) {
        if (inputs.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (closed || inputs.size() > capacity || !room.tryAcquire(inputs.size())) {
            rejected.increment();
            throw new Saturated(name);
        }
        Request<I, O> request = new Request<>(List.copyOf(inputs));
        for (int i = 0; i < inputs.size(); i++) {
            queue.add(new Item<>(request, i));
        }
        return request.future;
    }

    int depth() {
        return capacity - room.availablePermits();
    }

    private void work() {
        List<Item<I, O>> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                gather(batch);
                run(batch);
            } catch (InterruptedException e) {
                // Closing: what this thread held but never ran fails now, not at its caller's timeout.
                batch.forEach(item -> item.request().future.completeExceptionally(new Saturated(name)));
                Thread.currentThread().interrupt();
                return;
            } finally {
                room.release(batch.size());
                batch.clear();
            }
        }
    }

    /** Waits for one live input, then takes more for at most maxWait or until maxBatch. */
    private void gather(List<Item<I, O>> batch) throws InterruptedException {
        Item<I, O> first = queue.take();
        batch.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            queue.drainTo(batch, maxBatch - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= maxBatch || left <= 0) {
                return;
            }
            Item<I, O> next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void run(List<Item<I, O>> batch) {
        List<Item<I, O>> live =
                batch.stream().filter(item -> !item.request().future.isDone()).toList();
        if (live.isEmpty()) {
            return;
        }
        batchSizes.record(live.size());
        List<O> outputs;
        try {
            outputs = model.run(live.stream().map(Item::input).toList());
        } catch (Exception | Error e) {
            log.errorf(e, "%s: a forward pass of %d inputs failed", name, live.size());
            live.forEach(item -> item.request().future.completeExceptionally(e));
            return;
        }
        for (int i = 0; i < live.size(); i++) {
            Item<I, O> item = live.get(i);
            Request<I, O> request = item.request();
            if (request.done(item.index(), outputs.get(i))) {
                latency.record(System.nanoTime() - request.started, TimeUnit.NANOSECONDS);
                request.future.complete(List.copyOf(request.outputs));
            }
        }
    }

    /**
     * Stops taking work, lets a forward pass under way finish (the model must not be closed under
     * it), and fails whatever is still queued.
     */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Item<I, O> item; (item = queue.poll()) != null; ) {
            item.request().future.completeExceptionally(new Saturated(name));
        }
    }
}
