package dev.tandem.hotpath.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.tandem.devstack.testing.TestServers;
import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** inference.batch as an internal service uses it: only amqp-client, its own reply queue, reply_to and correlation_id. */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class InferenceBatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void ready() {
        TestData.awaitReady();
    }

    @Test
    void resultsComeBackInChunksWithProgressThenTheFinalReply() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            texts.add(i % 2 == 0 ? "I loved it, wonderful service number " + i : "Awful, it broke again, item " + i);
        }
        texts.set(7, "   "); // refused, reported in its chunk

        List<JsonNode> replies = run(Map.of("model", "sentiment", "texts", texts, "chunkSize", 500), 4);

        List<JsonNode> chunks = replies.subList(0, 3);
        assertThat(chunks).allMatch(chunk -> chunk.path("status").asText().equals("chunk"));
        assertThat(chunks.stream().map(chunk -> chunk.path("done").asInt())).containsExactly(500, 1000, 1200);
        assertThat(chunks.get(2).path("total").asInt()).isEqualTo(1_200);
        Map<Integer, JsonNode> byIndex = new HashMap<>();
        chunks.forEach(chunk ->
                chunk.path("results").forEach(r -> byIndex.put(r.path("index").asInt(), r)));
        assertThat(byIndex).hasSize(1_200);
        assertThat(byIndex.get(7).path("error").asText()).isEqualTo("must not be blank");
        assertThat(byIndex.get(0).path("label").asText()).isEqualTo("positive");
        assertThat(byIndex.get(1).path("label").asText()).isEqualTo("negative");
        assertThat(byIndex.get(1199).path("label").asText()).isEqualTo("negative");
        assertThat(byIndex.get(1198).path("scores").path("positive").asDouble()).isGreaterThan(0.5);

        JsonNode done = replies.get(3);
        assertThat(done.path("status").asText()).isEqualTo("done");
        assertThat(done.path("refused").asInt()).isEqualTo(1);
        assertThat(done.path("chunks").asInt()).isEqualTo(3);
    }

    @Test
    void embeddingsToo() throws Exception {
        List<JsonNode> replies = run(Map.of("model", "bge-small-en-v1.5", "texts", List.of("one", "two")), 2);

        assertThat(replies.get(0).path("results").get(1).path("embedding").size())
                .isEqualTo(384);
        assertThat(replies.get(1).path("status").asText()).isEqualTo("done");
    }

    @Test
    void aTaskThatCannotRunIsRejectedAtOnce() throws Exception {
        List<JsonNode> replies = run(Map.of("model", "toxicity", "texts", List.of("x")), 1);

        assertThat(replies.getFirst().path("status").asText()).isEqualTo("rejected");
        assertThat(replies.getFirst().path("error").asText()).contains("sentiment");
    }

    /** Sends the task as an outside service would and collects {@code expected} replies, in order. */
    private static List<JsonNode> run(Map<String, Object> task, int expected) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServers.amqpUri());
        try (Connection connection = factory.newConnection();
                Channel channel = connection.createChannel()) {
            String replyQueue = channel.queueDeclare().getQueue();
            String correlation = UUID.randomUUID().toString();
            BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
            channel.basicConsume(
                    replyQueue,
                    true,
                    (tag, delivery) -> {
                        if (correlation.equals(delivery.getProperties().getCorrelationId())) {
                            replies.add(JSON.readTree(delivery.getBody()));
                        }
                    },
                    tag -> {});
            channel.basicPublish(
                    "tandem.tasks",
                    "inference.batch",
                    new AMQP.BasicProperties.Builder()
                            .messageId(UUID.randomUUID().toString())
                            .correlationId(correlation)
                            .replyTo(replyQueue)
                            .contentType("application/json")
                            .deliveryMode(2)
                            .build(),
                    JSON.writeValueAsString(task).getBytes(StandardCharsets.UTF_8));
            List<JsonNode> received = new ArrayList<>();
            for (int i = 0; i < expected; i++) {
                JsonNode reply = replies.poll(120, TimeUnit.SECONDS);
                assertThat(reply).as("reply %d of %d", i + 1, expected).isNotNull();
                received.add(reply);
            }
            return received;
        }
    }
}
