package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code subscription.changed} v1: a workspace's subscription moved (started, changed plan or
 * seats, renewed, became past due, was set to cancel or resumed, ended). {@code plan} is the plan
 * whose quotas hold from now ({@code free} once it has ended); services that cache a workspace's
 * plan drop it. Producer: core-app, in the transaction that makes the change.
 */
public record SubscriptionChanged(
        long workspaceId,
        long subscriptionId,
        String plan,
        String status,
        @Nullable String previousPlan,
        @Nullable String previousStatus,
        Instant currentPeriodEnd,
        boolean cancelAtPeriodEnd) {

    public SubscriptionChanged {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(currentPeriodEnd, "currentPeriodEnd");
    }
}
