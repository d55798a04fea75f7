package dev.tandem.core.billing;

import dev.tandem.core.platform.Sql;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The retries of an unpaid invoice (docs/billing.md, "Dunning"): the first failed collection of an
 * invoice of a live subscription starts them, the subscription falls {@code past_due}, and each try
 * after it is due at its delay from the first ({@link BillingProperties#dunningRetries}). Each failed
 * try mails the billing contacts ({@link DunningTried}); when the last one fails the subscription is
 * canceled; a payment in between ends them and makes it active again ({@link DunningRecovered}).
 *
 * <p>A try is known by the payment it made, so the same try reported twice (the charge's answer,
 * then the provider's webhook) counts once. Everything here runs in the caller's transaction, under
 * the subscription's row lock.
 */
@Component
class Dunning {

    /** A failed try: the {@code tries}-th of {@code of}; the next is at {@code nextTryAt}, or none and the subscription ended. */
    record DunningTried(
            long invoiceId,
            long workspaceId,
            int tries,
            int of,
            @Nullable String failure,
            @Nullable Instant nextTryAt) {

        boolean canceled() {
            return nextTryAt == null;
        }
    }

    /** An invoice in dunning was paid after {@code tries} failed tries. */
    record DunningRecovered(long invoiceId, long workspaceId, int tries) {}

    /**
     * The least time between two tries: after an outage of the job the missed tries are spread
     * out again, not made (and mailed) all at once.
     */
    static final Duration MIN_GAP = Duration.ofHours(1);

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private record Open(
            int tries, String lastAttemptRef, @Nullable String outcome, Instant startedAt) {}

    private final JdbcClient jdbc;
    private final SubscriptionRepository subscriptions;
    private final ApplicationEventPublisher events;
    private final List<Duration> retries;

    Dunning(
            JdbcClient jdbc,
            SubscriptionRepository subscriptions,
            ApplicationEventPublisher events,
            BillingProperties properties) {
        this.jdbc = jdbc;
        this.subscriptions = subscriptions;
        this.events = events;
        this.retries = List.copyOf(properties.dunningRetries());
    }

    /** How many tries an invoice gets in all: the first collection and each retry. */
    int tries() {
        return retries.size() + 1;
    }

    /**
     * Records the failed try {@code attemptRef} of {@code invoiceId}, whose subscription the caller
     * has locked and made {@code past_due}: schedules the next try, or cancels the subscription
     * after the last. Nothing happens for a try already recorded, or once dunning has ended.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void failed(Subscription subscription, long invoiceId, String attemptRef, @Nullable String failure, Instant now) {
        if (subscription.status() != Subscription.Status.PAST_DUE) {
            return;
        }
        Optional<Open> open = jdbc.sql("select tries, last_attempt_ref, outcome, started_at from dunning"
                        + " where invoice_id = ? for update")
                .param(invoiceId)
                .query((row, n) -> new Open(
                        row.getInt(1),
                        row.getString(2),
                        row.getString(3),
                        row.getTimestamp(4).toInstant()))
                .optional();
        if (open.isPresent()
                && (open.get().outcome() != null || open.get().lastAttemptRef().equals(attemptRef))) {
            return;
        }
        int tries = open.map(o -> o.tries() + 1).orElse(1);
        Instant started = open.map(Open::startedAt).orElse(now);
        Instant next = tries < tries() ? latest(started.plus(retries.get(tries - 1)), now.plus(MIN_GAP)) : null;
        if (open.isEmpty()) {
            jdbc.sql("""
                            insert into dunning (invoice_id, subscription_id, tries, last_attempt_ref, last_failure,
                                next_try_at, started_at, updated_at)
                            values (?, ?, 1, ?, ?, ?, ?, ?)
                            """)
                    .params(invoiceId, subscription.id(), attemptRef, failure, Sql.at(next), Sql.at(now), Sql.at(now))
                    .update();
        } else {
            jdbc.sql("""
                            update dunning set tries = ?, last_attempt_ref = ?, last_failure = ?, next_try_at = ?,
                                outcome = ?, updated_at = ?
                            where invoice_id = ?
                            """)
                    .params(
                            tries,
                            attemptRef,
                            failure,
                            Sql.at(next),
                            next == null ? "exhausted" : null,
                            Sql.at(now),
                            invoiceId)
                    .update();
        }
        if (next == null) {
            subscriptions.save(subscription, subscription.endNow(now, "unpaid after " + tries + " tries"), null);
        }
        events.publishEvent(new DunningTried(invoiceId, subscription.workspaceId(), tries, tries(), failure, next));
    }

    /** The invoice was paid: ends its dunning, if any (the caller makes the subscription active). */
    @Transactional(propagation = Propagation.MANDATORY)
    void paid(long invoiceId, long workspaceId, Instant now) {
        jdbc.sql("update dunning set outcome = 'recovered', next_try_at = null, updated_at = ?"
                        + " where invoice_id = ? and outcome is null returning tries")
                .params(Sql.at(now), invoiceId)
                .query(Integer.class)
                .optional()
                .ifPresent(tries -> events.publishEvent(new DunningRecovered(invoiceId, workspaceId, tries)));
    }

    /** The invoice was settled another way (voided, credited, or its subscription ended): no more tries. */
    @Transactional(propagation = Propagation.MANDATORY)
    void close(long invoiceId, Instant now) {
        jdbc.sql("update dunning set outcome = 'closed', next_try_at = null, updated_at = ?"
                        + " where invoice_id = ? and outcome is null")
                .params(Sql.at(now), invoiceId)
                .update();
    }

    /**
     * Claims up to {@code limit} invoices whose next try is due: their next try moves {@code lease}
     * ahead, so another instance does not try them too while this one does (a crash retries them
     * after the lease). The caller's transaction commits the claim before the tries run.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    List<Long> claimDue(Instant now, int limit, Duration lease) {
        List<Long> due = jdbc.sql("select invoice_id from dunning where outcome is null and next_try_at <= ?"
                        + " order by next_try_at limit ? for update skip locked")
                .params(Sql.at(now), limit)
                .query(Long.class)
                .list();
        if (!due.isEmpty()) {
            jdbc.sql("update dunning set next_try_at = ? where invoice_id = any(?)")
                    .params(Sql.at(now.plus(lease)), due.toArray(Long[]::new))
                    .update();
        }
        return due;
    }
}
