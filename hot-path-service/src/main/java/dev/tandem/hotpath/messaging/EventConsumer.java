package dev.tandem.hotpath.messaging;

import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.Set;

/**
 * A durable consumer of events on {@code tandem.events} in hot-path-service, the counterpart of
 * core-app's: declare one as a bean and {@link Consumers} gives it {@code <queue>}, {@code
 * <queue>.retry} and {@code <queue>.dlq}, applies each message once (inbox row and effect in one
 * transaction, ack after commit), retries failures with back-off and dead-letters the rest.
 */
public interface EventConsumer {

    /** The durable queue's name, e.g. {@code hot-path.account-erasure}; also the inbox's consumer name. */
    String queue();

    /** The event types (and versions) this consumer has contracts for; each becomes a binding. */
    Set<EventType<?>> types();

    /**
     * Applies one event in {@code transaction}, which also records it in the inbox. The item is run
     * after the commit (work outside the database, such as deleting files), or null. A failure rolls
     * back and schedules a retry.
     */
    Uni<Runnable> apply(SqlClient transaction, EventEnvelope<?> event);
}
