package dev.tandem.hotpath.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.tandem.devstack.testing.TestServers;
import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestIssuer;
import dev.tandem.hotpath.TestServersResource;
import dev.tandem.schema.contracts.ContractValidator;
import dev.tandem.schema.events.Events;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** post.created and comment.created leave through the outbox, with the change, exactly once per change. */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class OutboxRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void newPostsAndCommentsArePublishedOnceWithTheirContracts() throws Exception {
        long author = TestData.insertUser("Publisher", "ACTIVE");
        long commenter = TestData.insertUser("Replier", "ACTIVE");
        TestData.shareWorkspace(author, commenter);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServers.amqpUri());
        try (Connection connection = factory.newConnection();
                Channel channel = connection.createChannel()) {
            String probe = channel.queueDeclare("test.content-events." + UUID.randomUUID(), false, true, true, null)
                    .getQueue();
            channel.exchangeDeclare(Events.EXCHANGE, "topic", true);
            channel.queueBind(probe, Events.EXCHANGE, "post.created");
            channel.queueBind(probe, Events.EXCHANGE, "comment.created");

            String key = UUID.randomUUID().toString();
            long post = 0;
            for (int attempt = 0; attempt < 2; attempt++) { // a retried POST: one post, one event
                post = given().auth()
                        .oauth2(TestIssuer.token(author, "USER"))
                        .header("Idempotency-Key", key)
                        .contentType(ContentType.JSON)
                        .body(Map.of("title", "Evented", "body", "b"))
                        .post("/api/v1/posts")
                        .then()
                        .statusCode(201)
                        .extract()
                        .jsonPath()
                        .getLong("id");
            }
            long comment = given().auth()
                    .oauth2(TestIssuer.token(commenter, "USER"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("body", "noted"))
                    .post("/api/v1/posts/" + post + "/comments")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getLong("id");

            List<JsonNode> received = receive(channel, probe, 2, author, commenter);
            assertThat(received)
                    .extracting(event -> event.path("type").asText())
                    .containsExactly("post.created", "comment.created");
            JsonNode created = received.get(0).path("data");
            assertThat(created.path("postId").asLong()).isEqualTo(post);
            assertThat(created.path("authorId").asLong()).isEqualTo(author);
            JsonNode commented = received.get(1).path("data");
            assertThat(commented.path("commentId").asLong()).isEqualTo(comment);
            assertThat(commented.path("postAuthorId").asLong()).isEqualTo(author);
            assertThat(commented.path("authorId").asLong()).isEqualTo(commenter);
            // A duplicate, were one on its way, arrives meanwhile (a check that can only miss one on a slow machine).
            List<JsonNode> duplicates = new ArrayList<>();
            await().during(Duration.ofSeconds(1)).atMost(TestData.PATIENCE).until(() -> {
                drain(channel, probe, duplicates, author, commenter);
                return duplicates.isEmpty();
            });
        }
        assertThat(TestData.queryLong(
                        "select count(*) from outbox where event_type = 'post.created'"
                                + " and (payload -> 'data' ->> 'postId')::bigint = (select max(id) from posts where author_id = ?)"
                                + " and sent_at is not null",
                        author))
                .isEqualTo(1);
    }

    /** The first {@code count} events about these authors (other tests' events share the exchange). */
    private static List<JsonNode> receive(Channel channel, String queue, int count, long... authors) {
        List<JsonNode> events = new ArrayList<>();
        await().alias(count + " events").atMost(TestData.PATIENCE).until(() -> {
            drain(channel, queue, events, authors);
            return events.size() >= count;
        });
        assertThat(events).hasSize(count);
        return events;
    }

    /** Adds what the queue holds now about these authors to {@code events}, checking each contract. */
    private static void drain(Channel channel, String queue, List<JsonNode> events, long... authors) throws Exception {
        GetResponse message;
        while ((message = channel.basicGet(queue, true)) != null) {
            String body = new String(message.getBody(), StandardCharsets.UTF_8);
            ContractValidator.assertValid(body);
            JsonNode event = JSON.readTree(body);
            assertThat(message.getProps().getMessageId())
                    .isEqualTo(event.path("id").asText());
            long author = event.path("data").path("authorId").asLong();
            if (java.util.Arrays.stream(authors).anyMatch(a -> a == author)) {
                events.add(event);
            }
        }
    }
}
