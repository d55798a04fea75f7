package dev.tandem.core.billing;

import dev.tandem.core.platform.Sql;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What staff do to a customer's billing from the admin: extend a trial, comp a period, credit an
 * invoice. Each runs in one transaction under the subscription's (or the invoice's) row lock and is
 * written to the subscription's history with the staff member, or to a numbered credit note.
 */
@Service
public class StaffBilling {

    private final JdbcClient jdbc;
    private final Catalogue catalogue;
    private final SubscriptionRepository subscriptions;
    private final InvoiceMaker invoices;
    private final Dunning dunning;
    private final PaymentProvider provider;
    private final Reconciliation reconciliation;
    private final TransactionTemplate transaction;
    private final Clock clock;

    StaffBilling(
            JdbcClient jdbc,
            Catalogue catalogue,
            SubscriptionRepository subscriptions,
            InvoiceMaker invoices,
            Dunning dunning,
            PaymentProvider provider,
            Reconciliation reconciliation,
            TransactionTemplate transaction,
            Clock clock) {
        this.jdbc = jdbc;
        this.catalogue = catalogue;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.dunning = dunning;
        this.provider = provider;
        this.reconciliation = reconciliation;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Staff: the trial of subscription {@code subscriptionId} lasts {@code days} longer. */
    public void extendTrial(long actor, long subscriptionId, int days) {
        transaction.executeWithoutResult(status -> {
            Subscription subscription = subscriptions.lock(subscriptionId).orElseThrow();
            subscriptions.save(subscription, subscription.extendTrial(days), actor);
        });
    }

    /** Staff: the next period is free (a credit of its price on the next invoice). */
    public void compNextPeriod(long actor, long subscriptionId) {
        transaction.executeWithoutResult(status -> {
            Subscription subscription = subscriptions.lock(subscriptionId).orElseThrow();
            if (subscription.status() == Subscription.Status.CANCELED) {
                throw new BillingRuleException("This subscription has ended.");
            }
            Plan plan = catalogue.plan(subscription.planId());
            Price price = catalogue.price(subscription.priceId()).orElseThrow();
            long amount = price.periodAmount(invoices.seats(subscription.workspaceId()), plan.includedSeats());
            invoices.addAdjustment(subscription.id(), "comp", "Complimentary period", -amount);
            subscriptions.save(
                    subscription,
                    new Subscription.Change(
                            "period_comped", subscription.status(), subscription.planCode(), price.format(amount)),
                    actor);
        });
    }

    /**
     * Staff: credits what is left of invoice {@code invoiceId} with a credit note. An open invoice
     * becomes void; a paid one's amount is credited on the subscription's next invoice. The number
     * of the credit note.
     */
    public String creditInFull(long actor, long invoiceId, String reason) {
        return transaction.execute(status -> {
            Credited invoice = jdbc.sql("""
                            select subscription_id, number, status,
                                total - (select coalesce(sum(c.amount), 0) from credit_notes c where c.invoice_id = i.id) as left_to_credit
                            from invoices i where id = ? for update
                            """)
                    .param(invoiceId)
                    .query((row, n) -> new Credited(
                            row.getLong("subscription_id"),
                            row.getString("number"),
                            row.getString("status"),
                            row.getLong("left_to_credit")))
                    .optional()
                    .orElseThrow(() -> new BillingRuleException("No such invoice."));
            if (invoice.left() <= 0 || invoice.status().equals("void")) {
                throw new BillingRuleException("Invoice " + invoice.number() + " has nothing left to credit.");
            }
            Instant now = clock.instant();
            String number = invoices.nextNumber("credit_note", "CN-", now);
            jdbc.sql("insert into credit_notes (invoice_id, number, amount, reason, actor_id, created_at)"
                            + " values (?, ?, ?, ?, ?, ?)")
                    .params(invoiceId, number, invoice.left(), reason, actor, Sql.at(now))
                    .update();
            if (invoice.status().equals("open")) {
                jdbc.sql("update invoices set status = 'void' where id = ?")
                        .param(invoiceId)
                        .update();
                dunning.close(invoiceId, now);
            } else {
                subscriptions
                        .lock(invoice.subscriptionId())
                        .filter(subscription -> subscription.status() != Subscription.Status.CANCELED)
                        .ifPresent(subscription -> invoices.addAdjustment(
                                subscription.id(),
                                "credit",
                                "Credit note " + number + " for invoice " + invoice.number(),
                                -invoice.left()));
            }
            return number;
        });
    }

    private record Credited(long subscriptionId, String number, String status, long left) {}

    /**
     * Refunds what is left of a succeeded payment (its amount less earlier refunds), recorded
     * pending first so its id keys the provider's refund, and asked of the provider only once that
     * is committed: the refund's status ({@code requested} when called inside a transaction, asked
     * after its commit), or a refusal. A provider out of reach leaves it pending, asked again by
     * the reconciliation.
     */
    public String refundInFull(long actor, long paymentId, String reason) {
        record Refundable(String provider, String intentRef, String status, long left) {}
        record Pending(long id, String intentRef, long amount) {}
        Instant now = clock.instant();
        Pending pending = transaction.execute(status -> {
            Refundable payment = jdbc.sql("""
                            select p.provider, p.intent_ref, p.status, p.amount - coalesce((select sum(r.amount)
                                from refunds r where r.payment_id = p.id and r.status <> 'failed'), 0)
                            from payments p where p.id = ? for update
                            """)
                    .param(paymentId)
                    .query((row, n) ->
                            new Refundable(row.getString(1), row.getString(2), row.getString(3), row.getLong(4)))
                    .optional()
                    .orElseThrow(() -> new BillingRuleException("No such payment."));
            if (!payment.status().equals("succeeded")) {
                throw new BillingRuleException(
                        "Payment " + payment.intentRef() + " did not succeed: nothing to refund.");
            }
            if (!payment.provider().equals(provider.name())) {
                throw new BillingRuleException("Payment " + payment.intentRef() + " was made with " + payment.provider()
                        + "; refund it there.");
            }
            if (payment.left() <= 0) {
                throw new BillingRuleException("Payment " + payment.intentRef() + " is already refunded.");
            }
            long id = jdbc.sql("""
                            insert into refunds (payment_id, amount, reason, actor_id, status, created_at, updated_at)
                            values (?, ?, ?, ?, 'pending', ?, ?) returning id
                            """)
                    .params(paymentId, payment.left(), reason, actor, Sql.at(now), Sql.at(now))
                    .query(Long.class)
                    .single();
            return new Pending(id, payment.intentRef(), payment.left());
        });
        Objects.requireNonNull(pending);
        Supplier<String> ask = () -> {
            try {
                return reconciliation.record(
                        pending.id(),
                        provider.refund(pending.intentRef(), pending.amount(), Reconciliation.key(pending.id())));
            } catch (ProviderUnavailableException e) {
                return "pending (the provider could not be reached; the reconciliation asks again)";
            }
        };
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return ask.get();
        }
        // Inside the caller's transaction (the admin's action): the provider is asked once the
        // pending refund is committed, so a rollback never leaves a refund made and unrecorded.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                ask.get();
            }
        });
        return "requested";
    }
}
