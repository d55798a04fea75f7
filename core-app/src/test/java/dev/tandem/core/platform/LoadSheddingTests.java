package dev.tandem.core.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
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
    private final LoadShedding shedding = new LoadShedding(2, meters);

    @Test
    void pastTheLimitARequestIsShedAtOnceWhileHealthAndTheAdmittedOnesGoOn() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        FilterChain holding = (request, response) -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ((MockHttpServletResponse) response).setStatus(200);
        };
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<MockHttpServletResponse> first = threads.submit(() -> call("/api/bench/users/1", holding));
            Future<MockHttpServletResponse> second = threads.submit(() -> call("/dashboard", holding));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(shedding.inFlight()).isEqualTo(2);

            MockHttpServletResponse api = call("/api/v1/auth/token", (request, response) -> {});
            assertThat(api.getStatus()).isEqualTo(503);
            assertThat(api.getHeader("Retry-After")).isEqualTo("1");
            assertThat(api.getContentType()).startsWith("application/problem+json");
            assertThat(api.getContentAsString()).contains("\"status\":503");
            MockHttpServletResponse page = call("/posts", (request, response) -> {});
            assertThat(page.getStatus()).isEqualTo(503);
            assertThat(page.getContentType()).startsWith("text/html");
            MockHttpServletResponse health = call(
                    "/actuator/health", (request, response) -> ((MockHttpServletResponse) response).setStatus(200));
            assertThat(health.getStatus()).isEqualTo(200);
            assertThat(meters.get("tandem.http.shed").counter().count()).isEqualTo(2.0);
            assertThat(meters.get("tandem.http.in_flight").gauge().value()).isEqualTo(2.0);

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            assertThat(second.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        }
        assertThat(shedding.inFlight()).isZero();
        assertThat(call(
                                "/api/bench/users/1",
                                (request, response) -> ((MockHttpServletResponse) response).setStatus(200))
                        .getStatus())
                .isEqualTo(200);
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
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        shedding.doFilter(request, response, chain);
        return response;
    }
}
