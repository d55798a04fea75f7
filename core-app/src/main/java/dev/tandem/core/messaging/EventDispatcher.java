package dev.tandem.core.messaging;

import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands one delivery to its {@link EventConsumer}, exactly once in effect:
 *
 * <ol>
 *   <li>a message without a contract here (not JSON, an unknown type or version, data that does not
 *       fit the type) goes straight to the dead letters with the reason: retrying cannot help, and
 *       nothing of it is applied;
 *   <li>otherwise the inbox record and the consumer's effect commit together; a redelivered message
 *       finds its id and is only acknowledged;
 *   <li>when the consumer fails, the message goes to the retry queue with its attempt count, error
 *       and due time, or after the last attempt to the dead letters.
 * </ol>
 *
 * The delivery is acknowledged when this returns: after the commit, or after the broker confirmed
 * the copy in the retry or dead-letter queue. When even that publish fails, this throws and the
 * container gives the message back to the broker (requeued), so nothing is lost.
 */
@Component
class EventDispatcher {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final Inbox inbox;
    private final TransactionTemplate transaction;
    private final Redelivery redelivery;
    private final BusProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    EventDispatcher(
            Inbox inbox,
            TransactionTemplate transaction,
            Redelivery redelivery,
            BusProperties properties,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters) {
        this.inbox = inbox;
        this.transaction = transaction;
        this.redelivery = redelivery;
        this.properties = properties;
        // Strict about the data's shape: a missing field is a broken contract, not a zero.
        this.json = json.rebuild()
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .build();
        this.clock = clock;
        this.meters = meters;
    }

    void dispatch(EventConsumer consumer, Message message) {
        int attempts = Redelivery.attempts(message);
        EventEnvelope<?> event;
        try {
            event = read(consumer, message.getBody());
        } catch (NoContract e) {
            deadLetter(consumer, message, attempts, e.getMessage(), e.type);
            return;
        }
        try {
            Boolean applied = transaction.execute(status -> {
                if (!inbox.record(consumer.queue(), event.id().toString(), event.type())) {
                    return false;
                }
                consumer.apply(event);
                return true;
            });
            counted(consumer, event.type(), Boolean.TRUE.equals(applied) ? "applied" : "duplicate");
        } catch (RuntimeException failure) {
            int failed = attempts + 1;
            String error = Redelivery.error(failure);
            if (failed >= properties.maxAttempts()) {
                deadLetter(consumer, message, failed, error, event.type());
            } else {
                retry(consumer, message, failed, error, event);
            }
        }
    }

    private void retry(EventConsumer consumer, Message message, int failed, String error, EventEnvelope<?> event) {
        Duration delay = properties.retryDelay(failed);
        long now = clock.millis();
        redelivery.send(
                consumer.queue() + ".retry",
                Redelivery.copy(message, failureHeaders(message, failed, error, now, now + delay.toMillis())));
        counted(consumer, event.type(), "retried");
        log.warn(
                "{}: {} {} failed (attempt {} of {}), retrying in {}: {}",
                consumer.queue(),
                event.type(),
                event.id(),
                failed,
                properties.maxAttempts(),
                delay,
                error);
    }

    private void deadLetter(EventConsumer consumer, Message message, int attempts, String error, String type) {
        redelivery.send(
                consumer.queue() + ".dlq",
                Redelivery.copy(message, failureHeaders(message, attempts, error, clock.millis(), null)));
        counted(consumer, type, "dead_lettered");
        log.error(
                "{}: message {} ({}) dead-lettered after {} attempts: {}",
                consumer.queue(),
                message.getMessageProperties().getMessageId(),
                type,
                attempts,
                error);
    }

    private static Map<String, Object> failureHeaders(
            Message message, int attempts, String error, long failedAt, Long retryAt) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(Redelivery.ATTEMPTS, attempts);
        headers.put(Redelivery.ERROR, error);
        headers.put(Redelivery.FAILED_AT, failedAt);
        headers.put(Redelivery.RETRY_AT, retryAt);
        String routingKey = message.getMessageProperties().getReceivedRoutingKey();
        if (!message.getMessageProperties().getHeaders().containsKey(Redelivery.ROUTING_KEY) && routingKey != null) {
            headers.put(Redelivery.ROUTING_KEY, routingKey);
        }
        return headers;
    }

    private EventEnvelope<?> read(EventConsumer consumer, byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            throw new NoContract("unknown", "not JSON: " + e.getOriginalMessage());
        }
        String name = node.path("type").asString("unknown");
        int version = node.path("version").asInt(0);
        Optional<EventType<?>> type = Events.find(name, version).filter(consumer.types()::contains);
        if (type.isEmpty()) {
            // The metric's type tag names known types only: a stray message must not mint new series.
            String tag = Events.ALL.stream().anyMatch(known -> known.name().equals(name)) ? name : "unknown";
            throw new NoContract(tag, "no contract for " + name + " v" + version + " in " + consumer.queue());
        }
        JavaType envelope = json.getTypeFactory()
                .constructParametricType(EventEnvelope.class, type.get().dataType());
        try {
            return json.readValue(body, envelope);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new NoContract(name, "does not match the " + name + " v" + version + " contract: " + e.getMessage());
        }
    }

    private void counted(EventConsumer consumer, String type, String outcome) {
        meters.counter("tandem.messages.consumed", "consumer", consumer.queue(), "type", type, "outcome", outcome)
                .increment();
    }

    /** A message this consumer has no contract for: dead-lettered at once with the reason. */
    private static final class NoContract extends RuntimeException {
        private final String type;

        NoContract(String type, String reason) {
            super(reason, null, false, false);
            this.type = type;
        }
    }
}
