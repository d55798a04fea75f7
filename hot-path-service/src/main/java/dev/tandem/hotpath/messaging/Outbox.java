package dev.tandem.hotpath.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * hot-path-service's side of the transactional outbox: an event is a row written in the same
 * transaction as the change it reports, so it exists exactly when the change does. The
 * {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;
    private final Clock clock;

    Outbox(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** Appends an event to the outbox, in {@code transaction}. */
    public <T> Uni<EventEnvelope<T>> append(SqlClient transaction, EventType<T> type, T data) {
        EventEnvelope<T> event = EventEnvelope.of(type, Events.PRODUCER_HOT_PATH, clock.instant(), null, data);
        JsonObject payload;
        try {
            payload = new JsonObject(json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("cannot serialise " + type.name(), e));
        }
        return transaction
                .preparedQuery(
                        "insert into outbox (event_id, producer, event_type, event_version, routing_key, payload)"
                                + " values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.from(java.util.List.of(
                        event.id(), event.producer(), event.type(), event.version(), event.type(), payload)))
                .replaceWith(event);
    }
}
