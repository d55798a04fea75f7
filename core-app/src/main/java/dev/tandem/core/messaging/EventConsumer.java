package dev.tandem.core.messaging;

import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import java.util.Set;

/**
 * A durable consumer of events on {@code tandem.events}: declare one as a bean and {@link
 * Consumers} gives it its queues ({@code <queue>}, {@code <queue>.retry}, {@code <queue>.dlq}),
 * its bindings, and exactly-once effects: {@link #apply} runs in a transaction that also records
 * the message id in the inbox, and the broker is acknowledged after that transaction commits. A
 * message {@link #apply} fails on is retried with back-off, then dead-lettered with its error.
 */
public interface EventConsumer {

    /** The durable queue's name, e.g. {@code core.content-activity}; also the inbox's consumer name. */
    String queue();

    /** The event types (and versions) this consumer has contracts for; each becomes a binding. */
    Set<EventType<?>> types();

    /**
     * Applies one event, inside the transaction that records it in the inbox. Throwing rolls both
     * back and schedules a retry.
     */
    void apply(EventEnvelope<?> event);
}
