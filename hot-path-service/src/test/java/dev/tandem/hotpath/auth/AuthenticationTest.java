package dev.tandem.hotpath.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.tandem.devstack.testing.TestServers;
import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import dev.tandem.schema.contracts.ContractValidator;
import dev.tandem.schema.events.Events;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestServersResource.class)
class AuthenticationTest {

    @Test
    void anAccessTokenFromCoreAppIsAccepted() {
        long id = TestData.insertUser("Token User", "ACTIVE");

        me(TestIssuer.token(id, "USER"))
                .statusCode(200)
                .body("id", equalTo((int) id))
                .body("displayName", equalTo("Token User"))
                .body("authenticatedWith", equalTo("token"))
                .body("scopes", hasItems("profile:read", "content:write"));
    }

    @Test
    void noCredentialsIs401WithAChallenge() {
        given().get("/api/v1/me")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"tandem\"")
                .body("status", equalTo(401));
    }

    @Test
    void tokensThatAreNotValidAre401() {
        long id = TestData.insertUser("Victim", "ACTIVE");
        long past = Instant.now().minus(Duration.ofHours(1)).getEpochSecond();

        for (String token : new String[] {
            "not-a-jwt",
            TestIssuer.forged(id),
            TestIssuer.token(id, claims -> claims.setExpirationTime(NumericDate.fromSeconds(past))),
            TestIssuer.token(id, claims -> claims.setAudience("someone-else")),
            TestIssuer.token(id, claims -> claims.setIssuer("https://evil.example")),
        }) {
            me(token)
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", containsString("invalid_token"));
        }
    }

    @Test
    void aTokenSignedByANewlyPublishedKeyIsAcceptedAfterARefetch() throws InterruptedException {
        long id = TestData.insertUser("Rotated", "ACTIVE");
        me(TestIssuer.token(id, "USER")).statusCode(200);

        TestIssuer.rotate();

        // An unknown kid makes the service refetch the JWKS (at most once a second in tests,
        // every 30 s in production, where core-app publishes a successor a day ahead anyway).
        awaitStatus(TestIssuer.token(id, "USER"), 200);
    }

    @Test
    void aTokenWithoutTheScopeIs403() {
        long id = TestData.insertUser("Narrow", "ACTIVE");

        me(TestIssuer.token(id, "USER", "content:read")).statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aTokenOfAClosedAccountStopsWorkingWithTheAccountEvent() throws Exception {
        long id = TestData.insertUser("Closing", "ACTIVE");
        String token = TestIssuer.token(id, "USER");
        me(token).statusCode(200);
        TestData.execute("update users set status = 'DISABLED' where id = ?", id);

        publish("user.updated", """
                {"id":"%s","type":"user.updated","version":1,"occurredAt":"%s","producer":"core-app",\
                "traceparent":null,"data":{"userId":%d,"displayName":"Closing","status":"DISABLED","updatedAt":"%s"}}""".formatted(UUID.randomUUID(), Instant.now(), id, Instant.now()));

        awaitStatus(token, 401);
    }

    @Test
    void anApiKeyIsAcceptedWithItsScopes() {
        long id = TestData.insertUser("Key User", "ACTIVE");
        String key = TestData.insertApiKey(id, "profile:read");

        me(key).statusCode(200)
                .body("id", equalTo((int) id))
                .body("authenticatedWith", equalTo("api-key"))
                .body("scopes", equalTo(java.util.List.of("profile:read")));
        given().auth().oauth2(key).get("/api/v1/posts").then().statusCode(403);
    }

    @Test
    void aWrongOrMalformedApiKeyIs401() {
        long id = TestData.insertUser("Key Owner", "ACTIVE");
        String key = TestData.insertApiKey(id, "profile:read");
        String wrongSecret = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");

        me(wrongSecret).statusCode(401).contentType("application/problem+json");
        me("tdm_short").statusCode(401).contentType("application/problem+json");
        me(key.replace("tdm_", "tdm_zz")).statusCode(401);
    }

    @Test
    void aRevokedApiKeyStopsWorkingWithTheRevocationEvent() throws Exception {
        long id = TestData.insertUser("Revoker", "ACTIVE");
        String key = TestData.insertApiKey(id, "profile:read");
        me(key).statusCode(200);
        String keyId = key.substring(4, 16);
        TestData.execute("update api_keys set revoked_at = now() where id = ?", keyId);
        me(key).statusCode(200); // still cached: only the event (or a minute) drops it

        publish("api_key.revoked", """
                {"id":"%s","type":"api_key.revoked","version":1,"occurredAt":"%s","producer":"core-app",\
                "traceparent":null,"data":{"keyId":"%s","userId":%d,"revokedAt":"%s"}}""".formatted(UUID.randomUUID(), Instant.now(), keyId, id, Instant.now()));

        awaitStatus(key, 401);
    }

    private static ValidatableResponse me(String token) {
        return given().auth().oauth2(token).get("/api/v1/me").then();
    }

    private static void awaitStatus(String token, int status) {
        await().atMost(TestData.PATIENCE)
                .untilAsserted(() -> assertThat(
                                given().auth().oauth2(token).get("/api/v1/me").statusCode())
                        .isEqualTo(status));
    }

    static void publish(String routingKey, String message) throws Exception {
        ContractValidator.assertValid(message);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServers.amqpUri());
        try (Connection connection = factory.newConnection();
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.exchangeDeclare(Events.EXCHANGE, "topic", true); // as any publisher does
            channel.basicPublish(
                    Events.EXCHANGE,
                    routingKey,
                    new AMQP.BasicProperties.Builder()
                            .messageId(UUID.randomUUID().toString())
                            .contentType("application/json")
                            .deliveryMode(2)
                            .build(),
                    message.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }
    }
}
