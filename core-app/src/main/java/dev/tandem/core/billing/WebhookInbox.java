package dev.tandem.core.billing;

import dev.tandem.core.platform.Sql;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The payment provider's webhooks, kept once and acted on once (docs/billing.md, "Webhooks"). A
 * verified event is written to {@code billing_webhook_events} and answered at once; a redelivery of
 * the same event id is refused by the table's key and changes nothing. Its effect runs after the
 * answer, in the transaction that marks it processed, so an effect is applied exactly when the
 * event is marked; a failure (or a crash) leaves it for the sweep, which tries it again.
 */
@Component
class WebhookInbox implements DisposableBean {

    /** The largest payload taken (Stripe's events are a few kilobytes). */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    /** How many times an event's effect is tried before it waits for staff. */
    static final int MAX_ATTEMPTS = 10;

    /**
     * How long a processed event is kept: its id refuses redeliveries (Stripe retries for three
     * days) and staff can read it; then the daily purge deletes it.
     */
    static final Duration KEEP = Duration.ofDays(90);

    private static final Logger log = LoggerFactory.getLogger(WebhookInbox.class);

    /** What a delivery did: recorded as new, or a duplicate of {@code eventId} that changed nothing. */
    record Received(String eventId, String type, boolean duplicate) {}

    private record Pending(String provider, String payload, Instant signedAt) {}

    private final JdbcClient jdbc;
    private final PaymentProvider provider;
    private final Payments payments;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final MeterRegistry meters;
    /**
     * Two threads apply effects after the answers; a burst beyond its queue is left to the sweep,
     * so a flood of events never holds an HTTP thread or more than two database connections.
     */
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(
            2,
            2,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1_000),
            Thread.ofPlatform().name("billing-webhook-", 0).daemon().factory(),
            new ThreadPoolExecutor.DiscardPolicy());

    WebhookInbox(
            JdbcClient jdbc,
            PaymentProvider provider,
            Payments payments,
            TransactionTemplate transaction,
            Clock clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.provider = provider;
        this.payments = payments;
        this.transaction = transaction;
        this.clock = clock;
        this.meters = meters;
    }

    /** Whether {@code name} is the provider whose webhooks this instance takes. */
    boolean takes(String name) {
        return provider.name().equals(name);
    }

    /**
     * Verifies and records one delivery, then has its effect applied after this returns; throws
     * {@link WebhookRejectedException} for anything not signed by the provider, recording nothing.
     */
    Received receive(String payload, @Nullable String signature) {
        Instant now = clock.instant();
        PaymentProvider.Event event;
        try {
            event = provider.verify(payload, signature, clock);
        } catch (WebhookRejectedException e) {
            count("rejected");
            throw e;
        }
        Optional<Long> id = jdbc.sql("""
                        insert into billing_webhook_events (provider, event_id, type, object_ref, created_at,
                            signed_at, received_at, payload)
                        values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                        on conflict (provider, event_id) do nothing
                        returning id
                        """)
                .params(
                        provider.name(),
                        event.id(),
                        event.type(),
                        event.objectRef(),
                        Sql.at(event.created()),
                        Sql.at(event.signedAt()),
                        Sql.at(now),
                        payload)
                .query(Long.class)
                .optional();
        id.ifPresent(recorded -> worker.execute(() -> process(recorded)));
        count(id.isPresent() ? "recorded" : "duplicate");
        return new Received(event.id(), event.type(), id.isEmpty());
    }

    /**
     * Applies the effect of the event {@code id} unless it was processed (by this instance or
     * another: the row is locked, a locked row skipped); whether it was processed now.
     */
    boolean process(long id) {
        try {
            return Boolean.TRUE.equals(transaction.execute(status -> {
                Optional<Pending> pending = jdbc.sql("""
                                select provider, payload::text, signed_at from billing_webhook_events
                                where id = ? and processed_at is null for update skip locked
                                """)
                        .param(id)
                        .query((row, n) -> new Pending(
                                row.getString(1),
                                row.getString(2),
                                row.getTimestamp(3).toInstant()))
                        .optional();
                if (pending.isEmpty()) {
                    return false;
                }
                String effect = takes(pending.get().provider())
                        ? effect(provider.parse(
                                pending.get().payload(), pending.get().signedAt()))
                        : "none: this instance runs the " + provider.name() + " provider";
                jdbc.sql("update billing_webhook_events set processed_at = ?, effect = ?, attempts = attempts + 1,"
                                + " last_error = null where id = ?")
                        .params(Sql.at(clock.instant()), effect, id)
                        .update();
                return true;
            }));
        } catch (RuntimeException e) {
            log.warn("Webhook event {} failed; the sweep tries it again: {}", id, e.toString());
            count("effect_failed");
            jdbc.sql("update billing_webhook_events set attempts = attempts + 1, last_error = ? where id = ?")
                    .params(e.toString(), id)
                    .update();
            return false;
        }
    }

    private String effect(PaymentProvider.Event event) {
        if (event.payment() != null) {
            return payments.settle(event.payment());
        }
        if (event.type().equals("charge.refunded") && event.objectRef() != null && event.amountRefunded() != null) {
            return payments.refundedAtProvider(event.objectRef(), event.amountRefunded());
        }
        return "none: Tandem does not act on " + event.type();
    }

    /**
     * Events whose effect did not run (a crash after the answer, a failed try): tried again, the
     * oldest first, each after a back-off of its attempts squared in seconds.
     */
    @Scheduled(initialDelayString = "PT30S", fixedDelayString = "PT30S")
    int sweep() {
        Instant now = clock.instant();
        List<Long> pending = jdbc.sql("""
                        select id from billing_webhook_events
                        where processed_at is null and attempts < ?
                            and received_at + make_interval(secs => 5 + attempts * attempts) <= ?
                        order by received_at limit 100
                        """)
                .params(MAX_ATTEMPTS, Sql.at(now))
                .query(Long.class)
                .list();
        return (int) pending.stream().filter(this::process).count();
    }

    /** Deletes the processed events older than {@link #KEEP}, daily; an event never processed stays for staff. */
    @Scheduled(cron = "0 45 4 * * *", zone = "UTC")
    int purge() {
        return jdbc.sql("delete from billing_webhook_events where processed_at is not null and received_at < ?")
                .param(Sql.at(clock.instant().minus(KEEP)))
                .update();
    }

    /** Counts a delivery in {@code tandem.billing.webhooks} by its outcome. */
    void count(String outcome) {
        meters.counter("tandem.billing.webhooks", "provider", provider.name(), "outcome", outcome)
                .increment();
    }

    /** Lets the effects already running finish (the application is stopping); the queued ones wait for the sweep. */
    @Override
    public void destroy() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
