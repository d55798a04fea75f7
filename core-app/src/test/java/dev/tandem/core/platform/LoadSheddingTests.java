package dev.tandem.core.platform;

import static dev.tandem.core.Waits.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class LoadSheddingTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // A waiter keeps its place in the queue for as long as the test needs it, however slow the machine.
    private final LoadShedding shedding = new LoadShedding(2, 1, PATIENCE, meters);

    /** A chain that answers 200 when {@code release} opens. */
    private static FilterChain holding(CountDownLatch release) {
        return (request, response) -> {
            try {
                release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ((MockHttpServletResponse) response).setStatus(200);
        };
    }

    private static final FilterChain ANSWERING =
            (request, response) -> ((MockHttpServletResponse) response).setStatus(200);

    @Test
    void pastTheLimitARequestWaitsForAPlaceAndPastTheQueueItIsShed() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseOthers = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<MockHttpServletResponse> first =
                    threads.submit(() -> call("/api/bench/users/1", holding(releaseFirst)));
            Future<MockHttpServletResponse> second = threads.submit(() -> call("/dashboard", holding(releaseOthers)));
            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(shedding.inFlight()).isEqualTo(2));
            Future<MockHttpServletResponse> third = threads.submit(() -> call("/posts", holding(releaseOthers)));
            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(waiting(meters)).isEqualTo(1.0));

            MockHttpServletResponse api = call("/api/v1/auth/token", ANSWERING);
            // Answered while the third still waits (its max-wait is far off): the refusal waited for nothing.
            assertThat(waiting(meters)).as("the third still waits").isEqualTo(1.0);
            assertThat(third).as("the third still waits").isNotDone();
            assertThat(api.getStatus()).isEqualTo(503);
            assertThat(api.getHeader("Retry-After")).isEqualTo("1");
            assertThat(api.getContentType()).startsWith("application/problem+json");
            assertThat(api.getContentAsString()).contains("\"status\":503");
            assertThat(call("/actuator/health", ANSWERING).getStatus()).isEqualTo(200);
            assertThat(meters.get("tandem.http.shed").counter().count()).isEqualTo(1.0);

            releaseFirst.countDown();
            assertThat(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getStatus())
                    .isEqualTo(200);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(waiting(meters)).as("waiting").isEqualTo(0.0);
                assertThat(shedding.inFlight())
                        .as("in flight: the third has the place")
                        .isEqualTo(2);
            });

            releaseOthers.countDown();
            assertThat(second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getStatus())
                    .isEqualTo(200);
            assertThat(third.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getStatus())
                    .isEqualTo(200);
        }
        assertThat(shedding.inFlight()).isZero();
        assertThat(call("/api/bench/users/1", ANSWERING).getStatus()).isEqualTo(200);
    }

    @Test
    void aWaiterIsShedOnceItsMaxWaitIsOver() throws Exception {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        LoadShedding brief = new LoadShedding(1, 1, Duration.ofSeconds(1), own);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<MockHttpServletResponse> held = threads.submit(() -> call(brief, "/posts", holding(release)));
            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(brief.inFlight()).isEqualTo(1));

            long askedAt = System.nanoTime();
            MockHttpServletResponse page = call(brief, "/posts", ANSWERING);
            assertThat(Duration.ofNanos(System.nanoTime() - askedAt))
                    .as("it waited for a place until max-wait")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(990));
            assertThat(page.getStatus()).isEqualTo(503);
            assertThat(page.getContentType()).startsWith("text/html");
            assertThat(own.get("tandem.http.shed").counter().count()).isEqualTo(1.0);
            assertThat(waiting(own)).isEqualTo(0.0);

            release.countDown();
            assertThat(held.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getStatus())
                    .isEqualTo(200);
        }
        assertThat(brief.inFlight()).isZero();
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
            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(byDefault.inFlight()).isEqualTo(places));
            assertThat(call(byDefault, "/posts", ANSWERING).getStatus()).isEqualTo(503);
            release.countDown();
            for (Future<MockHttpServletResponse> answer : held) {
                assertThat(answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getStatus())
                        .isEqualTo(200);
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

    private static double waiting(SimpleMeterRegistry registry) {
        return registry.get("tandem.http.waiting").gauge().value();
    }
}
