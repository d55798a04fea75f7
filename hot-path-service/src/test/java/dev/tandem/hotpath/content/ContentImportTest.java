package dev.tandem.hotpath.content;

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
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The content.import task as an outside service uses it: only the RabbitMQ client, a reply queue of
 * its own, {@code reply_to} and {@code correlation_id}. The documented example client is run as it
 * is, in its own JVM.
 */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class ContentImportTest {

    @org.junit.jupiter.api.BeforeEach
    void ready() {
        TestData.awaitReady();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDocumentedExampleClientImportsGoodItemsAndHearsWhichWereRefused() throws Exception {
        long user = TestData.insertUser("Importer", "ACTIVE");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process client = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Path.of("../docs/examples/ContentImportClient.java").toString(),
                        TestServers.amqpUri(),
                        Long.toString(user))
                .redirectErrorStream(true)
                .start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).as(output).isZero();

        JsonNode reply = JSON.readTree(output.lines()
                .filter(line -> line.startsWith("{"))
                .reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("no reply printed:\n" + output)));
        assertThat(reply.path("status").asText()).isEqualTo("done");
        assertThat(reply.path("created").asInt()).isEqualTo(2);
        assertThat(reply.path("refused").asInt()).isEqualTo(1);
        assertThat(reply.path("items").get(1).path("ref").asText()).isEqualTo("row-2");
        assertThat(reply.path("items").get(1).path("status").asText()).isEqualTo("refused");
        assertThat(reply.path("items")
                        .get(1)
                        .path("errors")
                        .get(0)
                        .path("field")
                        .asText())
                .isEqualTo("title");
        long postId = reply.path("items").get(0).path("postId").asLong();
        assertThat(TestData.queryString("select title from posts where id = ? and author_id = ?", postId, user))
                .isEqualTo("Imported from the old blog");
        assertThat(TestData.queryLong("select count(*) from posts where author_id = ?", user))
                .isEqualTo(2);
        assertThat(TestData.queryLong(
                        "select count(*) from outbox where event_type = 'post.created'"
                                + " and (payload -> 'data' ->> 'authorId')::bigint = ?",
                        user))
                .as("each imported post is announced like any other")
                .isEqualTo(2);
    }

    @Test
    void aTaskSentTwiceRunsOnceAndAnswersTheSameBothTimes() throws Exception {
        long user = TestData.insertUser("Twice", "ACTIVE");
        String task = "{\"userId\": " + user + ", \"items\": [{\"ref\": \"a\", \"title\": \"Once\", \"body\": \"b\"}]}";
        String taskId = UUID.randomUUID().toString();

        try (Tasks tasks = new Tasks()) {
            JsonNode first = tasks.send(taskId, task);
            JsonNode second = tasks.send(taskId, task);

            assertThat(first.path("status").asText()).isEqualTo("done");
            assertThat(second).isEqualTo(first);
        }
        assertThat(TestData.queryLong("select count(*) from posts where author_id = ?", user))
                .isEqualTo(1);
    }

    @Test
    void aTaskThatCannotRunIsRejectedAndCreatesNothing() throws Exception {
        long closed = TestData.insertUser("Closed", "DISABLED");
        try (Tasks tasks = new Tasks()) {
            JsonNode inactive = tasks.send(
                    UUID.randomUUID().toString(),
                    "{\"userId\": " + closed + ", \"items\": [{\"title\": \"x\", \"body\": \"y\"}]}");
            JsonNode garbage = tasks.send(UUID.randomUUID().toString(), "not json");
            JsonNode empty = tasks.send(UUID.randomUUID().toString(), "{\"userId\": 1, \"items\": []}");

            assertThat(inactive.path("status").asText()).isEqualTo("rejected");
            assertThat(inactive.path("error").asText()).contains("not an active account");
            assertThat(garbage.path("status").asText()).isEqualTo("rejected");
            assertThat(empty.path("error").asText()).contains("1 to 1000");
        }
        assertThat(TestData.queryLong("select count(*) from posts where author_id = ?", closed))
                .isZero();
    }

    /** An outside service's end of the task queue: a reply queue, and one task at a time. */
    private static final class Tasks implements AutoCloseable {
        private final Connection connection;
        private final Channel channel;
        private final String replies;
        private final BlockingQueue<AMQP.BasicProperties> properties = new LinkedBlockingQueue<>();
        private final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();

        Tasks() throws Exception {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(TestServers.amqpUri());
            connection = factory.newConnection();
            channel = connection.createChannel();
            replies = channel.queueDeclare().getQueue();
            channel.basicConsume(
                    replies,
                    true,
                    (tag, delivery) -> {
                        properties.add(delivery.getProperties());
                        bodies.add(new String(delivery.getBody(), StandardCharsets.UTF_8));
                    },
                    tag -> {});
            channel.confirmSelect();
        }

        JsonNode send(String taskId, String task) throws Exception {
            String correlationId = UUID.randomUUID().toString();
            channel.basicPublish(
                    "tandem.tasks",
                    "content.import",
                    true,
                    new AMQP.BasicProperties.Builder()
                            .messageId(taskId)
                            .correlationId(correlationId)
                            .replyTo(replies)
                            .contentType("application/json")
                            .deliveryMode(2)
                            .build(),
                    task.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
            String body = bodies.poll(30, TimeUnit.SECONDS);
            AMQP.BasicProperties reply = properties.poll(1, TimeUnit.SECONDS);
            assertThat(body).as("a reply within 30 s").isNotNull();
            assertThat(reply.getCorrelationId()).isEqualTo(correlationId);
            return JSON.readTree(body);
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }
}
