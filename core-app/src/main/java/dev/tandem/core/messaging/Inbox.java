package dev.tandem.core.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The ids of the messages each consumer applied ({@code inbox}), written in the same transaction
 * as the effect: a redelivered message finds its id and has no second effect. Two deliveries of
 * one message at once serialise on the primary key; the second sees the first's row.
 */
@Component
class Inbox {

    private final JdbcClient jdbc;

    Inbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the message; false when {@code consumer} already applied it. */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean record(String consumer, String messageId, String eventType) {
        return jdbc.sql("insert into inbox (consumer, message_id, event_type) values (?, ?, ?)"
                                + " on conflict (consumer, message_id) do nothing")
                        .params(consumer, messageId, eventType)
                        .update()
                == 1;
    }
}
