package dev.tandem.core.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class LoadSheddingTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LoadShedding shedding = new LoadShedding(2, 1, Duration.ofSeconds(1), meters);

    /** A chain that answers 200 when {@code release} opens. */
    private static FilterChain holding(CountDownLatch release) {
        return (request, response) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ((MockHttpServletResponse) response).setStatus(200);
        };
    }

    private static final FilterChain ANSWERING =
            (request, response) -> ((MockHttpServletResponse) response).setStatus(200);

    @Test
    void pastTheLimitARequestWaitsBrieflyForAPlaceAndPastTheQueueOrTheWaitItIsShed() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseOthers = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<MockHttpServletResponse> first =
                    threads.submit(() -> call("/api/bench/users/1", holding(releaseFirst)));
            Future<MockHttpServletResponse> second = threads.submit(() -> call("/dashboard", holding(releaseOthers)));
            await(() -> shedding.inFlight() == 2);
            Future<MockHttpServletResponse> third = threads.submit(() -> call("/posts", holding(releaseOthers)));
            await(() -> meters.get("tandem.http.waiting").gauge().value() == 1.0);

            long refusedAt = System.nanoTime();
            MockHttpServletResponse api = call("/api/v1/auth/token", ANSWERING);
            assertThat(Duration.ofNanos(System.nanoTime() - refusedAt))
                    .as("a full queue refuses without waiting out max-wait")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(meters.get("tandem.http.waiting").gauge().value())
                    .as("the third still waits")
                    .isEqualTo(1.0);
            assertThat(api.getStatus()).isEqualTo(503);
            assertThat(api.getHeader("Retry-After")).isEqualTo("1");
            assertThat(api.getContentType()).startsWith("application/problem+json");
            assertThat(api.getContentAsString()).contains("\"status\":503");
            assertThat(call("/actuator/health", ANSWERING).getStatus()).isEqualTo(200);

            releaseFirst.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            await(() -> meters.get("tandem.http.waiting").gauge().value() == 0.0 && shedding.inFlight() == 2);

            long askedAt = System.nanoTime();
            MockHttpServletResponse page = call("/posts", ANSWERING);
            assertThat(Duration.ofNanos(System.nanoTime() - askedAt))
                    .as("it waited for a place until max-wait")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(990));
            assertThat(page.getStatus()).isEqualTo(503);
            assertThat(page.getContentType()).startsWith("text/html");
            assertThat(meters.get("tandem.http.shed").counter().count()).isEqualTo(2.0);

            releaseOthers.countDown();
            assertThat(second.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            assertThat(third.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        }
        assertThat(shedding.inFlight()).isZero();
        assertThat(call("/api/bench/users/1", ANSWERING).getStatus()).isEqualTo(200);
    }

    @Test
    void zeroMeansSixteenPlacesPerProcessor() throws Exception {
        LoadShedding byDefault = new LoadShedding(0, 0, Duration.ofMillis(1), new SimpleMeterRegistry());
        int places = LoadShedding.PER_PROCESSOR * Runtime.getRuntime().availableProcessors();
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<MockHttpServletResponse>> held = new ArrayList<>();
            for (int i = 0; i < places; i++) {
                held.add(threads.submit(() -> call(byDefault, "/posts", holding(release))));
            }
            await(() -> byDefault.inFlight() == places);
            assertThat(call(byDefault, "/posts", ANSWERING).getStatus()).isEqualTo(503);
            release.countDown();
            for (Future<MockHttpServletResponse> answer : held) {
                assertThat(answer.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            }
        }
        assertThat(call(byDefault, "/posts", ANSWERING).getStatus()).isEqualTo(200);
    }

    @Test
    void aFailingRequestGivesItsPlaceBack() {
        FilterChain failing = (request, response) -> {
            throw new IllegalStateException("boom");
        };
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> call("/api/v1/me", failing)).hasMessage("boom");
        }
        assertThat(shedding.inFlight()).isZero();
    }

    private MockHttpServletResponse call(String path, FilterChain chain) throws Exception {
        return call(shedding, path, chain);
    }

    private static MockHttpServletResponse call(LoadShedding filter, String path, FilterChain chain) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).as("within 10 s").isTrue();
    }
}
