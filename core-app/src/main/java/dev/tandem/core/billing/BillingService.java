package dev.tandem.core.billing;

import dev.tandem.core.billing.PaymentProvider.Payment;
import dev.tandem.core.billing.Subscription.PlanChange;
import dev.tandem.core.platform.Sql;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a workspace's billing people do: save a payment method, subscribe, change plan (with its
 * preview), cancel and resume ({@link StaffBilling} has what staff do). Each change runs
 * in one transaction under the workspace's row lock (so two changes of one workspace, or a change
 * and the renewal job, take turns); payments are collected after it commits. Callers check the
 * member's role: this service trusts its {@code actor}.
 */
@Service
public class BillingService {

    /** What a plan change would do now: the proration lines and what it adds to the next invoice. */
    public record ChangePreview(
            Plan from, Plan to, Price price, Optional<Proration> proration, boolean periodRestarted) {}

    private final JdbcClient jdbc;
    private final Catalogue catalogue;
    private final SubscriptionRepository subscriptions;
    private final InvoiceMaker invoices;
    private final Renewals renewals;
    private final Payments payments;
    private final PaymentProvider provider;
    private final TransactionTemplate transaction;
    private final Clock clock;

    BillingService(
            JdbcClient jdbc,
            Catalogue catalogue,
            SubscriptionRepository subscriptions,
            InvoiceMaker invoices,
            Renewals renewals,
            Payments payments,
            PaymentProvider provider,
            TransactionTemplate transaction,
            Clock clock) {
        this.jdbc = jdbc;
        this.catalogue = catalogue;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.renewals = renewals;
        this.payments = payments;
        this.provider = provider;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * Saves the card the browser tokenized as the workspace's payment method (refused with the
     * provider's reason when declined), then tries again an open invoice that could not be collected.
     */
    public PaymentProvider.Card savePaymentMethod(long workspaceId, String workspaceName, String token) {
        String customer = customerRef(workspaceId).orElseGet(() -> provider.createCustomer(workspaceId, workspaceName));
        return save(workspaceId, customer, provider.setUp(customer, token));
    }

    /**
     * The provider's page where the workspace's card is saved (Stripe Checkout), its customer made
     * first; empty when the provider takes cards in Tandem's own form (the sandbox).
     */
    public Optional<String> hostedSetup(
            long workspaceId, String workspaceName, String currency, String returnUrl, String cancelUrl) {
        if (!provider.hostsSetup()) {
            return Optional.empty();
        }
        String customer = customerRef(workspaceId).orElseGet(() -> {
            String made = provider.createCustomer(workspaceId, workspaceName);
            jdbc.sql("""
                            insert into billing_profiles (workspace_id, provider, customer_ref, updated_at)
                            values (?, ?, ?, ?)
                            on conflict (workspace_id) do update set provider = excluded.provider,
                                customer_ref = excluded.customer_ref, payment_method_ref = null, card_brand = null,
                                card_last4 = null, card_expires = null, updated_at = excluded.updated_at
                            """)
                    .params(workspaceId, provider.name(), made, Sql.at(clock.instant()))
                    .update();
            return made;
        });
        return provider.hostedSetup(customer, currency, returnUrl, cancelUrl);
    }

    /** Saves the card the customer saved on the provider's page {@code sessionRef}, as {@link #savePaymentMethod} does. */
    public PaymentProvider.Card completeHostedSetup(long workspaceId, String sessionRef) {
        String customer = customerRef(workspaceId)
                .orElseThrow(() -> new BillingRuleException("The card was not saved; add it again."));
        return save(workspaceId, customer, provider.completeHostedSetup(customer, sessionRef));
    }

    /** The workspace's customer at the provider in use, if it has one. */
    private Optional<String> customerRef(long workspaceId) {
        return jdbc.sql("select customer_ref from billing_profiles where workspace_id = ? and provider = ?")
                .params(workspaceId, provider.name())
                .query(String.class)
                .optional();
    }

    private PaymentProvider.Card save(long workspaceId, String customer, PaymentProvider.Setup setup) {
        if (setup.outcome() != PaymentProvider.Outcome.SUCCEEDED || setup.card() == null) {
            throw new BillingRuleException(setup.failure() == null ? "The card could not be saved." : setup.failure());
        }
        PaymentProvider.Card card = setup.card();
        jdbc.sql("""
                        insert into billing_profiles (workspace_id, provider, customer_ref, payment_method_ref,
                            card_brand, card_last4, card_expires, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (workspace_id) do update set provider = excluded.provider,
                            customer_ref = excluded.customer_ref, payment_method_ref = excluded.payment_method_ref,
                            card_brand = excluded.card_brand, card_last4 = excluded.card_last4,
                            card_expires = excluded.card_expires, updated_at = excluded.updated_at
                        """)
                .params(
                        workspaceId,
                        provider.name(),
                        customer,
                        setup.paymentMethodRef(),
                        card.brand(),
                        card.last4(),
                        card.expires(),
                        Sql.at(clock.instant()))
                .update();
        jdbc.sql("select id from invoices where workspace_id = ? and status = 'open' order by id")
                .param(workspaceId)
                .query(Long.class)
                .list()
                .forEach(payments::collect);
        return card;
    }

    /** Where invoices go: the billing address's country (its tax) and up to 10 contacts. */
    public void updateProfile(long workspaceId, @Nullable String country, List<String> contacts) {
        int updated = jdbc.sql("update billing_profiles set country = ?, contacts = ?::text[], updated_at = ?"
                        + " where workspace_id = ?")
                .params(country, contacts.toArray(String[]::new), Sql.at(clock.instant()), workspaceId)
                .update();
        if (updated == 0) {
            throw new BillingRuleException("Add a payment method first.");
        }
    }

    /**
     * Starts a subscription at {@code priceId}: a trial when the plan has one and the workspace
     * never had one, else {@code incomplete} with its first invoice collected at once.
     */
    public Optional<Payment> subscribe(long actor, long workspaceId, long priceId) {
        Optional<Long> invoice = transaction.execute(status -> {
            lockWorkspace(workspaceId);
            if (subscriptions.lockLive(workspaceId).isPresent()) {
                throw new BillingRuleException("The workspace already has a subscription: change its plan instead.");
            }
            if (!hasPaymentMethod(workspaceId)) {
                throw new BillingRuleException("Add a payment method first.");
            }
            Price price = catalogue.price(priceId).orElseThrow(() -> new BillingRuleException("Choose a plan."));
            Plan plan = catalogue.plan(price.planId());
            checkLimits(workspaceId, plan, price);
            boolean trialUsed = jdbc.sql("select exists (select 1 from subscriptions where workspace_id = ?"
                            + " and trial_end is not null)")
                    .param(workspaceId)
                    .query(Boolean.class)
                    .single();
            Subscription subscription = Subscription.start(workspaceId, plan, price, clock.instant(), !trialUsed);
            subscriptions.insert(subscription, actor);
            if (subscription.status() == Subscription.Status.TRIALING) {
                return Optional.<Long>empty();
            }
            return invoices.make(subscription, "start", subscription.periodStart(), subscription.periodEnd(), null);
        });
        return invoice.flatMap(payments::collect);
    }

    /** What changing to {@code priceId} would do now; nothing is written. */
    public ChangePreview preview(long workspaceId, long priceId) {
        Subscription subscription = subscriptions
                .live(workspaceId)
                .orElseThrow(() -> new BillingRuleException("The workspace has no subscription."));
        if (subscription.due(clock.instant())) {
            throw new BillingRuleException("The period is renewing; try again in a minute.");
        }
        Plan from = catalogue.plan(subscription.planId());
        return preview(subscription, from, priceId);
    }

    private ChangePreview preview(Subscription subscription, Plan from, long priceId) {
        Price price = catalogue.price(priceId).orElseThrow(() -> new BillingRuleException("Choose a plan."));
        Plan to = catalogue.plan(price.planId());
        Price current = catalogue.price(subscription.priceId()).orElseThrow();
        PlanChange change = subscription.changePlan(
                to, price, current, invoices.seats(subscription.workspaceId()), from.includedSeats(), clock.instant());
        return new ChangePreview(from, to, price, change.proration(), change.periodRestarted());
    }

    /**
     * Moves the subscription to {@code priceId} now, with proration; refused below the workspace's
     * current use of members or storage.
     */
    public ChangePreview changePlan(long actor, long workspaceId, long priceId) {
        List<Long> made = new ArrayList<>();
        ChangePreview result = transaction.execute(status -> {
            Instant now = clock.instant();
            Subscription subscription = lockLive(workspaceId);
            made.addAll(renewals.renew(subscription, now));
            Plan from = catalogue.plan(subscription.planId());
            Price price = catalogue.price(priceId).orElseThrow(() -> new BillingRuleException("Choose a plan."));
            checkLimits(workspaceId, catalogue.plan(price.planId()), price);
            Price current = catalogue.price(subscription.priceId()).orElseThrow();
            int seats = invoices.seats(workspaceId);
            PlanChange change = subscription.changePlan(
                    catalogue.plan(price.planId()), price, current, seats, from.includedSeats(), now);
            Plan to = catalogue.plan(price.planId());
            change.proration().ifPresent(proration -> {
                invoices.addAdjustment(
                        subscription.id(),
                        "proration",
                        "Unused time on " + from.name() + " (" + Durations.describe(proration.remainingSeconds()) + ")",
                        proration.credit());
                if (proration.charge() != 0) {
                    invoices.addAdjustment(
                            subscription.id(),
                            "proration",
                            "Remaining time on " + to.name() + " (" + Durations.describe(proration.remainingSeconds())
                                    + ")",
                            proration.charge());
                }
            });
            subscriptions.save(subscription, change.change(), actor);
            if (change.periodRestarted()) {
                invoices.make(subscription, "renewal", subscription.periodStart(), subscription.periodEnd(), null)
                        .ifPresent(made::add);
            }
            return new ChangePreview(from, to, price, change.proration(), change.periodRestarted());
        });
        made.forEach(payments::collect);
        return result;
    }

    /** A payment that waited for the customer's action, read again now that they are back. */
    public Optional<Payment> refreshPayment(long workspaceId, String intentRef) {
        return payments.refresh(workspaceId, intentRef);
    }

    /** Ends the subscription with its period (at once, before a first payment). */
    public void cancel(long actor, long workspaceId) {
        transaction.executeWithoutResult(status -> {
            Subscription subscription = lockLive(workspaceId);
            subscriptions.save(subscription, subscription.cancel(clock.instant()), actor);
        });
    }

    public void resume(long actor, long workspaceId) {
        transaction.executeWithoutResult(status -> {
            Subscription subscription = lockLive(workspaceId);
            subscriptions.save(subscription, subscription.resume(clock.instant()), actor);
        });
    }

    private Subscription lockLive(long workspaceId) {
        lockWorkspace(workspaceId);
        return subscriptions
                .lockLive(workspaceId)
                .orElseThrow(() -> new BillingRuleException("The workspace has no subscription."));
    }

    private void lockWorkspace(long workspaceId) {
        jdbc.sql("select id from workspaces where id = ? for no key update")
                .param(workspaceId)
                .query(Long.class)
                .single();
    }

    private boolean hasPaymentMethod(long workspaceId) {
        return jdbc.sql("select exists (select 1 from billing_profiles where workspace_id = ?"
                        + " and payment_method_ref is not null)")
                .param(workspaceId)
                .query(Boolean.class)
                .single();
    }

    /** A plan must hold what the workspace has: its members (when extra seats are not sold) and its files. */
    private void checkLimits(long workspaceId, Plan plan, Price price) {
        int members = invoices.seats(workspaceId);
        if (price.seatAmount() == 0 && members > plan.includedSeats()) {
            throw new BillingRuleException(plan.name() + " allows " + plan.includedSeats()
                    + " members; the workspace has " + members + ". Remove members first.");
        }
        long stored = jdbc.sql("select coalesce(sum(size_bytes), 0) from attachments where workspace_id = ?")
                .param(workspaceId)
                .query(Long.class)
                .single();
        if (stored > plan.storageBytes()) {
            throw new BillingRuleException(plan.name() + " includes " + Durations.bytes(plan.storageBytes())
                    + " of storage; the workspace stores " + Durations.bytes(stored) + ". Delete files first.");
        }
    }
}
