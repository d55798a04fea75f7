package dev.tandem.hotpath.limits;

import static dev.tandem.hotpath.TestData.PATIENCE;
import static dev.tandem.hotpath.limits.LoadSheddingTest.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wait itself: a request that waited {@code max-wait} for a place is shed then. */
@QuarkusTest
@TestProfile(LoadSheddingMaxWaitTest.OneInFlightOneWaitingOneSecond.class)
@WithTestResource(TestServersResource.class)
class LoadSheddingMaxWaitTest {

    public static class OneInFlightOneWaitingOneSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tandem.http.max-in-flight", "1",
                    "tandem.http.max-waiting", "1",
                    "tandem.http.max-wait", "1s");
        }
    }

    @Inject
    LoadShedding shedding;

    @TestHTTPResource("/api/v1/test-hold/")
    URL hold;

    @Test
    void aWaiterIsShedOnceItsMaxWaitIsOver() throws Exception {
        given().get("/q/health/live").then().statusCode(200);
        try (HttpClient http = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> held = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(hold + "max-wait"))
                            .timeout(PATIENCE)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            await(() -> shedding.inFlight() == 1);

            long askedAt = System.nanoTime();
            given().get("/api/v1/models").then().statusCode(503).header("Retry-After", "1");
            // A lower bound only (the timeout is the behaviour under test): a slow machine waits longer, never less.
            assertThat(Duration.ofNanos(System.nanoTime() - askedAt))
                    .as("it waited for a place until max-wait")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(990));
            assertThat(shedding.waiting()).isZero();
            assertThat(given().get("/q/metrics").asString()).containsPattern("tandem_http_shed_total(\\{[^}]*\\})? 1");

            LoadSheddingTest.HoldResource.release("max-wait");
            assertThat(held.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode())
                    .isEqualTo(200);
        }
        await(() -> shedding.inFlight() == 0);
    }
}
