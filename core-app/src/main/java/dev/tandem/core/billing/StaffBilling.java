package dev.tandem.core.billing;

import dev.tandem.core.platform.Sql;
import java.time.Clock;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
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
    private final TransactionTemplate transaction;
    private final Clock clock;

    StaffBilling(
            JdbcClient jdbc,
            Catalogue catalogue,
            SubscriptionRepository subscriptions,
            InvoiceMaker invoices,
            Dunning dunning,
            TransactionTemplate transaction,
            Clock clock) {
        this.jdbc = jdbc;
        this.catalogue = catalogue;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.dunning = dunning;
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
}
