package dev.tandem.hotpath.limits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LimitsTest.SmallBuckets.class)
@WithTestResource(TestServersResource.class)
class LimitsTest {

    public static class SmallBuckets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tandem.rate-limit.capacity", "5",
                    "tandem.rate-limit.per-minute", "1",
                    "tandem.rate-limit.anonymous-capacity", "3",
                    "tandem.rate-limit.anonymous-per-minute", "1");
        }
    }

    @Test
    void anAccountPastItsBucketGets429WithRetryAfter() {
        long id = TestData.insertUser("Eager", "ACTIVE");
        String token = TestIssuer.token(id, "USER");
        for (int remaining = 4; remaining >= 0; remaining--) {
            given().auth()
                    .oauth2(token)
                    .get("/api/v1/me")
                    .then()
                    .statusCode(200)
                    .header("RateLimit-Limit", "5")
                    .header("RateLimit-Remaining", Integer.toString(remaining));
        }

        Response refused = given().auth().oauth2(token).get("/api/v1/me");

        refused.then().statusCode(429).contentType("application/problem+json").body("status", equalTo(429));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        long other = TestData.insertUser("Patient", "ACTIVE");
        given().auth()
                .oauth2(TestIssuer.token(other, "USER"))
                .get("/api/v1/me")
                .then()
                .statusCode(200);
    }

    @Test
    void failedAuthenticationsAreThrottledPerAddress() {
        int status = 0;
        for (int attempt = 0; attempt < 6 && status != 429; attempt++) {
            status = given().auth()
                    .oauth2("tdm_aaaaaaaaaaaa_" + "A".repeat(43))
                    .get("/api/v1/me")
                    .statusCode();
        }

        assertThat(status).isEqualTo(429);
    }

    @Test
    void everyAuthenticatedCallIsMeteredPerDay() {
        long id = TestData.insertUser("Metered", "ACTIVE");
        String key = TestData.insertApiKey(id, "profile:read");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(key).get("/api/v1/me").then().statusCode(200);
        }

        await().atMost(TestData.PATIENCE)
                .untilAsserted(() -> assertThat(TestData.queryLong(
                                "select coalesce(sum(quantity), 0) from usage_counters"
                                        + " where user_id = ? and metric = 'api.calls'"
                                        + " and day = (now() at time zone 'utc')::date",
                                id))
                        .isEqualTo(3));
        assertThat(TestData.queryLong(
                        "select count(*) from api_key_usage where key_id = ? and last_used_at > now() - interval '1 minute'",
                        key.substring(4, 16)))
                .as("the key's last use, for core-app's key list")
                .isEqualTo(1);
        // The same increments went to core-app as usage.recorded, in the flush's transaction.
        assertThat(TestData.queryLong(
                        "select coalesce(sum((e ->> 'quantity')::bigint), 0) from outbox o,"
                                + " jsonb_array_elements(o.payload -> 'data' -> 'entries') e"
                                + " where o.event_type = 'usage.recorded' and (e ->> 'userId')::bigint = ?"
                                + " and e ->> 'metric' = 'api.calls'",
                        id))
                .isEqualTo(3);
        String event = TestData.queryString(
                "select payload::text from outbox o where o.event_type = 'usage.recorded'"
                        + " and exists (select 1 from jsonb_array_elements(o.payload -> 'data' -> 'entries') e"
                        + " where (e ->> 'userId')::bigint = ?) limit 1",
                id);
        dev.tandem.schema.contracts.ContractValidator.assertValid(event);
    }
}
