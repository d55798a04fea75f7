package dev.tandem.core.billing;

import dev.tandem.core.messaging.EventConsumer;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.WorkspaceDeleted;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A closed workspace stops paying (queue {@code core.billing-workspaces}): on {@code
 * workspace.deleted} its subscription ends at once with a final invoice for what is still owed.
 * Applied once per event (the inbox); an event for a workspace without a subscription changes nothing.
 */
@Component
class WorkspaceClosings implements EventConsumer {

    private final SubscriptionRepository subscriptions;
    private final Renewals renewals;
    private final InvoiceMaker invoices;
    private final Payments payments;
    private final TransactionTemplate transaction;
    private final Clock clock;

    WorkspaceClosings(
            SubscriptionRepository subscriptions,
            Renewals renewals,
            InvoiceMaker invoices,
            Payments payments,
            TransactionTemplate transaction,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.renewals = renewals;
        this.invoices = invoices;
        this.payments = payments;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Override
    public String queue() {
        return "core.billing-workspaces";
    }

    @Override
    public Set<EventType<?>> types() {
        return Set.of(Events.WORKSPACE_DELETED);
    }

    @Override
    public void apply(EventEnvelope<?> event) {
        endForClosedWorkspace(((WorkspaceDeleted) event.data()).workspaceId());
    }

    /**
     * The workspace was closed: its subscription ends now, with a final invoice for what is still
     * owed (adjustments, overage so far), collected once the caller's transaction commits.
     */
    void endForClosedWorkspace(long workspaceId) {
        List<Long> made = new ArrayList<>();
        transaction.executeWithoutResult(status -> subscriptions
                .lockLive(workspaceId)
                .ifPresent(subscription -> {
                    Instant now = clock.instant();
                    made.addAll(renewals.renew(subscription, now));
                    if (subscription.status() == Subscription.Status.CANCELED) {
                        return;
                    }
                    InvoiceMaker.UsageWindow usage = subscription.status() == Subscription.Status.TRIALING
                            ? null
                            : new InvoiceMaker.UsageWindow(subscription.periodStart(), now);
                    subscriptions.save(subscription, subscription.endNow(now, "workspace closed"), null);
                    invoices.make(subscription, "final", now, now, usage).ifPresent(made::add);
                }));
        afterCommit(() -> made.forEach(payments::collect));
    }

    /** Runs {@code work} once the current transaction commits, or now when there is none. */
    private static void afterCommit(Runnable work) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            work.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                work.run();
            }
        });
    }
}
