package dev.tandem.core.messaging;

import dev.tandem.schema.events.Events;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes core-app's outbox rows, oldest first. Each batch runs in one transaction that locks
 * its rows ({@code FOR UPDATE SKIP LOCKED}, so several instances share the work without
 * overlapping), publishes them all, waits once for all the broker's confirms, and marks sent only
 * the rows the broker confirmed; the others are retried with exponential back-off. A crash before
 * the mark publishes the rows again: delivery is at least once, and consumers deduplicate on the
 * event id. Rows are published in insertion order per batch, but there is no global ordering
 * guarantee across instances or retries.
 */
@Component
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final RabbitTemplate rabbit;
    private final TransactionTemplate transaction;
    private final OutboxProperties properties;
    private final Counter published;
    private final Counter failed;
    private final Counter unroutable;
    private final Semaphore work = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    OutboxRelay(
            JdbcClient jdbc,
            RabbitTemplate rabbit,
            TransactionTemplate transaction,
            OutboxProperties properties,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.rabbit = rabbit;
        this.transaction = transaction;
        this.properties = properties;
        this.published = Counter.builder("tandem.outbox.published")
                .description("Events the broker confirmed")
                .register(meters);
        this.failed = Counter.builder("tandem.outbox.failed")
                .description("Publish attempts the broker refused or did not confirm in time")
                .register(meters);
        this.unroutable = Counter.builder("tandem.outbox.unroutable")
                .description("Confirmed events no queue was bound to")
                .register(meters);
        Gauge.builder("tandem.outbox.lag", this::lagSeconds)
                .description("Age in seconds of the oldest unsent outbox event (0 when none)")
                .baseUnit("seconds")
                .register(meters);
    }

    private double lagSeconds() {
        return jdbc.sql("select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 from outbox"
                        + " where producer = ? and sent_at is null")
                .param(Events.PRODUCER_CORE_APP)
                .query(Double.class)
                .single();
    }

    /** Asks the relay to look for work now rather than at its next poll. */
    void wakeUp() {
        work.release();
    }

    /** Publishes one batch of due rows; returns how many the broker confirmed. */
    int relayBatch() {
        Integer confirmed = transaction.execute(status -> {
            List<PendingEvent> batch = jdbc.sql("""
                            select seq, event_id, event_type, routing_key, payload::text as payload, attempts
                            from outbox
                            where producer = ? and sent_at is null
                              and (next_attempt_at is null or next_attempt_at <= now())
                            order by seq
                            limit ?
                            for update skip locked
                            """)
                    .params(Events.PRODUCER_CORE_APP, properties.batchSize())
                    .query(PendingEvent.class)
                    .list();
            List<CorrelationData> confirms = batch.stream().map(this::publish).toList();
            // One deadline for the whole batch: the confirms arrive together, or not at all.
            long deadline = System.nanoTime() + properties.confirmTimeout().toNanos();
            List<Long> sent = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                String failure = awaitConfirm(confirms.get(i), deadline);
                if (failure == null) {
                    sent.add(batch.get(i).seq());
                } else {
                    scheduleRetry(batch.get(i), failure);
                }
            }
            if (!sent.isEmpty()) {
                jdbc.sql("update outbox set sent_at = now(), attempts = attempts + 1, last_error = null"
                                + " where seq = any(?)")
                        .param(sent.toArray(Long[]::new))
                        .update();
            }
            published.increment(sent.size());
            return sent.size();
        });
        return confirmed == null ? 0 : confirmed;
    }

    private CorrelationData publish(PendingEvent event) {
        MessageProperties props = new MessageProperties();
        props.setMessageId(event.eventId().toString());
        props.setType(event.eventType());
        props.setAppId(Events.PRODUCER_CORE_APP);
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setContentEncoding(StandardCharsets.UTF_8.name());
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        CorrelationData correlation = new CorrelationData(event.eventId().toString());
        rabbit.send(
                Events.EXCHANGE,
                event.routingKey(),
                new Message(event.payload().getBytes(StandardCharsets.UTF_8), props),
                correlation);
        return correlation;
    }

    /** Null when the broker confirmed the message, otherwise why it did not. */
    private String awaitConfirm(CorrelationData correlation, long deadline) {
        try {
            CorrelationData.Confirm confirm =
                    correlation.getFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!confirm.ack()) {
                return "nacked by the broker: " + confirm.reason();
            }
            if (correlation.getReturned() != null) {
                // Routed nowhere: no queue is bound for this event type. Not retried (it would
                // route nowhere again), but counted and logged: a consumer that must not miss events
                // declares a durable queue.
                unroutable.increment();
                log.warn(
                        "outbox: event {} ({}) was routed to no queue",
                        correlation.getId(),
                        correlation.getReturned().getRoutingKey());
            }
            return null;
        } catch (TimeoutException e) {
            return "no confirm within " + properties.confirmTimeout();
        } catch (ExecutionException e) {
            return "publish failed: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the confirm";
        }
    }

    private void scheduleRetry(PendingEvent event, String failure) {
        failed.increment();
        long delaySeconds = Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(event.attempts(), 20));
        log.warn("outbox: event {} not published ({}); retrying in {} s", event.eventId(), failure, delaySeconds);
        jdbc.sql("update outbox set attempts = attempts + 1, last_error = ?,"
                        + " next_attempt_at = now() + make_interval(secs => ?) where seq = ?")
                .params(failure, delaySeconds, event.seq())
                .update();
    }

    /** The longest pause between runs while the broker or the database cannot be reached. */
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private void loop() {
        int failures = 0;
        while (running) {
            try {
                int confirmed = relayBatch();
                if (failures > 0) {
                    log.info("outbox relay: working again after {} failed runs", failures);
                    failures = 0;
                }
                if (confirmed < properties.batchSize()) {
                    work.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Broker or database away: the batch rolled back untouched. Back off (not per
                // row: the rows did nothing wrong), log the first failure and the recovery only.
                failures++;
                Duration pause = pauseAfter(failures);
                if (failures == 1) {
                    log.warn("outbox relay: {}; retrying, at most every {}", e.getMessage(), MAX_PAUSE);
                } else {
                    log.debug("outbox relay: still failing ({}); next try in {}", e.getMessage(), pause);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** The poll interval, doubled with each failed run in a row, at most {@link #MAX_PAUSE}. */
    private Duration pauseAfter(int failures) {
        Duration pause = properties.pollInterval().multipliedBy(1L << Math.min(failures - 1, 16));
        return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofVirtual().name("outbox-relay").start(this::loop);
    }

    /**
     * Lets the current batch finish (no interrupt: that would break its connection mid-flight and
     * publish the batch twice), then stops.
     */
    @Override
    public void stop() {
        running = false;
        work.release();
        if (thread != null) {
            try {
                thread.join(properties.confirmTimeout().plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server's graceful shutdown, so events of in-flight requests still go out. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    record PendingEvent(long seq, UUID eventId, String eventType, String routingKey, String payload, int attempts) {}
}
