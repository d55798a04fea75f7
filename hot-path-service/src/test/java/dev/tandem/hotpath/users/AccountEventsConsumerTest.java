package dev.tandem.hotpath.users;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.tandem.devstack.testing.TestServers;
import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestServersResource;
import dev.tandem.schema.contracts.ContractValidator;
import dev.tandem.schema.events.Events;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestServersResource.class)
class AccountEventsConsumerTest {

    @Test
    void anAccountEventRefreshesTheCachedProfile() throws Exception {
        long id = TestData.insertUser("Before", "ACTIVE");
        given().get("/api/v1/users/{id}", id).then().body("displayName", equalTo("Before"));
        TestData.execute("update users set display_name = 'After' where id = ?", id);
        given().get("/api/v1/users/{id}", id).then().body("displayName", equalTo("Before"));

        publish(userRegistered(UUID.randomUUID(), id));

        awaitDisplayName(id, "After");
    }

    @Test
    void aRedeliveredMessageIsAppliedOnce() throws Exception {
        long id = TestData.insertUser("Twice", "ACTIVE");
        UUID messageId = UUID.randomUUID();
        String message = userRegistered(messageId, id);

        publish(message);
        publish(message);

        awaitInboxRows(messageId, 1);
        Thread.sleep(500);
        assertThat(inboxRows(messageId)).isEqualTo(1);
    }

    @Test
    void aMessageWithoutAContractIsNotApplied() throws Exception {
        long id = TestData.insertUser("Unchanged", "ACTIVE");
        UUID messageId = UUID.randomUUID();
        String unknownVersion = userRegistered(messageId, id).replace("\"version\":1", "\"version\":99");
        UUID marker = UUID.randomUUID();

        publish(unknownVersion);
        publish(userRegistered(marker, id));

        awaitInboxRows(marker, 1);
        assertThat(inboxRows(messageId)).isZero();
    }

    private static String userRegistered(UUID messageId, long userId) {
        String now = Instant.now().toString();
        String message = """
                {"id":"%s","type":"user.registered","version":1,"occurredAt":"%s","producer":"core-app",\
                "traceparent":null,"data":{"userId":%d,"displayName":"Someone","registeredAt":"%s"}}""".formatted(messageId, now, userId, now);
        if (message.contains("\"version\":1")) {
            ContractValidator.assertValid(message);
        }
        return message;
    }

    private static void publish(String message) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServers.amqpUri());
        String id = message.substring(7, 43);
        try (Connection connection = factory.newConnection();
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(
                    Events.EXCHANGE,
                    "user.registered",
                    new AMQP.BasicProperties.Builder()
                            .messageId(id)
                            .contentType("application/json")
                            .deliveryMode(2)
                            .build(),
                    message.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }
    }

    private static void awaitDisplayName(long id, String expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        String actual = null;
        while (Instant.now().isBefore(deadline)) {
            actual = given().get("/api/v1/users/{id}", id).then().extract().path("displayName");
            if (expected.equals(actual)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("display name still " + actual + " after 10 s");
    }

    private static void awaitInboxRows(UUID messageId, long expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (inboxRows(messageId) == expected) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("inbox rows for " + messageId + ": " + inboxRows(messageId));
    }

    private static long inboxRows(UUID messageId) {
        return TestData.queryLong(
                "select count(*) from inbox where consumer = ? and message_id = ?",
                AccountEventsConsumer.QUEUE,
                messageId.toString());
    }
}
