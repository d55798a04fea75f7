package dev.tandem.hotpath.messaging;

import dev.tandem.schema.events.Events;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps hot-path-service's ends of the bus from growing without bound: every hour it deletes its
 * outbox rows sent longer ago than {@code tandem.outbox.keep-sent} and the inbox rows of its
 * consumers and task workers older than {@code tandem.bus.keep-applied}. Only its own rows
 * (producer hot-path-service, its queues): core-app keeps its own. Deleted in batches, so no run
 * holds many locks; several instances deleting at once is harmless.
 *
 * <p>An inbox row must outlive every redelivery of its message: the broker redelivers within
 * minutes, a relay republishes an unconfirmed row within its lease, and a dead letter was never
 * applied, so it has no row to lose. Days are ample; the default is 30.
 */
@ApplicationScoped
class BusRetention {

    static final int BATCH = 10_000;

    private final Pool pool;
    private final Clock clock;
    private final Duration keepSent;
    private final Duration keepApplied;
    private final String[] queues;

    BusRetention(
            Pool pool,
            Clock clock,
            @Any Instance<EventConsumer> consumers,
            @Any Instance<TaskWorker> workers,
            @ConfigProperty(name = "tandem.outbox.keep-sent") Duration keepSent,
            @ConfigProperty(name = "tandem.bus.keep-applied") Duration keepApplied) {
        this.pool = pool;
        this.clock = clock;
        this.keepSent = keepSent;
        this.keepApplied = keepApplied;
        this.queues = Stream.concat(
                        consumers.stream().map(EventConsumer::queue),
                        workers.stream().map(TaskWorker::queue))
                .toArray(String[]::new);
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOld() {
        Instant now = clock.instant();
        return forgetSentEvents(now.minus(keepSent))
                .flatMap(sent -> forgetAppliedMessages(now.minus(keepApplied)).invoke(applied -> {
                    if (sent + applied > 0) {
                        Log.infof("Bus retention deleted %d sent outbox rows and %d inbox rows", sent, applied);
                    }
                }))
                .replaceWithVoid();
    }

    /** Deletes hot-path-service's outbox rows sent before {@code before}; the number deleted. */
    Uni<Long> forgetSentEvents(Instant before) {
        Tuple params = Tuple.of(utc(before), Events.PRODUCER_HOT_PATH, BATCH);
        return inBatches(() -> pool.preparedQuery("""
                        delete from outbox where seq in (
                            select seq from outbox
                            where sent_at < $1 and producer = $2
                            limit $3)
                        """).execute(params).map(deleted -> deleted.rowCount()), 0);
    }

    /** Deletes the inbox rows of this service's queues received before {@code before}; the number deleted. */
    Uni<Long> forgetAppliedMessages(Instant before) {
        if (queues.length == 0) {
            return Uni.createFrom().item(0L);
        }
        Tuple params = Tuple.of(utc(before), queues, BATCH);
        return inBatches(() -> pool.preparedQuery("""
                        delete from inbox where (consumer, message_id) in (
                            select consumer, message_id from inbox
                            where received_at < $1 and consumer = any($2)
                            limit $3)
                        """).execute(params).map(deleted -> deleted.rowCount()), 0);
    }

    private static Uni<Long> inBatches(Supplier<Uni<Integer>> batch, long before) {
        return batch.get()
                .flatMap(deleted -> deleted == BATCH
                        ? inBatches(batch, before + deleted)
                        : Uni.createFrom().item(before + deleted));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
