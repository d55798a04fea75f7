package dev.tandem.hotpath.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestServersResource.class)
class InferenceJobTest {

    private long user;
    private String token;

    @BeforeEach
    void caller() {
        TestData.awaitReady(); // the model is loaded
        user = TestData.insertUser("Batcher", "ACTIVE");
        token = TestIssuer.token(user, "USER");
    }

    @Test
    void aJobIsAcceptedAtOnceThenRunsInTheBackgroundToItsResultsAndIsMetered() throws InterruptedException {
        Response accepted = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        "sentiment",
                        "texts",
                        List.of(
                                "I loved every minute, wonderful service.",
                                "Terrible. It broke after a day.",
                                "Great value, would buy again.")))
                .post("/api/v1/inference/jobs");

        accepted.then()
                .statusCode(202)
                .header("Location", matchesPattern("^http://[^/]+/api/v1/inference/jobs/[0-9a-f-]{36}$"))
                .body("status", equalTo("queued"))
                .body("total", equalTo(3))
                .body("done", equalTo(0));
        String location = accepted.header("Location");
        assertThat(accepted.jsonPath().getString("id")).isEqualTo(location.substring(location.lastIndexOf('/') + 1));

        JsonPath done = awaitFinished(location, token);
        assertThat(done.getString("status")).isEqualTo("done");
        assertThat(done.getInt("done")).isEqualTo(3);
        assertThat(done.getList("results.index", Integer.class)).containsExactly(0, 1, 2);
        assertThat(done.getList("results.label", String.class)).containsExactly("positive", "negative", "positive");
        assertThat(done.getFloat("results[0].scores.positive")).isGreaterThan(0.8f);
        assertThat(Instant.parse(done.getString("finishedAt")))
                .isAfterOrEqualTo(Instant.parse(done.getString("startedAt")));
        long tokens = done.getList("results.tokens", Integer.class).stream()
                .mapToLong(Integer::longValue)
                .sum();
        assertThat(tokens).isPositive();
        assertThat(TestData.queryString(
                        "select coalesce(texts::text, 'dropped') from inference_jobs where id = ?::uuid",
                        location.substring(location.lastIndexOf('/') + 1)))
                .as("the input is dropped once the job is done")
                .isEqualTo("dropped");
        assertThat(TestData.meteredUsage(user, "inference.tokens", tokens)).isEqualTo(tokens);
    }

    @Test
    void badInputIsRefusedFieldByFieldAndWritesNothing() {
        long before = TestData.queryLong("select count(*) from inference_jobs where user_id = ?", user);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("model", "toxicity", "texts", List.of("fine", "  ")))
                .post("/api/v1/inference/jobs")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.pointer", hasItem("/model"))
                .body("errors.pointer", hasItem("/texts/1"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("model", "spam", "texts", List.of()))
                .post("/api/v1/inference/jobs")
                .then()
                .statusCode(422)
                .body("errors.pointer", hasItem("/texts"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"model\": \"spam\", \"texts\": [")
                .post("/api/v1/inference/jobs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(TestData.queryLong("select count(*) from inference_jobs where user_id = ?", user))
                .isEqualTo(before);
    }

    @Test
    void aJobIsTheirsAloneAndARetriedStartMakesOneJob() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("model", "spam", "texts", List.of("Thanks for the notes from Tuesday."));
        Response first = given().auth()
                .oauth2(token)
                .header("Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/inference/jobs");
        Response again = given().auth()
                .oauth2(token)
                .header("Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/inference/jobs");

        first.then().statusCode(202);
        again.then().statusCode(202).header("Idempotent-Replayed", "true");
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(TestData.queryLong("select count(*) from inference_jobs where user_id = ?", user))
                .isEqualTo(1);
        long stranger = TestData.insertUser("Stranger", "ACTIVE");
        given().auth()
                .oauth2(TestIssuer.token(stranger, "USER"))
                .get(first.header("Location"))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(token)
                .get("/api/v1/inference/jobs/not-a-uuid")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestIssuer.token(user, "USER", "profile:read"))
                .get(first.header("Location"))
                .then()
                .statusCode(403);
    }

    @Test
    void aJobWhoseWorkerDiedIsTakenAgainWhenItsLeaseRunsOutAndFailsAfterThreeAttempts() throws InterruptedException {
        UUID resumed = UUID.randomUUID();
        UUID exhausted = UUID.randomUUID();
        TestData.execute(
                "insert into inference_jobs (id, user_id, model, status, total, texts, attempts, lease_until, started_at)"
                        + " values (?::uuid, ?, 'sentiment', 'running', 1, '[\"What a lovely day.\"]', 1,"
                        + " now() - interval '1 second', now() - interval '20 minutes')",
                resumed.toString(),
                user);
        TestData.execute(
                "insert into inference_jobs (id, user_id, model, status, total, texts, attempts, lease_until, started_at)"
                        + " values (?::uuid, ?, 'sentiment', 'running', 1, '[\"What a lovely day.\"]', 3,"
                        + " now() - interval '1 second', now() - interval '50 minutes')",
                exhausted.toString(),
                user);

        JsonPath second = awaitFinished("/api/v1/inference/jobs/" + resumed, token);
        JsonPath fourth = awaitFinished("/api/v1/inference/jobs/" + exhausted, token);

        assertThat(second.getString("status")).isEqualTo("done");
        assertThat(second.getList("results.label", String.class)).containsExactly("positive");
        assertThat(TestData.queryLong("select attempts from inference_jobs where id = ?::uuid", resumed.toString()))
                .isEqualTo(2);
        assertThat(fourth.getString("status")).isEqualTo("failed");
        assertThat(fourth.getString("error")).contains("interrupted 3 times");
    }

    private static JsonPath awaitFinished(String location, String token) {
        return await().alias("the job at " + location + " is done or failed")
                .atMost(TestData.PATIENCE)
                .until(
                        () -> given().auth()
                                .oauth2(token)
                                .get(location)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        job -> List.of("done", "failed").contains(job.getString("status")));
    }
}
