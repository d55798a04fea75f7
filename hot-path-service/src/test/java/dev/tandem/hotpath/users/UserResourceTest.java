package dev.tandem.hotpath.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestServersResource.class)
class UserResourceTest {

    @Test
    void servesAPublicProfileWithoutPrivateFields() {
        long id = TestData.insertUser("Grace Hopper", "ACTIVE");

        given().when()
                .get("/api/v1/users/{id}", id)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("id", equalTo((int) id))
                .body("displayName", equalTo("Grace Hopper"))
                .body("$", hasKey("memberSince"))
                .body("$", not(hasKey("email")))
                .body("$", not(hasKey("status")));
    }

    @Test
    void anUnknownUserIsAProblem404() {
        given().when()
                .get("/api/v1/users/{id}", 987_654_321)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Not Found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("There is no user 987654321."))
                .body("instance", equalTo("/api/v1/users/987654321"));
    }

    @Test
    void closedAndDisabledAccountsHaveNoPublicProfile() {
        for (String status : new String[] {"DELETED", "DISABLED"}) {
            long id = TestData.insertUser("Gone " + status, status);

            given().when().get("/api/v1/users/{id}", id).then().statusCode(404).contentType("application/problem+json");
        }
    }

    @Test
    void aMalformedIdOrPathIsAProblem404NotAnError() {
        given().when().get("/api/v1/users/abc").then().statusCode(404).contentType("application/problem+json");
        given().when()
                .get("/api/v1/no-such-thing")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("instance", equalTo("/api/v1/no-such-thing"));
    }

    @Test
    void aWrongMethodIsAProblem405() {
        given().when()
                .post("/api/v1/users/1")
                .then()
                .statusCode(405)
                .contentType("application/problem+json")
                .body("status", equalTo(405));
    }
}
