package dev.tandem.hotpath.limits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LoadSheddingTest.TwoInFlight.class)
@WithTestResource(TestServersResource.class)
class LoadSheddingTest {

    public static class TwoInFlight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tandem.http.max-in-flight", "2");
        }
    }

    /** An API request that is answered only when the test lets it (test sources only; not documented). */
    @Path("/api/v1/test-hold")
    public static class HoldResource {

        static volatile CompletableFuture<String> release = new CompletableFuture<>();

        @GET
        @Operation(hidden = true)
        public Uni<String> hold() {
            return Uni.createFrom().completionStage(release);
        }
    }

    @Inject
    LoadShedding shedding;

    @TestHTTPResource("/api/v1/test-hold")
    URL hold;

    @Test
    void pastTheLimitAnApiRequestIsShedAtOnceWith503AndRetryAfterWhileProbesStillAnswer() throws Exception {
        HoldResource.release = new CompletableFuture<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(hold.toString()))
                    .timeout(Duration.ofSeconds(30))
                    .build();
            List<CompletableFuture<HttpResponse<String>>> held = List.of(
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()),
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (shedding.inFlight() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(shedding.inFlight()).isEqualTo(2);

            given().get("/api/v1/models")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "1")
                    .contentType("application/problem+json")
                    .body("status", equalTo(503))
                    .body("instance", equalTo("/api/v1/models"));
            given().get("/q/health/live").then().statusCode(200);
            String shed = given().get("/q/metrics").asString();
            assertThat(shed).containsPattern("tandem_http_shed_total(\\{[^}]*\\})? [1-9]");

            HoldResource.release.complete("done");
            for (CompletableFuture<HttpResponse<String>> answer : held) {
                assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (shedding.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(shedding.inFlight()).isZero();
        given().get("/api/v1/models").then().statusCode(401);
    }
}
