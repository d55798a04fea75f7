package dev.tandem.core.billing;

import dev.tandem.core.billing.InvoiceMaker.UsageWindow;
import dev.tandem.core.billing.Subscription.Change;
import dev.tandem.core.platform.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The end of periods: for every live subscription whose period has ended, in batches, each under
 * its row lock (rows another instance holds are skipped, so two core-app instances share the work
 * and never do the same row), the renewal — or the end — and its one invoice. Invoices are collected
 * after the batch commits. The same {@link #renew} runs first in every plan change, so a change
 * racing a renewal waits for the lock and then sees the period already renewed.
 */
@Component
class Renewals {

    static final int BATCH = 200;

    /** How old an open invoice with no payment tried is before the job collects it. */
    static final Duration FORGOTTEN_AFTER = Duration.ofMinutes(10);

    /** How long a claimed try of dunning is this instance's before another may try it (after a crash). */
    static final Duration RETRY_LEASE = Duration.ofMinutes(10);

    private final SubscriptionRepository subscriptions;
    private final InvoiceMaker invoices;
    private final Payments payments;
    private final Dunning dunning;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Renewals(
            SubscriptionRepository subscriptions,
            InvoiceMaker invoices,
            Payments payments,
            Dunning dunning,
            JdbcClient jdbc,
            TransactionTemplate transaction,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.payments = payments;
        this.dunning = dunning;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Renews or ends every subscription due now; how many invoices that made. */
    int renewDue() {
        int done = 0;
        while (true) {
            List<Long> made = new ArrayList<>();
            Integer batch = transaction.execute(status -> {
                Instant now = clock.instant();
                List<Subscription> due = subscriptions.lockDue(now, BATCH);
                due.forEach(subscription -> made.addAll(renew(subscription, now)));
                return due.size();
            });
            made.forEach(payments::collect);
            done += made.size();
            if (batch == null || batch < BATCH) {
                return done;
            }
        }
    }

    /**
     * Collects the open invoices of live subscriptions that no payment was ever tried for, made
     * more than {@link #FORGOTTEN_AFTER} ago: the collection after a renewal's commit never ran (a
     * crash in between) or the provider could not be reached. How many were tried.
     */
    int collectForgotten() {
        List<Long> forgotten = jdbc.sql("""
                        select i.id from invoices i join subscriptions s on s.id = i.subscription_id
                        where i.status = 'open' and s.status <> 'canceled' and i.issued_at <= ?
                            and not exists (select 1 from payments p where p.invoice_id = i.id)
                        order by i.id limit ?
                        """)
                .params(Sql.at(clock.instant().minus(FORGOTTEN_AFTER)), BATCH)
                .query(Long.class)
                .list();
        forgotten.forEach(payments::collect);
        return forgotten.size();
    }

    /**
     * Runs every try of dunning that is due now, each claimed for {@link #RETRY_LEASE} first (so
     * instances share them) and made outside any transaction; how many were tried.
     */
    int retryDue() {
        int done = 0;
        while (true) {
            List<Long> due = transaction.execute(status -> dunning.claimDue(clock.instant(), BATCH, RETRY_LEASE));
            if (due == null || due.isEmpty()) {
                return done;
            }
            due.forEach(payments::retry);
            done += due.size();
        }
    }

    /**
     * Every period of {@code subscription} (locked by the caller) that ended by {@code now}: renewed
     * with its invoice, or ended with a final one when anything is left to bill. The invoices made.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    List<Long> renew(Subscription subscription, Instant now) {
        List<Long> made = new ArrayList<>();
        while (subscription.due(now)) {
            Instant endedStart = subscription.periodStart();
            Instant endedEnd = subscription.periodEnd();
            UsageWindow usage = subscription.status() == Subscription.Status.TRIALING
                    ? null
                    : new UsageWindow(endedStart, endedEnd);
            Change change = subscription.renew();
            if (change.from() == Subscription.Status.INCOMPLETE) {
                invoices.voidOpen(subscription.id());
            }
            if (subscription.status() == Subscription.Status.CANCELED) {
                invoices.make(subscription, "final", endedEnd, endedEnd, usage).ifPresent(made::add);
            } else {
                invoices.make(subscription, "renewal", subscription.periodStart(), subscription.periodEnd(), usage)
                        .ifPresent(made::add);
            }
            subscriptions.save(subscription, change, null);
        }
        return made;
    }
}
