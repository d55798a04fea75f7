package dev.tandem.core.messaging;

import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records an event in the same transaction as the change it describes: if the transaction rolls
 * back, the event was never written; once it commits, the relay will publish it, even across a
 * crash. This is the only way core-app publishes events.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final OutboxRelay relay;

    Outbox(JdbcClient jdbc, JsonMapper json, Clock clock, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.relay = relay;
    }

    /** Appends {@code data} as an event of {@code type}; must run inside the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T> EventEnvelope<T> append(EventType<T> type, T data) {
        EventEnvelope<T> event = EventEnvelope.of(type, Events.PRODUCER_CORE_APP, clock.instant(), null, data);
        jdbc.sql("""
                        insert into outbox (event_id, producer, event_type, event_version, routing_key, payload)
                        values (?, ?, ?, ?, ?, ?::jsonb)
                        """)
                .params(
                        event.id(),
                        event.producer(),
                        event.type(),
                        event.version(),
                        type.routingKey(),
                        json.writeValueAsString(event))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
        return event;
    }
}
