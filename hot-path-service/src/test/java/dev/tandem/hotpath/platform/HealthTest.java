package dev.tandem.hotpath.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestServersResource.class)
class HealthTest {

    @Test
    void readinessCoversTheDatabaseAndTheBroker() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(
                        "checks.name",
                        hasItems(
                                "Reactive PostgreSQL connections health check",
                                "SmallRye Reactive Messaging - readiness check"));
    }

    @Test
    void livenessAndMetricsAreServed() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
    }
}
