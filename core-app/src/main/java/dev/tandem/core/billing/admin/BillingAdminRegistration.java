package dev.tandem.core.billing.admin;

import dev.tandem.core.admin.AdminAction;
import dev.tandem.core.admin.AdminAction.AdminActionRefused;
import dev.tandem.core.admin.ModelAdmin;
import dev.tandem.core.admin.ModelAdmin.Operation;
import dev.tandem.core.billing.BillingRuleException;
import dev.tandem.core.billing.Reconciliation;
import dev.tandem.core.billing.StaffBilling;
import dev.tandem.core.identity.CurrentAccount;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Billing in the staff admin. Plans are edited; prices are added, never edited (the one added
 * retires the one it replaces); tax rates are edited per country. Subscriptions and invoices are
 * read-only records: a subscription changes only through billing's transitions, here the actions
 * "extend trial" and "comp the next period", each written to its history with the staff member.
 */
@Configuration(proxyBeanMethods = false)
class BillingAdminRegistration {

    static final int TRIAL_EXTENSION_DAYS = 14;

    @Bean
    ModelAdmin<Plan> planAdmin() {
        return ModelAdmin.of(Plan.class)
                .list("name", "code", "trialDays", "includedSeats", "apiCallsPerMonth", "listed", "sortOrder")
                .search("name", "code")
                .filters("listed")
                .ordering("sortOrder")
                .readOnly("createdAt")
                .inline(PlanPrice.class, "plan")
                .only(Operation.VIEW, Operation.ADD, Operation.CHANGE)
                .build();
    }

    @Bean
    ModelAdmin<PlanPrice> planPriceAdmin() {
        return ModelAdmin.of(PlanPrice.class)
                .label("Plan prices")
                .list("plan", "billingInterval", "currency", "unitAmount", "seatAmount", "active", "createdAt")
                .filters("plan", "billingInterval", "currency", "active")
                .ordering("-createdAt")
                .readOnly("active", "createdAt")
                .computed("Amounts", PlanPrice::amounts)
                .writableWhen((administrator, price) -> price.isNew())
                .only(Operation.VIEW, Operation.ADD)
                .build();
    }

    @Bean
    ModelAdmin<TaxRate> taxRateAdmin() {
        return ModelAdmin.of(TaxRate.class)
                .label("Tax rates")
                .list("country", "name", "basisPoints")
                .search("country", "name")
                .ordering("country")
                .only(Operation.VIEW, Operation.CHANGE)
                .build();
    }

    @Bean
    ModelAdmin<Subscription> subscriptionAdmin(StaffBilling billing, Reconciliation reconciliation) {
        return ModelAdmin.of(Subscription.class)
                .list("workspaceId", "plan", "status", "currentPeriodEnd", "trialEnd", "cancelAtPeriodEnd")
                .filters("status", "plan", "cancelAtPeriodEnd")
                .ordering("-createdAt")
                .inline(SubscriptionEvent.class, "subscription")
                .only(Operation.VIEW, Operation.CHANGE)
                .action(new AdminAction<>(
                        "extend-trial",
                        "Extend the trial of selected subscriptions by " + TRIAL_EXTENSION_DAYS + " days",
                        "Their trial, and the first invoice, move " + TRIAL_EXTENSION_DAYS
                                + " days later. Subscriptions not in a trial are refused.",
                        Operation.CHANGE,
                        subscriptions -> each(
                                subscriptions,
                                "Extended",
                                id -> billing.extendTrial(
                                        CurrentAccount.require().id(), id, TRIAL_EXTENSION_DAYS))))
                .action(new AdminAction<>(
                        "comp",
                        "Comp the next period of selected subscriptions",
                        "Their next invoice gets a credit of one period's price, seats included.",
                        Operation.CHANGE,
                        subscriptions -> each(
                                subscriptions,
                                "Comped the next period of",
                                id -> billing.compNextPeriod(
                                        CurrentAccount.require().id(), id))))
                .action(new AdminAction<>(
                        "reconcile",
                        "Reconcile selected subscriptions with the payment provider",
                        "Their workspaces' payments in doubt (waiting, or failed on an open invoice) and pending"
                                + " refunds are compared with the provider and corrected; each run is recorded"
                                + " under Billing reconciliations.",
                        Operation.CHANGE,
                        subscriptions -> {
                            long actor = CurrentAccount.require().id();
                            int checked = 0;
                            List<String> changes = new ArrayList<>();
                            for (Subscription subscription : subscriptions) {
                                Reconciliation.Result result =
                                        reconciliation.reconcile(subscription.workspaceId(), actor);
                                checked += result.checked();
                                changes.addAll(result.changes());
                            }
                            return "Checked " + checked + " payments and refunds; "
                                    + (changes.isEmpty() ? "nothing changed." : String.join("; ", changes) + ".");
                        }))
                .build();
    }

    @Bean
    ModelAdmin<Payment> paymentAdmin(StaffBilling billing) {
        return ModelAdmin.of(Payment.class)
                .display("intentRef")
                .list("intentRef", "invoice", "provider", "status", "amount", "currency", "failureReason", "createdAt")
                .search("intentRef")
                .filters("status", "provider")
                .ordering("-createdAt")
                .computed("Amount", Payment::amountAsText)
                .inline(Refund.class, "payment")
                .only(Operation.VIEW, Operation.CHANGE)
                .action(new AdminAction<>(
                        "refund",
                        "Refund selected payments in full",
                        "Each succeeded payment is refunded at the provider for what is left of it (its amount"
                                + " less earlier refunds); the refund and its answer are kept under the payment.",
                        Operation.CHANGE,
                        selected -> {
                            List<String> done = new ArrayList<>();
                            try {
                                for (Payment payment : selected) {
                                    done.add(payment + ": "
                                            + billing.refundInFull(
                                                    CurrentAccount.require().id(), payment.id(), "Refunded by staff"));
                                }
                            } catch (BillingRuleException e) {
                                throw new AdminActionRefused(e.getMessage());
                            }
                            return "Refunds: " + String.join("; ", done)
                                    + ". Each refund and the provider's answer are listed under its payment.";
                        }))
                .build();
    }

    @Bean
    ModelAdmin<Refund> refundAdmin() {
        return ModelAdmin.of(Refund.class)
                .list("payment", "amount", "status", "refundRef", "failureReason", "reason", "actor", "createdAt")
                .filters("status")
                .ordering("-createdAt")
                .only(Operation.VIEW)
                .build();
    }

    @Bean
    ModelAdmin<WebhookEvent> webhookEventAdmin() {
        return ModelAdmin.of(WebhookEvent.class)
                .label("Webhook events")
                .display("eventId")
                .list("receivedAt", "provider", "type", "eventId", "objectRef", "processedAt", "effect", "attempts")
                .search("eventId", "objectRef", "type")
                .filters("provider", "type")
                .ordering("-receivedAt")
                .computed("Signature", WebhookEvent::signature)
                .only(Operation.VIEW)
                .build();
    }

    @Bean
    ModelAdmin<BillingReconciliation> reconciliationAdmin() {
        return ModelAdmin.of(BillingReconciliation.class)
                .label("Billing reconciliations")
                .list("ranAt", "workspaceId", "actor", "checked", "changes")
                .ordering("-ranAt")
                .only(Operation.VIEW)
                .build();
    }

    @Bean
    ModelAdmin<SubscriptionEvent> subscriptionEventAdmin() {
        return ModelAdmin.of(SubscriptionEvent.class)
                .label("Subscription history")
                .list("subscription", "occurredAt", "action", "fromStatus", "toStatus", "planCode", "actor", "note")
                .filters("action", "toStatus")
                .ordering("-occurredAt")
                .only(Operation.VIEW)
                .build();
    }

    @Bean
    ModelAdmin<Invoice> invoiceAdmin(StaffBilling billing) {
        return ModelAdmin.of(Invoice.class)
                .display("number")
                .list("number", "billedTo", "kind", "status", "total", "currency", "issuedAt", "paidAt")
                .search("number", "billedTo")
                .filters("status", "kind", "currency")
                .ordering("-issuedAt")
                .computed("Total", Invoice::totalAsText)
                .inline(InvoiceLine.class, "invoice")
                .inline(CreditNote.class, "invoice")
                .only(Operation.VIEW, Operation.CHANGE)
                .action(new AdminAction<>(
                        "credit",
                        "Credit selected invoices in full",
                        "Each gets a credit note for what is left of it: an open invoice becomes void, a paid"
                                + " one's amount is credited on the subscription's next invoice.",
                        Operation.CHANGE,
                        invoices -> {
                            try {
                                invoices.forEach(invoice -> billing.creditInFull(
                                        CurrentAccount.require().id(), invoice.id(), "Credited by staff"));
                            } catch (BillingRuleException e) {
                                throw new AdminActionRefused(e.getMessage());
                            }
                            return "Credited " + invoices.size() + " invoices.";
                        }))
                .build();
    }

    @Bean
    ModelAdmin<CreditNote> creditNoteAdmin() {
        return ModelAdmin.of(CreditNote.class)
                .label("Credit notes")
                .display("number")
                .list("number", "invoice", "amount", "reason", "actor", "createdAt")
                .search("number")
                .ordering("-createdAt")
                .only(Operation.VIEW)
                .build();
    }

    @Bean
    ModelAdmin<InvoiceLine> invoiceLineAdmin() {
        return ModelAdmin.of(InvoiceLine.class)
                .label("Invoice lines")
                .display("description")
                .list("invoice", "position", "kind", "description", "quantity", "amount")
                .ordering("invoice", "position")
                .only(Operation.VIEW)
                .build();
    }

    private interface Step {
        void apply(long subscriptionId);
    }

    /** Applies {@code step} to each subscription; a refusal of any refuses the whole action. */
    private static String each(List<Subscription> subscriptions, String done, Step step) {
        try {
            subscriptions.forEach(subscription -> step.apply(subscription.id()));
        } catch (BillingRuleException e) {
            throw new AdminActionRefused(e.getMessage());
        }
        return done + " " + subscriptions.size() + " subscriptions.";
    }
}
