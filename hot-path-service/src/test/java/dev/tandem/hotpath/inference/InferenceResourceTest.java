package dev.tandem.hotpath.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestServersResource.class)
class InferenceResourceTest {

    private long user;
    private String token;

    @BeforeEach
    void caller() {
        TestData.awaitReady(); // the model is loaded
        user = TestData.insertUser("Embedder", "ACTIVE");
        token = TestIssuer.token(user, "USER");
    }

    @Test
    void listsTheModels() {
        given().auth()
                .oauth2(token)
                .get("/api/v1/models")
                .then()
                .statusCode(200)
                .body("models[0].name", equalTo("bge-small-en-v1.5"))
                .body("models[0].task", equalTo("embedding"))
                .body("models[0].dimensions", equalTo(384))
                .body("models[0].maxTokens", equalTo(256))
                .body("models.name", equalTo(List.of("bge-small-en-v1.5", "sentiment", "spam")))
                .body("models[1].task", equalTo("classification"))
                .body("models[1].labels", equalTo(List.of("negative", "positive")))
                .body("models[1].encoder", equalTo("bge-small-en-v1.5"))
                .body("models[1].metrics.heldOutAccuracy", org.hamcrest.Matchers.greaterThan(0.9f))
                .body("models[2].labels", equalTo(List.of("ham", "spam")))
                .body("models[1].metrics.lexicalFallbackHeldOutAccuracy", org.hamcrest.Matchers.greaterThan(0.8f));
    }

    @Test
    void classifiesWithTheNamedModel() {
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "input",
                        List.of("I loved every minute, wonderful service.", "Terrible. It broke after a day.")))
                .post("/api/v1/inference/sentiment")
                .then()
                .statusCode(200)
                .body("model", equalTo("sentiment"))
                .body("results.label", equalTo(List.of("positive", "negative")))
                .body("results[0].scores.positive", org.hamcrest.Matchers.greaterThan(0.8f));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "input",
                        List.of(
                                "CLICK HERE to claim your FREE prize!!! Limited offer, act now and earn $$$ from home,"
                                        + " no experience needed. Unsubscribe below.",
                                "Thanks for the notes from Tuesday's meeting. I will send the revised schedule to"
                                        + " the team tomorrow morning.")))
                .post("/api/v1/inference/spam")
                .then()
                .statusCode(200)
                .body("results.label", equalTo(List.of("spam", "ham")));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("input", "hello"))
                .post("/api/v1/inference/toxicity")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("sentiment, spam"));
    }

    @Test
    void embedsOneTextOrAListInOrderAndMetersTheTokens() throws Exception {
        Response one = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("input", "The weather is lovely today."))
                .post("/api/v1/embeddings");
        one.then().statusCode(200).body("data", hasSize(1)).body("data[0].embedding", hasSize(384));

        Response list = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "input",
                        List.of("My invoice was charged twice.", "The weather is lovely today.", "word ".repeat(500))))
                .post("/api/v1/embeddings");
        list.then()
                .statusCode(200)
                .body("model", equalTo("bge-small-en-v1.5"))
                .body("data.index", equalTo(List.of(0, 1, 2)))
                .body("data[2].truncated", equalTo(true))
                .body("data[2].tokens", equalTo(256))
                .body("data[0].truncated", equalTo(false));
        List<Float> alone = one.path("data[0].embedding");
        List<Float> second = list.path("data[1].embedding");
        assertThat(cosine(alone, second))
                .as("same text, same meaning, in any batch")
                .isGreaterThan(0.99);
        int tokens = list.path("usage.tokens");
        assertThat(tokens).isEqualTo(list.<Integer>path("data[0].tokens") + list.<Integer>path("data[1].tokens") + 256);

        int total = one.<Integer>path("usage.tokens") + tokens;
        assertThat(TestData.meteredUsage(user, "inference.tokens", total)).isEqualTo(total);
    }

    @Test
    void refusesBadInputWithTheFieldsThatAreWrong() {
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("input", Collections.nCopies(65, "x")))
                .post("/api/v1/embeddings")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/input"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("input", List.of("fine", "  ")))
                .post("/api/v1/embeddings")
                .then()
                .statusCode(422)
                .body("errors[0].pointer", equalTo("/input/1"))
                .body("errors[0].detail", equalTo("must not be blank"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("input", List.of()))
                .post("/api/v1/embeddings")
                .then()
                .statusCode(422);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"input\": {\"text\": \"an object\"}}")
                .post("/api/v1/embeddings")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
    }

    @Test
    void needsTheInferenceScope() {
        given().auth()
                .oauth2(TestIssuer.token(user, "USER", "content:read"))
                .contentType(ContentType.JSON)
                .body(Map.of("input", "hello"))
                .post("/api/v1/embeddings")
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(Map.of("input", "hello"))
                .post("/api/v1/embeddings")
                .then()
                .statusCode(401);
    }

    /**
     * 64 callers at once, 64 texts each: 4 096 texts against a queue of 512. Embeddings that fit
     * are answered; the others are refused at once with 503 and Retry-After (the queue is full),
     * never left to time out. Classifications are never refused: when the encoder is full, the
     * lexical fallback answers, and says so.
     */
    @Test
    void whenSaturatedEmbeddingsAreRefusedAtOnceAndClassificationsFallBack() throws Exception {
        List<String> texts = IntStream.range(0, 64)
                .mapToObj(i -> "Text number " + i + " about queues, batches and back-pressure in a busy service.")
                .toList();
        List<Response> embedded = new ArrayList<>();
        List<Response> classified = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(64)) {
            List<Future<Response>> embedding = new ArrayList<>();
            List<Future<Response>> classifying = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                long caller = TestData.insertUser("Flood " + i, "ACTIVE");
                String callerToken = TestIssuer.token(caller, "USER");
                String path = i % 2 == 0 ? "/api/v1/embeddings" : "/api/v1/inference/sentiment";
                (i % 2 == 0 ? embedding : classifying)
                        .add(callers.submit(() -> given().auth()
                                .oauth2(callerToken)
                                .contentType(ContentType.JSON)
                                .body(Map.of("input", texts))
                                .post(path)));
            }
            for (Future<Response> response : embedding) {
                embedded.add(response.get());
            }
            for (Future<Response> response : classifying) {
                classified.add(response.get());
            }
        }
        List<Response> refused =
                embedded.stream().filter(r -> r.statusCode() == 503).toList();
        assertThat(embedded).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 503);
        assertThat(embedded).anyMatch(r -> r.statusCode() == 200);
        assertThat(refused).isNotEmpty();
        for (Response r : refused) {
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.header("Retry-After")).isEqualTo("1");
            assertThat(r.<String>path("detail")).contains("at capacity");
        }
        assertThat(classified).allMatch(r -> r.statusCode() == 200);
        assertThat(classified).as("some answered by the fallback").anyMatch(r -> r.<Boolean>path("fallback"));
        for (Response r : classified) {
            assertThat(r.<List<String>>path("results.label")).hasSize(64).allMatch(label -> !label.isBlank());
            if (r.<Boolean>path("fallback")) {
                assertThat(r.<Integer>path("usage.tokens"))
                        .as("fallback answers are not metered")
                        .isZero();
            }
        }
    }

    private static double cosine(List<Float> a, List<Float> b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += a.get(i) * b.get(i);
        }
        return sum;
    }
}
