package dev.tandem.core.messaging;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts a consumed message into one of a consumer's queues again (its retry queue, its dead
 * letters, or back into the queue itself), by name through the default exchange, and waits for
 * the broker's confirm: the caller acknowledges the original only after this returns, so a
 * message is never in no queue at all. The {@code x-tandem-*} headers carry its history.
 */
@Component
class Redelivery {

    /** Failed attempts so far. */
    static final String ATTEMPTS = "x-tandem-attempts";
    /** Why the last attempt failed. */
    static final String ERROR = "x-tandem-error";
    /** When the last attempt failed (epoch milliseconds). */
    static final String FAILED_AT = "x-tandem-failed-at";
    /** When a message in a retry queue is due again (epoch milliseconds). */
    static final String RETRY_AT = "x-tandem-retry-at";
    /** The routing key the event was first published with. */
    static final String ROUTING_KEY = "x-tandem-routing-key";

    private static final int MAX_ERROR_LENGTH = 1000;

    private final RabbitTemplate rabbit;
    private final BusProperties properties;

    Redelivery(RabbitTemplate rabbit, BusProperties properties) {
        this.rabbit = rabbit;
        this.properties = properties;
    }

    /** Publishes {@code message} to {@code queue}; throws when the broker did not confirm it. */
    void send(String queue, Message message) {
        String id = message.getMessageProperties().getMessageId();
        CorrelationData correlation =
                new CorrelationData(id != null ? id : UUID.randomUUID().toString());
        rabbit.send("", queue, message, correlation);
        CorrelationData.Confirm confirm;
        try {
            confirm = correlation.getFuture().get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AmqpException("no confirm from the broker within " + properties.confirmTimeout());
        } catch (ExecutionException e) {
            throw new AmqpException(
                    "publish to " + queue + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmqpException("interrupted while waiting for the confirm");
        }
        if (!confirm.ack()) {
            throw new AmqpException("the broker refused the message for " + queue + ": " + confirm.reason());
        }
        if (correlation.getReturned() != null) {
            throw new AmqpException("queue " + queue + " does not exist");
        }
    }

    /**
     * A persistent copy of {@code original} with these headers changed (a null value removes
     * one). The body, the message id and the other properties are kept.
     */
    static Message copy(Message original, Map<String, ?> headers) {
        MessageBuilder copy = MessageBuilder.fromClonedMessage(original);
        Message message = copy.setDeliveryMode(MessageDeliveryMode.PERSISTENT).build();
        Map<String, Object> target = message.getMessageProperties().getHeaders();
        headers.forEach((name, value) -> {
            if (value == null) {
                target.remove(name);
            } else {
                target.put(name, value);
            }
        });
        return message;
    }

    /** The failed attempts a message has behind it (0 for a first delivery). */
    static int attempts(Message message) {
        Object value = message.getMessageProperties().getHeaders().get(ATTEMPTS);
        return value instanceof Number number ? number.intValue() : 0;
    }

    static long longHeader(Message message, String name) {
        Object value = message.getMessageProperties().getHeaders().get(name);
        return value instanceof Number number ? number.longValue() : 0;
    }

    static String error(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure == root
                ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage() + " (caused by "
                        + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
}
