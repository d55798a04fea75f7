package dev.tandem.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * A fixed-rate (open-model) load generator: request {@code i} is due at {@code start + i / rate},
 * sent then whatever the earlier answers are doing, and its latency counts from when it was due,
 * not from when a connection was free to send it. Queueing, in the service or in front of it,
 * therefore shows in the percentiles (no coordinated omission: wrk2's correction). Vert.x's HTTP/1.1
 * client on one event loop, up to {@code connections} connections; requests due while all are
 * busy wait in the client's queue, and that wait is part of their latency.
 */
final class OpenLoad {

    /**
     * What a run measured.
     *
     * @param rate the offered rate (requests per second)
     * @param seconds the length of the schedule
     * @param ok answers 2xx/3xx, and their latency (µs, from when each was due)
     * @param shed answers 429/503 (turned away by load shedding or a rate limit), and their latency
     * @param otherStatus any other status (4xx/5xx)
     * @param failed requests with no answer: refused or broken connections, timeouts
     */
    record Outcome(double rate, double seconds, Histogram ok, Histogram shed, long otherStatus, long failed) {

        long requests() {
            return ok.getTotalCount() + shed.getTotalCount() + otherStatus + failed;
        }

        double okPerSecond() {
            return ok.getTotalCount() / seconds;
        }
    }

    /** One request to send: its method, path and query, headers and body (null for none). */
    record Call(HttpMethod method, String uri, Map<String, String> headers, byte[] body) {}

    private OpenLoad() {}

    /**
     * Sends {@code rate × duration} requests on schedule ({@code calls} gives the i-th) to {@code
     * base}, waits for every answer (at most {@code timeout} each), and returns what it measured.
     */
    static Outcome run(
            URI base, LongFunction<Call> calls, double rate, Duration duration, int connections, Duration timeout)
            throws InterruptedException {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try {
            HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions()
                            .setDefaultHost(base.getHost())
                            .setDefaultPort(base.getPort())
                            .setKeepAlive(true)
                            .setConnectTimeout((int) timeout.toMillis()),
                    new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
            long total = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
            long interval = Math.max(1, Math.round(1e9 / rate));
            // Histograms from 1 µs to 10 minutes, 3 significant digits; touched on the event loop only.
            Histogram ok = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
            Histogram shed = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
            long[] counts = new long[3]; // other status, failed, answered
            CompletableFuture<Void> finished = new CompletableFuture<>();
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            long[] next = {0};
            vertx.runOnContext(begin -> vertx.setPeriodic(1, timer -> {
                long now = System.nanoTime();
                while (next[0] < total && start + next[0] * interval <= now) {
                    long due = start + next[0] * interval;
                    Call call = calls.apply(next[0]);
                    next[0]++;
                    RequestOptions options = new RequestOptions()
                            .setMethod(call.method())
                            .setURI(call.uri())
                            .setIdleTimeout(timeout.toMillis());
                    call.headers().forEach(options::putHeader);
                    client.request(options)
                            .compose(request ->
                                    call.body() == null ? request.send() : request.send(Buffer.buffer(call.body())))
                            .compose(response -> response.body().map(body -> response.statusCode()))
                            .onComplete(answer -> {
                                long micros = Math.max(1, (System.nanoTime() - due) / 1000);
                                if (answer.failed()) {
                                    counts[1]++;
                                } else if (answer.result() < 400) {
                                    ok.recordValue(Math.min(micros, ok.getHighestTrackableValue()));
                                } else if (answer.result() == 429 || answer.result() == 503) {
                                    shed.recordValue(Math.min(micros, shed.getHighestTrackableValue()));
                                } else {
                                    counts[0]++;
                                }
                                if (++counts[2] == total) {
                                    finished.complete(null);
                                }
                            });
                }
                if (next[0] == total) {
                    vertx.cancelTimer(timer);
                }
            }));
            try {
                finished.get(duration.plus(timeout).plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the fixed-rate run did not finish: " + e, e);
            }
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            vertx.runOnContext(end -> outcome.complete(
                    new Outcome(rate, duration.toNanos() / 1e9, ok.copy(), shed.copy(), counts[0], counts[1])));
            try {
                return outcome.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(e);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
