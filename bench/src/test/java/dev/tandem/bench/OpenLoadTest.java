package dev.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenLoadTest {

    private HttpServer server;
    private URI base;

    @BeforeEach
    void server() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes());
            exchange.close();
        });
        server.createContext("/busy", exchange -> {
            exchange.getResponseHeaders().add("Retry-After", "1");
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        // A slow server: each answer leaves 100 ms after its request arrived (what the test measures).
        server.createContext(
                "/slow",
                exchange -> CompletableFuture.runAsync(
                        () -> {
                            try {
                                exchange.sendResponseHeaders(200, -1);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            } finally {
                                exchange.close();
                            }
                        },
                        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsOnScheduleAndSortsTheAnswers() throws Exception {
        OpenLoad.Outcome outcome = OpenLoad.run(
                base,
                i -> new OpenLoad.Call(HttpMethod.GET, i % 4 == 0 ? "/busy" : "/ok", Map.of(), null),
                400,
                Duration.ofSeconds(1),
                16,
                Duration.ofSeconds(5));

        assertThat(outcome.requests()).isEqualTo(400);
        assertThat(outcome.shed().getTotalCount()).isEqualTo(100);
        assertThat(outcome.ok().getTotalCount()).isEqualTo(300);
        assertThat(outcome.failed()).isZero();
        assertThat(outcome.okPerSecond()).isEqualTo(300.0);
    }

    @Test
    void latencyCountsFromTheDueTimeSoQueueingShows() throws Exception {
        // One connection, answers taking 100 ms, 20 due per second: each request waits for the ones
        // before it. A closed-model tool would report about 100 ms for all; here the last ones
        // report the queue they stood in (about 1 s by the end of the run).
        OpenLoad.Outcome outcome = OpenLoad.run(
                base,
                i -> new OpenLoad.Call(HttpMethod.GET, "/slow", Map.of(), null),
                20,
                Duration.ofSeconds(1),
                1,
                Duration.ofSeconds(10));

        assertThat(outcome.ok().getTotalCount()).isEqualTo(20);
        assertThat(outcome.ok().getMinValue()).isGreaterThanOrEqualTo(100_000L);
        assertThat(outcome.ok().getMaxValue()).isGreaterThan(900_000L);
        assertThat(outcome.ok().getMaxValue() - outcome.ok().getMinValue())
                .as("the last request stood in the queue of all before it")
                .isGreaterThan(700_000L);
    }

    @Test
    void theOverloadTargetNeedsEveryRequestAnsweredAndTheSheddingFast() {
        FixedRate.Row fast = row("fast", 100, 100, 2_000, 0);
        FixedRate.Row slowShedding = row("slow shedding", 100, 100, 250_000, 0);
        FixedRate.Row timingOut = row("timing out", 100, 100, 2_000, 3);
        FixedRate.Row notShedding = row("not shedding", 200, 0, 0, 0);

        assertThat(ReportFiles.overload(List.of(fast)).met()).isEqualTo(Optional.of(true));
        assertThat(ReportFiles.overload(List.of(fast, slowShedding)).met()).isEqualTo(Optional.of(false));
        assertThat(ReportFiles.overload(List.of(fast, timingOut)).met()).isEqualTo(Optional.of(false));
        assertThat(ReportFiles.overload(List.of(notShedding)).met()).isEqualTo(Optional.of(false));
        assertThat(Report.fixedRateTable(List.of(fast, notShedding)))
                .contains("| b. | overload 10 × | fast | 2,000 | 100 | 5.00 ms |")
                .contains("| 100 | 2.00 ms | 0 | 0 |")
                .contains("| b. | overload 10 × | not shedding | 2,000 | 200 |");
    }

    /** An overload run of 1 s: {@code ok} answers in 5 ms, {@code shed} in {@code shedMicros}, {@code failed} lost. */
    private static FixedRate.Row row(String service, int ok, int shed, long shedMicros, long failed) {
        Histogram answered = new Histogram(3);
        Histogram turnedAway = new Histogram(3);
        answered.recordValueWithCount(5_000, ok);
        if (shed > 0) {
            turnedAway.recordValueWithCount(shedMicros, shed);
        }
        OpenLoad.Outcome outcome = new OpenLoad.Outcome(2_000, 1, answered, turnedAway, 0, failed);
        return new FixedRate.Row(
                "b", "b.", "overload 10 ×", service, 2_000, outcome, 0, new FixedRate.Cores(1, 0.5, 0.5), 0, "raw/x");
    }
}
