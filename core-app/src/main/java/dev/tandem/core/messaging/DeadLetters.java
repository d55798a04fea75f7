package dev.tandem.core.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The dead letters of core-app's consumers, for operators: list them with their error, replay one
 * (back into its consumer's queue, with a fresh set of attempts, once the cause is fixed) or
 * discard one. Dead letters stay in their {@code <queue>.dlq} on the broker; reading them takes each
 * message without acknowledging it and gives all back afterwards, so a listing changes nothing.
 * Also publishes each queue's depth as the gauge {@code tandem.messages.dead_letters}.
 */
@Component
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    /** The most messages one look at a dead-letter queue reads. */
    static final int SCAN_LIMIT = 10_000;

    /** One dead letter, as an operator sees it. */
    public record DeadLetter(
            String messageId,
            String type,
            int attempts,
            String error,
            @Nullable Instant failedAt,
            String body) {}

    private final List<String> queues;
    private final RabbitTemplate rabbit;
    private final AmqpAdmin admin;
    private final Redelivery redelivery;
    private final DefaultMessagePropertiesConverter properties = new DefaultMessagePropertiesConverter();

    DeadLetters(
            List<EventConsumer> consumers,
            @Value("${tandem.bus.other-consumer-queues:}") List<String> otherQueues,
            RabbitTemplate rabbit,
            AmqpAdmin admin,
            Redelivery redelivery,
            MeterRegistry meters) {
        this.queues = java.util.stream.Stream.concat(consumers.stream().map(EventConsumer::queue), otherQueues.stream())
                .filter(queue -> !queue.isBlank())
                .distinct()
                .sorted()
                .toList();
        this.rabbit = rabbit;
        this.admin = admin;
        this.redelivery = redelivery;
        for (String queue : queues) {
            Gauge.builder("tandem.messages.dead_letters", () -> depth(queue))
                    .description("Messages in a consumer's dead-letter queue")
                    .tag("queue", queue)
                    .register(meters);
        }
    }

    /**
     * The consumer queues whose dead letters are kept here, by name: core-app's own and the other
     * services' ({@code tandem.bus.other-consumer-queues}, e.g. hot-path's erasure queue).
     */
    public List<String> queues() {
        return queues;
    }

    /** How many dead letters {@code queue} has; -1 when the broker cannot tell now. */
    public long depth(String queue) {
        try {
            QueueInformation info = admin.getQueueInfo(dlq(queue));
            return info == null ? -1 : info.getMessageCount();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The first {@code limit} dead letters of {@code queue}, oldest first; none are removed. */
    public List<DeadLetter> list(String queue, int limit) {
        String dlq = dlq(queue);
        if (depth(queue) <= 0) {
            return List.of(); // empty, or not declared yet (its service has not run)
        }
        return rabbit.execute(channel -> {
            List<DeadLetter> letters = new ArrayList<>();
            long lastTag = 0;
            try {
                while (letters.size() < Math.min(limit, SCAN_LIMIT)) {
                    GetResponse response = channel.basicGet(dlq, false);
                    if (response == null) {
                        break;
                    }
                    lastTag = response.getEnvelope().getDeliveryTag();
                    letters.add(view(message(response)));
                }
            } finally {
                giveBack(channel, lastTag);
            }
            return letters;
        });
    }

    /**
     * Puts the dead letter {@code messageId} back into {@code queue} with its attempts reset, so
     * it is applied as if new (the inbox still refuses a second effect); false when there is none.
     */
    public boolean replay(String queue, String messageId) {
        String dlq = dlq(queue);
        return take(dlq, messageId, message -> {
            Map<String, Object> reset = new HashMap<>();
            reset.put(Redelivery.ATTEMPTS, null);
            reset.put(Redelivery.RETRY_AT, null);
            reset.put("x-tandem-replayed-at", System.currentTimeMillis());
            redelivery.send(queue, Redelivery.copy(message, reset));
            log.info("{}: dead letter {} replayed", queue, messageId);
        });
    }

    /** Removes the dead letter {@code messageId} for good; false when there is none. */
    public boolean discard(String queue, String messageId) {
        return take(dlq(queue), messageId, message -> log.info("{}: dead letter {} discarded", queue, messageId));
    }

    private boolean take(String dlq, String messageId, java.util.function.Consumer<Message> beforeAck) {
        if (depth(dlq.substring(0, dlq.length() - ".dlq".length())) <= 0) {
            return false;
        }
        Boolean found = rabbit.execute(channel -> {
            long previous = 0;
            for (int read = 0; read < SCAN_LIMIT; read++) {
                GetResponse response = channel.basicGet(dlq, false);
                if (response == null) {
                    break;
                }
                long tag = response.getEnvelope().getDeliveryTag();
                Message message;
                try {
                    message = message(response);
                } catch (RuntimeException e) {
                    giveBack(channel, tag);
                    throw e;
                }
                if (messageId.equals(message.getMessageProperties().getMessageId())) {
                    try {
                        beforeAck.accept(message);
                    } catch (RuntimeException e) {
                        giveBack(channel, tag);
                        throw e;
                    }
                    giveBack(channel, previous);
                    channel.basicAck(tag, false);
                    return true;
                }
                previous = tag;
            }
            giveBack(channel, previous);
            return false;
        });
        return Boolean.TRUE.equals(found);
    }

    /** Returns every message read but not taken, in their order. */
    private static void giveBack(Channel channel, long lastTag) throws IOException {
        if (lastTag > 0) {
            channel.basicNack(lastTag, true, true);
        }
    }

    private Message message(GetResponse response) {
        MessageProperties props = properties.toMessageProperties(
                response.getProps(), response.getEnvelope(), StandardCharsets.UTF_8.name());
        return new Message(response.getBody(), props);
    }

    private static DeadLetter view(Message message) {
        MessageProperties props = message.getMessageProperties();
        long failedAt = Redelivery.longHeader(message, Redelivery.FAILED_AT);
        return new DeadLetter(
                Optional.ofNullable(props.getMessageId()).orElse("(none)"),
                Optional.ofNullable(props.getType())
                        .orElse(String.valueOf(props.getHeaders().getOrDefault(Redelivery.ROUTING_KEY, "unknown"))),
                Redelivery.attempts(message),
                String.valueOf(props.getHeaders().getOrDefault(Redelivery.ERROR, "")),
                failedAt > 0 ? Instant.ofEpochMilli(failedAt) : null,
                new String(message.getBody(), StandardCharsets.UTF_8));
    }

    private String dlq(String queue) {
        if (!queues.contains(queue)) {
            throw new IllegalArgumentException("no consumer queue " + queue);
        }
        return queue + ".dlq";
    }
}
