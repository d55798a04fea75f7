// An internal service importing posts through Tandem's task queue (docs/tasks.md), with nothing but
// the RabbitMQ Java client (com.rabbitmq:amqp-client). Run it as a single-file program:
//
//   java -cp amqp-client-5.x.jar:slf4j-api-2.x.jar docs/examples/ContentImportClient.java \
//        amqp://guest:guest@localhost:5672 1
//
// It sends one content.import task for account 1 (the second item is refused: its title is blank),
// waits for the reply on its own reply queue and prints it. hot-path-service's own tests run this
// very file against the test broker.

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

public class ContentImportClient {

    public static void main(String[] args) throws Exception {
        String uri = args.length > 0 ? args[0] : "amqp://guest:guest@localhost:5672";
        long userId = args.length > 1 ? Long.parseLong(args[1]) : 1;

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        try (Connection connection = factory.newConnection("content-import-client");
                Channel channel = connection.createChannel()) {
            // A reply queue of our own: server-named, exclusive, gone when we disconnect.
            String replies = channel.queueDeclare().getQueue();
            String taskId = UUID.randomUUID().toString(); // also the key that makes a resend safe
            String correlationId = UUID.randomUUID().toString();

            CompletableFuture<String> reply = new CompletableFuture<>();
            channel.basicConsume(replies, true, (tag, delivery) -> {
                if (correlationId.equals(delivery.getProperties().getCorrelationId())) {
                    reply.complete(new String(delivery.getBody(), StandardCharsets.UTF_8));
                }
            }, tag -> {});

            String task = """
                    {"userId": %d, "items": [
                      {"ref": "row-1", "title": "Imported from the old blog", "body": "First post, moved over."},
                      {"ref": "row-2", "title": "   ", "body": "This one has no title."},
                      {"ref": "row-3", "title": "Second import", "body": "Another one."}
                    ]}""".formatted(userId);
            channel.confirmSelect();
            channel.basicPublish(
                    "tandem.tasks", // direct exchange of internal tasks
                    "content.import", // the task type
                    true, // mandatory: fail loudly if no worker queue is bound
                    new AMQP.BasicProperties.Builder()
                            .messageId(taskId)
                            .correlationId(correlationId)
                            .replyTo(replies)
                            .contentType("application/json")
                            .deliveryMode(2) // persistent
                            .build(),
                    task.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);

            System.out.println(reply.get(30, TimeUnit.SECONDS));
        }
    }
}
