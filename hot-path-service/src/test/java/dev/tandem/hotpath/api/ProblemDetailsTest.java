package dev.tandem.hotpath.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestServersResource.class)
class ProblemDetailsTest {

    @Test
    void keepsTheHeadersOfTheFailure() {
        given().get("/test/problems/throttled")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "7")
                .body("title", equalTo("Too Many Requests"))
                .body("detail", equalTo("Slow down."));
    }

    @Test
    void reportsInvalidInputFieldByField() {
        given().contentType("application/json")
                .body("{\"title\":\" \",\"body\":\"far too long\"}")
                .queryParam("limit", 99)
                .post("/test/problems/drafts")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tandem.dev/problems/validation"))
                .body("errors.pointer", org.hamcrest.Matchers.containsInAnyOrder("/title", "/body", "limit"));
    }

    @Test
    void hidesTheCauseOfAnUnexpectedFailure() {
        given().get("/test/problems/broken")
                .then()
                .statusCode(500)
                .contentType("application/problem+json")
                .body("detail", containsString("Quote incident"))
                .body(not(containsString("secret internals")))
                .body(not(containsString("IllegalStateException")));
    }
}
