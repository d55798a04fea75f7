package dev.tandem.core.billing;

import dev.tandem.core.billing.PaymentProvider.Outcome;
import dev.tandem.core.billing.PaymentProvider.Payment;
import dev.tandem.core.platform.Sql;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Collects open invoices through the {@link PaymentProvider}, outside any transaction (a provider
 * call never holds a row lock), then records the payment and its effect in one: a paid invoice; a
 * first payment or a past-due subscription made active; an active one fallen past due. The
 * idempotency key is the invoice and its attempt number, so a crash between the charge and its
 * record makes the retry answer the same payment, never a second charge.
 */
@Component
class Payments {

    private record Due(
            long invoiceId,
            long workspaceId,
            long subscriptionId,
            String number,
            long total,
            String currency,
            @Nullable String customerRef,
            @Nullable String paymentMethodRef,
            long attempts) {}

    private final JdbcClient jdbc;
    private final PaymentProvider provider;
    private final SubscriptionRepository subscriptions;
    private final Dunning dunning;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Payments(
            JdbcClient jdbc,
            PaymentProvider provider,
            SubscriptionRepository subscriptions,
            Dunning dunning,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.jdbc = jdbc;
        this.provider = provider;
        this.subscriptions = subscriptions;
        this.dunning = dunning;
        // Its own transaction always: collect may run in another one's afterCommit, where joining
        // would write into a transaction that has already committed.
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /**
     * Tries to collect the invoice if it is open and no payment of it succeeded or waits for the
     * customer; the outcome, or empty when there was nothing to do.
     */
    Optional<Payment> collect(long invoiceId) {
        Optional<Due> found = jdbc.sql("""
                        select i.id, i.workspace_id, i.subscription_id, i.number, i.total, i.currency,
                            b.customer_ref, b.payment_method_ref,
                            (select count(*) from payments p where p.invoice_id = i.id) as attempts
                        from invoices i left join billing_profiles b on b.workspace_id = i.workspace_id
                        where i.id = ? and i.status = 'open' and not exists (select 1 from payments p
                            where p.invoice_id = i.id and p.status in ('succeeded', 'requires_action'))
                        """)
                .param(invoiceId)
                .query((row, n) -> new Due(
                        row.getLong("id"),
                        row.getLong("workspace_id"),
                        row.getLong("subscription_id"),
                        row.getString("number"),
                        row.getLong("total"),
                        row.getString("currency"),
                        row.getString("customer_ref"),
                        row.getString("payment_method_ref"),
                        row.getLong("attempts")))
                .optional();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Due due = found.get();
        String attempt = "invoice-" + due.invoiceId() + "-" + (due.attempts() + 1);
        // No method to charge is a failed try too, recorded like one (dunning counts it).
        Payment payment;
        try {
            payment = due.customerRef() == null || due.paymentMethodRef() == null
                    ? new Payment("no-method-" + attempt, Outcome.FAILED, "No payment method is saved.", null)
                    : provider.charge(new PaymentProvider.Charge(
                            due.customerRef(),
                            due.paymentMethodRef(),
                            due.total(),
                            due.currency(),
                            attempt,
                            "Invoice " + due.number()));
        } catch (ProviderUnavailableException e) {
            // Nothing was decided: no try is recorded, and the billing job collects it again
            // (Renewals.collectForgotten) under the same idempotency key.
            return Optional.empty();
        }
        transaction.executeWithoutResult(status -> {
            Instant now = clock.instant();
            jdbc.sql("""
                            insert into payments (invoice_id, provider, intent_ref, status, amount, currency,
                                failure_reason, action_url, created_at, updated_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            on conflict (provider, intent_ref) do nothing
                            """)
                    .params(
                            due.invoiceId(),
                            provider.name(),
                            payment.intentRef(),
                            code(payment.outcome()),
                            due.total(),
                            due.currency(),
                            payment.failure(),
                            payment.actionUrl(),
                            Sql.at(now),
                            Sql.at(now))
                    .update();
            apply(due.invoiceId(), due.subscriptionId(), payment);
        });
        return Optional.of(payment);
    }

    /**
     * A due try of dunning: collects the invoice again; when there was nothing to collect, ends
     * dunning if the invoice was settled or its subscription ended, or counts the try as failed when
     * a payment still waits for the customer's confirmation (no second charge is made meanwhile).
     * When the provider could not be reached nothing is counted: the try's claim runs out and it is
     * made again ({@link Renewals#RETRY_LEASE}).
     */
    void retry(long invoiceId) {
        if (collect(invoiceId).isPresent()) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            Instant now = clock.instant();
            Optional<Settled> invoice = jdbc.sql("select subscription_id, status from invoices where id = ?")
                    .param(invoiceId)
                    .query((row, n) -> new Settled(row.getObject(1, Long.class), row.getString(2)))
                    .optional();
            Subscription subscription = invoice.map(Settled::subscriptionId)
                    .flatMap(subscriptions::lock)
                    .orElse(null);
            if (invoice.isEmpty() || subscription == null) {
                dunning.close(invoiceId, now);
            } else if (invoice.get().status().equals("paid")) {
                dunning.paid(invoiceId, subscription.workspaceId(), now);
            } else if (!invoice.get().status().equals("open")
                    || subscription.status() != Subscription.Status.PAST_DUE) {
                dunning.close(invoiceId, now);
            } else if (jdbc.sql("select exists (select 1 from payments where invoice_id = ?"
                            + " and status = 'requires_action')")
                    .param(invoiceId)
                    .query(Boolean.class)
                    .single()) {
                int tries = jdbc.sql("select tries from dunning where invoice_id = ?")
                        .param(invoiceId)
                        .query(Integer.class)
                        .single();
                dunning.failed(
                        subscription,
                        invoiceId,
                        "awaiting-action-" + invoiceId + "-" + (tries + 1),
                        "The payment waits for your confirmation.",
                        now);
            }
        });
    }

    /**
     * Reads again a payment that waited for the customer's action (they came back from it) and
     * records its outcome; the invoice's workspace must be {@code workspaceId}.
     */
    Optional<Payment> refresh(long workspaceId, String intentRef) {
        boolean waiting = jdbc.sql("""
                        select exists (select 1 from payments p join invoices i on i.id = p.invoice_id
                            where p.provider = ? and p.intent_ref = ? and i.workspace_id = ?
                            and p.status = 'requires_action')
                        """)
                .params(provider.name(), intentRef, workspaceId)
                .query(Boolean.class)
                .single();
        if (!waiting) {
            return Optional.empty();
        }
        Payment payment = provider.payment(intentRef);
        transaction.executeWithoutResult(status -> settle(payment));
        return Optional.of(payment);
    }

    /**
     * The provider's word on one of its payments (a webhook, a reconciliation, the customer back
     * from their bank), applied at most once and never backwards: a succeeded payment stays
     * succeeded, a failure reported again changes nothing, and a payment still waiting changes
     * nothing. What it changed, in words, for the record.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    String settle(Payment reported) {
        Optional<Recorded> found = jdbc.sql("""
                        select p.invoice_id, p.status, i.subscription_id, i.number
                        from payments p join invoices i on i.id = p.invoice_id
                        where p.provider = ? and p.intent_ref = ?
                        for update of p
                        """)
                .params(provider.name(), reported.intentRef())
                .query((row, n) ->
                        new Recorded(row.getLong(1), row.getString(2), row.getObject(3, Long.class), row.getString(4)))
                .optional();
        if (found.isEmpty()) {
            return "none: no payment " + reported.intentRef() + " is recorded here";
        }
        Recorded recorded = found.get();
        String now = code(reported.outcome());
        if (recorded.status().equals("succeeded")) {
            return "none: the payment had already succeeded";
        }
        if (reported.outcome() == Outcome.REQUIRES_ACTION || recorded.status().equals(now)) {
            return "none: the payment was already " + recorded.status();
        }
        jdbc.sql("update payments set status = ?, failure_reason = ?, updated_at = ?"
                        + " where provider = ? and intent_ref = ?")
                .params(now, reported.failure(), Sql.at(clock.instant()), provider.name(), reported.intentRef())
                .update();
        apply(recorded.invoiceId(), recorded.subscriptionId(), reported);
        return "payment " + recorded.status() + " -> " + now + " (invoice " + recorded.number() + ")";
    }

    /**
     * The provider says {@code amountRefunded} of the payment {@code intentRef} is refunded in all:
     * what the recorded refunds do not cover (a refund made in the provider's dashboard) is
     * recorded as one, succeeded, by nobody here. A refund already recorded is never counted twice.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    String refundedAtProvider(String intentRef, long amountRefunded) {
        Optional<Long> paymentId = jdbc.sql("select id from payments where provider = ? and intent_ref = ? for update")
                .params(provider.name(), intentRef)
                .query(Long.class)
                .optional();
        if (paymentId.isEmpty()) {
            return "none: no payment " + intentRef + " is recorded here";
        }
        long recorded = jdbc.sql(
                        "select coalesce(sum(amount), 0) from refunds where payment_id = ? and status <> 'failed'")
                .param(paymentId.get())
                .query(Long.class)
                .single();
        long missing = amountRefunded - recorded;
        if (missing <= 0) {
            return "none: the refunds were already recorded";
        }
        Instant now = clock.instant();
        jdbc.sql("""
                        insert into refunds (payment_id, amount, reason, status, created_at, updated_at)
                        values (?, ?, 'Refunded at the provider', 'succeeded', ?, ?)
                        """).params(paymentId.get(), missing, Sql.at(now), Sql.at(now)).update();
        return "refund of " + missing + " made at the provider recorded";
    }

    private record Recorded(
            long invoiceId, String status, @Nullable Long subscriptionId, String number) {}

    private record Settled(@Nullable Long subscriptionId, String status) {}

    private void apply(long invoiceId, @Nullable Long subscriptionId, Payment payment) {
        if (payment.outcome() == Outcome.REQUIRES_ACTION) {
            return;
        }
        Instant now = clock.instant();
        // The subscription's lock first, as everywhere else that writes its invoices.
        Subscription subscription = subscriptionId == null
                ? null
                : subscriptions.lock(subscriptionId).orElse(null);
        if (payment.outcome() == Outcome.SUCCEEDED) {
            jdbc.sql("update invoices set status = 'paid', paid_at = ? where id = ? and status = 'open'")
                    .params(Sql.at(now), invoiceId)
                    .update();
            if (subscription != null) {
                dunning.paid(invoiceId, subscription.workspaceId(), now);
                if (subscription.status() == Subscription.Status.INCOMPLETE
                        || subscription.status() == Subscription.Status.PAST_DUE) {
                    subscriptions.save(subscription, subscription.paymentSucceeded(), null);
                }
            }
            return;
        }
        if (subscription == null) {
            return;
        }
        if (subscription.status() == Subscription.Status.ACTIVE) {
            subscriptions.save(subscription, subscription.paymentFailed(), null);
        }
        dunning.failed(subscription, invoiceId, payment.intentRef(), payment.failure(), now);
    }

    private static String code(Outcome outcome) {
        return outcome.name().toLowerCase(java.util.Locale.ROOT);
    }
}
