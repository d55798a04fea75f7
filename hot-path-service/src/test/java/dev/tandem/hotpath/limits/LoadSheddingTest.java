package dev.tandem.hotpath.limits;

import static dev.tandem.hotpath.TestData.PATIENCE;
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
import jakarta.ws.rs.PathParam;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LoadSheddingTest.TwoInFlightOneWaiting.class)
@WithTestResource(TestServersResource.class)
class LoadSheddingTest {

    /** A waiter keeps its place in the queue for as long as a test needs, however slow the machine. */
    public static class TwoInFlightOneWaiting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tandem.http.max-in-flight", "2",
                    "tandem.http.max-waiting", "1",
                    "tandem.http.max-wait", PATIENCE.toSeconds() + "s");
        }
    }

    /** API requests answered only when the test lets them, each by its name (test sources only; not documented). */
    @Path("/api/v1/test-hold/{name}")
    public static class HoldResource {

        static final Map<String, CompletableFuture<String>> RELEASE = new ConcurrentHashMap<>();

        @GET
        @Operation(hidden = true)
        public Uni<String> hold(@PathParam("name") String name) {
            return Uni.createFrom().completionStage(RELEASE.computeIfAbsent(name, n -> new CompletableFuture<>()));
        }

        static void release(String name) {
            RELEASE.computeIfAbsent(name, n -> new CompletableFuture<>()).complete(name);
        }
    }

    @Inject
    LoadShedding shedding;

    @TestHTTPResource("/api/v1/test-hold/")
    URL hold;

    @Test
    void pastTheLimitARequestWaitsForAPlaceAndPastTheQueueItIsShedWith503() throws Exception {
        given().get("/q/health/live").then().statusCode(200); // the client's first call is slow
        try (HttpClient http = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> first = held(http, "first");
            CompletableFuture<HttpResponse<String>> second = held(http, "second");
            await(() -> shedding.inFlight() == 2);

            CompletableFuture<HttpResponse<String>> third = held(http, "third");
            await(() -> shedding.waiting() == 1);
            given().get("/api/v1/models")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "1")
                    .contentType("application/problem+json")
                    .body("status", equalTo(503))
                    .body("instance", equalTo("/api/v1/models"));
            // Answered while the third still waits (its max-wait is far off): the refusal waited for nothing.
            assertThat(shedding.waiting()).as("the third still waits").isEqualTo(1);
            assertThat(third).as("the third still waits").isNotDone();
            given().get("/q/health/live").then().statusCode(200);
            // The models' calls have their own bounded queue: not counted here (401: no token).
            given().contentType("application/json")
                    .body("{\"input\": \"hello\"}")
                    .post("/api/v1/embeddings")
                    .then()
                    .statusCode(401);
            assertThat(LoadShedding.ownLimits("/api/v1/inference/sentiment")).isTrue();
            assertThat(LoadShedding.ownLimits("/api/v1/files/0b6f3c2e-6d1a-4d8e-9a7f-1c2d3e4f5a6b"))
                    .isTrue();
            assertThat(LoadShedding.ownLimits("/api/v1/inference/jobs")).isFalse();
            assertThat(LoadShedding.ownLimits("/api/v1/users/1/posts")).isFalse();

            HoldResource.release("first");
            assertThat(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode())
                    .isEqualTo(200);
            await(() -> shedding.waiting() == 0 && shedding.inFlight() == 2); // the third has the place
            assertThat(given().get("/q/metrics").asString())
                    .containsPattern("tandem_http_shed_total(\\{[^}]*\\})? [1-9]");

            HoldResource.release("second");
            HoldResource.release("third");
            assertThat(second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode())
                    .isEqualTo(200);
            assertThat(third.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body()).isEqualTo("third");
        }
        await(() -> shedding.inFlight() == 0);
        given().get("/api/v1/models").then().statusCode(401);
    }

    @Test
    void aWaiterWhoseClientWentAwayGivesItsPlaceOn() throws Exception {
        given().get("/q/health/live").then().statusCode(200);
        try (HttpClient http = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> first = held(http, "one");
            CompletableFuture<HttpResponse<String>> second = held(http, "two");
            await(() -> shedding.inFlight() == 2);
            try (java.net.Socket gone = new java.net.Socket(hold.getHost(), hold.getPort())) {
                gone.getOutputStream()
                        .write(("GET /api/v1/test-hold/gone HTTP/1.1\r\nHost: localhost\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                gone.getOutputStream().flush();
                await(() -> shedding.waiting() == 1);
            } // the client hangs up while it waits: its place is given on when it comes (or when the server sees the
            // close)

            HoldResource.release("one");
            assertThat(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode())
                    .isEqualTo(200);
            await(() -> shedding.waiting() == 0 && shedding.inFlight() == 1);
            HoldResource.release("two");
            assertThat(second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode())
                    .isEqualTo(200);
        }
        await(() -> shedding.inFlight() == 0);
    }

    private CompletableFuture<HttpResponse<String>> held(HttpClient http, String name) {
        return http.sendAsync(
                HttpRequest.newBuilder(URI.create(hold + name))
                        .timeout(PATIENCE)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void await(Callable<Boolean> condition) {
        Awaitility.await().atMost(PATIENCE).until(condition);
    }
}
