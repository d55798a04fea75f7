package dev.tandem.hotpath.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.tandem.devstack.testing.TestServers;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A republish counts as done only when the broker confirmed it and a queue took it: the consumer
 * acknowledges the original only then, so a retry or dead letter that went nowhere is never lost.
 * Against the test broker (RabbitMQ with {@code TANDEM_AMQP_URI}, the embedded one otherwise).
 */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class RedeliveryTest {

    private Connection connection;
    private Channel channel;
    private Redelivery redelivery;
    private String queue;

    @BeforeEach
    void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestServers.amqpUri());
        connection = factory.newConnection();
        channel = connection.createChannel();
        queue = "test.redelivery." + UUID.randomUUID();
        channel.queueDeclare(queue, true, false, false, null);
        redelivery = new Redelivery(Clock.systemUTC(), Duration.ofSeconds(10), () -> false);
        redelivery.use(connection.createChannel());
    }

    @AfterEach
    void disconnect() throws Exception {
        redelivery.shutdown();
        channel.queueDelete(queue);
        connection.close();
    }

    @Test
    void aConfirmedRepublishArrivesWithItsHeadersAndBody() throws Exception {
        redelivery.republish(queue, delivery("hello"), Map.of(Redelivery.ATTEMPTS, 2));

        GetResponse got = await(queue);
        assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(got.getProps().getHeaders()).containsEntry(Redelivery.ATTEMPTS, 2);
        assertThat(got.getProps().getDeliveryMode()).as("persistent").isEqualTo(2);
    }

    @Test
    void aRepublishNoQueueTookIsAFailureNotASuccess() throws Exception {
        String missing = "test.redelivery.missing." + UUID.randomUUID();

        // RabbitMQ returns it and then acks it; the embedded broker nacks it. Both are a failure.
        assertThatThrownBy(() -> redelivery.republish(missing, delivery("lost?"), Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing);

        // The next republish to a queue that exists succeeds: the returned flag does not stick.
        redelivery.republish(queue, delivery("next"), Map.of());
        assertThat(new String(await(queue).getBody(), StandardCharsets.UTF_8)).isEqualTo("next");
    }

    @Test
    void aRepublishWithoutAnOpenChannelFailsAtOnce() throws Exception {
        Channel closed = connection.createChannel();
        redelivery.use(closed);
        closed.close();

        assertThatThrownBy(() -> redelivery.republish(queue, delivery("x"), Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no channel");
    }

    private static Delivery delivery(String body) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .messageId(UUID.randomUUID().toString())
                .build();
        return new Delivery(
                new Envelope(1, false, "tandem.events", "post.created"),
                properties,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private GetResponse await(String name) {
        return Awaitility.await()
                .alias("a message in " + name)
                .atMost(Duration.ofSeconds(60))
                .until(() -> channel.basicGet(name, true), Objects::nonNull);
    }
}
