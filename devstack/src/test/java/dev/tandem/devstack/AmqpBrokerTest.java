package dev.tandem.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmqpBrokerTest {

    @TempDir
    Path dir;

    @Test
    void keepsPersistentMessagesAcrossRestarts() throws Exception {
        int port = Ports.free();
        try (AmqpBroker broker = AmqpBroker.start(dir, port, true);
                Connection connection = connect(broker);
                Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("tandem.events", "topic", true);
            // RabbitMQ-only arguments are accepted and ignored, so one declaration fits both brokers.
            channel.queueDeclare("test.kept", true, false, false, Map.of("x-queue-type", "quorum"));
            channel.queueBind("test.kept", "tandem.events", "user.*");
            channel.confirmSelect();
            channel.basicPublish(
                    "tandem.events",
                    "user.registered",
                    new AMQP.BasicProperties.Builder()
                            .messageId("m-1")
                            .deliveryMode(2)
                            .build(),
                    "{}".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }

        try (AmqpBroker broker = AmqpBroker.start(dir, port, true);
                Connection connection = connect(broker);
                Channel channel = connection.createChannel()) {
            GetResponse message = channel.basicGet("test.kept", true);

            assertThat(message).isNotNull();
            assertThat(message.getProps().getMessageId()).isEqualTo("m-1");
        }
    }

    private static Connection connect(AmqpBroker broker) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(broker.uri());
        return factory.newConnection("amqp-broker-test");
    }
}
