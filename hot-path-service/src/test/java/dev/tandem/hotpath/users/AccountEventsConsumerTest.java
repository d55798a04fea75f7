package dev.tandem.hotpath.users;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
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
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
    void aNewAccountHiddenByACachedMissAppearsWithItsEvent() throws Exception {
        long id = 50_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        given().get("/api/v1/users/{id}", id).then().statusCode(404);
        TestData.execute(
                "insert into users (id, email, display_name) values (?, ?, 'Newcomer')", id, id + "@example.com");
        given().get("/api/v1/users/{id}", id).then().statusCode(404);

        publish(userRegistered(UUID.randomUUID(), id));

        awaitDisplayName(id, "Newcomer");
    }

    @Test
    void aStaffEditInTheAdminRefreshesTheCachedProfile() throws Exception {
        long id = TestData.insertUser("Spam name", "ACTIVE");
        given().get("/api/v1/users/{id}", id).then().body("displayName", equalTo("Spam name"));
        TestData.execute("update users set display_name = 'Cleaned up' where id = ?", id);
        String now = Instant.now().toString();
        String changed = """
                {"id":"%s","type":"admin.record_changed","version":1,"occurredAt":"%s","producer":"core-app",\
                "traceparent":null,"data":{"table":"users","recordId":"%d","action":"changed","changedBy":1,\
                "changedAt":"%s"}}""".formatted(UUID.randomUUID(), now, id, now);
        ContractValidator.assertValid(changed);

        publish("admin.record_changed", changed);

        awaitDisplayName(id, "Cleaned up");
    }

    @Test
    void aClosedAccountDisappearsWithItsEvent() throws Exception {
        long id = TestData.insertUser("Leaving", "ACTIVE");
        given().get("/api/v1/users/{id}", id).then().statusCode(200);
        TestData.execute("update users set status = 'DELETED', display_name = 'Deleted user' where id = ?", id);

        String now = Instant.now().toString();
        String deleted = """
                {"id":"%s","type":"user.deleted","version":1,"occurredAt":"%s","producer":"core-app",\
                "traceparent":null,"data":{"userId":%d,"deletedAt":"%s"}}""".formatted(UUID.randomUUID(), now, id, now);
        ContractValidator.assertValid(deleted);
        publish("user.deleted", deleted);

        await().alias("the erased user answers 404")
                .atMost(TestData.PATIENCE)
                .until(() -> given().get("/api/v1/users/{id}", id).statusCode() == 404);
    }

    @Test
    void aRemovedMembersTokenIsRefusedAsSoonAsTheRemovalArrives() throws Exception {
        long owner = TestData.insertUser("Owner", "ACTIVE");
        long member = TestData.insertUser("Removed", "ACTIVE");
        long team = TestData.insertWorkspace(owner);
        TestData.join(team, member, "member");
        String token = dev.tandem.hotpath.TestIssuer.tokenIn(member, team, "member");
        given().auth().oauth2(token).get("/api/v1/posts").then().statusCode(200);
        // Removed in core-app: the membership cached at the first call still lets the token in.
        TestData.execute("delete from workspace_members where workspace_id = ? and user_id = ?", team, member);
        given().auth().oauth2(token).get("/api/v1/posts").then().statusCode(200);

        String now = Instant.now().toString();
        String removed = """
                {"id":"%s","type":"workspace.member_removed","version":1,"occurredAt":"%s","producer":"core-app",\
                "traceparent":null,"data":{"workspaceId":%d,"userId":%d,"removedAt":"%s"}}""".formatted(UUID.randomUUID(), now, team, member, now);
        ContractValidator.assertValid(removed);
        publish("workspace.member_removed", removed);

        await().alias("the removed member's token answers 401")
                .atMost(TestData.PATIENCE)
                .until(() -> given().auth().oauth2(token).get("/api/v1/posts").statusCode() == 401);
        given().auth()
                .oauth2(dev.tandem.hotpath.TestIssuer.tokenIn(owner, team, "owner"))
                .get("/api/v1/posts")
                .then()
                .statusCode(200);
    }

    @Test
    void aMessageWithoutAContractIsSkippedAndCounted() throws Exception {
        long id = TestData.insertUser("Unchanged", "ACTIVE");
        given().get("/api/v1/users/{id}", id).then().body("displayName", equalTo("Unchanged"));
        TestData.execute("update users set display_name = 'Changed' where id = ?", id);
        double unreadableBefore = consumed("unreadable");

        publish(userRegistered(UUID.randomUUID(), id).replace("\"version\":1", "\"version\":99"));
        publish("not json at all");
        publish(userRegistered(UUID.randomUUID(), id));

        awaitDisplayName(id, "Changed");
        assertThat(consumed("unreadable")).isEqualTo(unreadableBefore + 2);
    }

    private static double consumed(String outcome) {
        String metrics = given().get("/q/metrics").then().extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("tandem_messages_consumed_total{")
                        && line.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
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
        publish("user.registered", message);
    }

    private static void publish(String routingKey, String message) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServers.amqpUri());
        String id = UUID.randomUUID().toString();
        try (Connection connection = factory.newConnection();
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.exchangeDeclare(Events.EXCHANGE, "topic", true); // as any publisher does
            channel.basicPublish(
                    Events.EXCHANGE,
                    routingKey,
                    new AMQP.BasicProperties.Builder()
                            .messageId(id)
                            .contentType("application/json")
                            .deliveryMode(2)
                            .build(),
                    message.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }
    }

    private static void awaitDisplayName(long id, String expected) {
        await().atMost(TestData.PATIENCE)
                .untilAsserted(() -> assertThat(given().get("/api/v1/users/{id}", id)
                                .then()
                                .extract()
                                .<String>path("displayName"))
                        .isEqualTo(expected));
    }
}
