package dev.tandem.hotpath.messaging;

import dev.tandem.schema.events.Events;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes hot-path-service's outbox. Each run claims a batch of due rows with a lease (one short
 * statement: {@code FOR UPDATE SKIP LOCKED} picks rows no other instance holds, and their {@code
 * next_attempt_at} moves past the lease, so a crashed instance's rows come back after it), publishes
 * them all through the {@code events-out} channel with publisher confirms (asynchronous: the batch is
 * in flight together, each send bounded by a confirm timeout), then marks sent only the rows the
 * broker confirmed; a refused or unconfirmed row is retried with exponential back-off (attempts, last
 * error, next attempt). No transaction is held while the broker is talked to. Delivery is at least
 * once: a crash between the confirm and the mark sends a row again, which consumers' inboxes absorb.
 */
@ApplicationScoped
class OutboxRelay {

    private static final Logger log = Logger.getLogger(OutboxRelay.class);

    private static final String CLAIM =
            "update outbox set next_attempt_at = clock_timestamp() + $3 * interval '1 second'"
                    + " where seq in (select seq from outbox where producer = $1 and sent_at is null"
                    + " and (next_attempt_at is null or next_attempt_at <= clock_timestamp())"
                    + " order by seq limit $2 for update skip locked)"
                    + " returning seq, event_id, routing_key, payload::text as payload";

    private static final String MARK_SENT =
            "update outbox set sent_at = clock_timestamp(), attempts = attempts + 1, last_error = null"
                    + " where seq = any($1)";

    /** Back-off of a refused row: 1, 2, 4 ... seconds, at most five minutes (the exponent is capped). */
    private static final String BACK_OFF = "update outbox set attempts = attempts + 1, last_error = $2,"
            + " next_attempt_at = clock_timestamp() + least(power(2, least(attempts, 9)), 300) * interval '1 second'"
            + " where seq = any($1)";

    private final Pool pool;
    private final MutinyEmitter<byte[]> events;
    private final int batchSize;
    private final Duration confirmTimeout;
    private final long leaseSeconds;
    private final Counter published;
    private final Counter failed;
    private final AtomicReference<Double> lagSeconds = new AtomicReference<>(0.0);

    OutboxRelay(
            Pool pool,
            @Channel("events-out") MutinyEmitter<byte[]> events,
            @ConfigProperty(name = "tandem.outbox.batch-size") int batchSize,
            @ConfigProperty(name = "tandem.outbox.confirm-timeout") Duration confirmTimeout,
            MeterRegistry meters) {
        this.pool = pool;
        this.events = events;
        this.batchSize = batchSize;
        this.confirmTimeout = confirmTimeout;
        // A claimed row is someone's until its sends have surely ended: the confirm timeout, twice.
        this.leaseSeconds = Math.max(1, confirmTimeout.multipliedBy(2).toSeconds());
        this.published = Counter.builder("tandem.outbox.published")
                .description("Outbox events the broker confirmed")
                .register(meters);
        this.failed = Counter.builder("tandem.outbox.failed")
                .description("Outbox publish attempts the broker refused or that timed out")
                .register(meters);
        Gauge.builder("tandem.outbox.lag", lagSeconds, AtomicReference::get)
                .description("Age in seconds of the oldest unsent outbox event (0 when none)")
                .baseUnit("seconds")
                .register(meters);
    }

    @Scheduled(every = "${tandem.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(Events.PRODUCER_HOT_PATH, batchSize, leaseSeconds))
                .flatMap(this::publish)
                .call(this::measureLag)
                .onFailure()
                .invoke(failure -> log.warnf("outbox: relay run failed, will retry: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> publish(RowSet<Row> claimed) {
        if (claimed.size() == 0) {
            return Uni.createFrom().voidItem();
        }
        List<Row> rows = new ArrayList<>(claimed.size());
        claimed.forEach(rows::add);
        rows.sort(Comparator.comparingLong(row -> row.getLong("seq")));
        List<Uni<Outcome>> sends = new ArrayList<>(rows.size());
        for (Row row : rows) {
            long seq = row.getLong("seq");
            String id = row.getUUID("event_id").toString();
            OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                    .withRoutingKey(row.getString("routing_key"))
                    .withMessageId(id)
                    .withContentType("application/json")
                    .withDeliveryMode(2)
                    .build();
            Message<byte[]> message = Message.of(row.getString("payload").getBytes(StandardCharsets.UTF_8))
                    .addMetadata(metadata);
            sends.add(events.sendMessage(message)
                    .ifNoItem()
                    .after(confirmTimeout)
                    .failWith(() -> new TimeoutException("no confirm within " + confirmTimeout))
                    .map(confirmed -> new Outcome(seq, null))
                    .onFailure()
                    .recoverWithItem(failure -> new Outcome(seq, String.valueOf(failure.getMessage()))));
        }
        return Uni.join().all(sends).andFailFast().flatMap(this::record);
    }

    private record Outcome(long seq, String error) {}

    private Uni<Void> record(List<Outcome> outcomes) {
        List<Long> sent = new ArrayList<>();
        List<Long> refused = new ArrayList<>();
        String lastError = null;
        for (Outcome outcome : outcomes) {
            if (outcome.error() == null) {
                sent.add(outcome.seq());
            } else {
                refused.add(outcome.seq());
                lastError = outcome.error();
            }
        }
        published.increment(sent.size());
        failed.increment(refused.size());
        Uni<?> markSent = sent.isEmpty()
                ? Uni.createFrom().voidItem()
                : pool.preparedQuery(MARK_SENT).execute(Tuple.of(sent.toArray(Long[]::new)));
        if (refused.isEmpty()) {
            return markSent.replaceWithVoid();
        }
        log.warnf("outbox: %d events not confirmed, will retry: %s", refused.size(), lastError);
        String error = lastError;
        return markSent.flatMap(
                        done -> pool.preparedQuery(BACK_OFF).execute(Tuple.of(refused.toArray(Long[]::new), error)))
                .replaceWithVoid();
    }

    private Uni<Void> measureLag() {
        return pool.preparedQuery("select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as lag"
                        + " from outbox where producer = $1 and sent_at is null")
                .execute(Tuple.of(Events.PRODUCER_HOT_PATH))
                .invoke(rows -> lagSeconds.set(rows.iterator().next().getDouble("lag")))
                .replaceWithVoid();
    }
}
