package dev.tandem.hotpath.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Applies each message at most once per consumer: the message id is recorded in the {@code inbox}
 * table in the same transaction as the effect, so a redelivered message finds its id and does
 * nothing. Ack the broker only after the returned Uni completes (that is, after commit).
 */
@ApplicationScoped
public class Inbox {

    private final Pool pool;

    Inbox(Pool pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code effect} in a transaction that also records {@code messageId} for {@code consumer},
     * unless that id was recorded before.
     *
     * @return true when the effect ran and committed, false for a duplicate
     */
    public Uni<Boolean> once(
            String consumer, String messageId, String eventType, Function<SqlConnection, Uni<Void>> effect) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("insert into inbox (consumer, message_id, event_type) values ($1, $2, $3)"
                        + " on conflict do nothing")
                .execute(Tuple.of(consumer, messageId, eventType))
                .flatMap(rows -> rows.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : effect.apply(connection).replaceWith(true)));
    }
}
