package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What every message on {@code tandem.events} carries (schema: {@code contracts/envelope.v1.schema.json}).
 *
 * @param id unique per event; also the AMQP message-id, and the key consumers deduplicate on
 * @param type the event type, also the routing key, e.g. {@code user.registered}
 * @param version the version of {@code data}'s schema; consumers refuse versions they have no contract for
 * @param occurredAt when the fact happened (when the producer recorded it), not when it was sent
 * @param producer the service that wrote it, e.g. {@code core-app}
 * @param traceparent the W3C trace context of the operation that caused it, or null
 * @param data the type-specific payload
 */
public record EventEnvelope<T>(
        UUID id,
        String type,
        int version,
        Instant occurredAt,
        String producer,
        @Nullable String traceparent,
        T data) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(data, "data");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1");
        }
    }

    /** A new event of {@code type} with a fresh random id. */
    public static <T> EventEnvelope<T> of(
            EventType<T> type, String producer, Instant occurredAt, @Nullable String traceparent, T data) {
        return new EventEnvelope<>(
                UUID.randomUUID(), type.name(), type.version(), occurredAt, producer, traceparent, data);
    }
}
