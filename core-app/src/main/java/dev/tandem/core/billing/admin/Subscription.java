package dev.tandem.core.billing.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A subscription as staff see it: read-only, changed only through billing's own transitions
 * (the actions "extend trial" and "comp the next period"), which write its history.
 */
@Entity
@Table(name = "subscriptions")
class Subscription {

    @Id
    private @Nullable Long id;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    private long workspaceId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "plan_id", nullable = false, updatable = false)
    private @Nullable Plan plan;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "price_id", nullable = false, updatable = false)
    private @Nullable PlanPrice price;

    @Column(nullable = false, updatable = false)
    private String status = "";

    @Column(name = "current_period_start", nullable = false, updatable = false)
    private @Nullable Instant currentPeriodStart;

    @Column(name = "current_period_end", nullable = false, updatable = false)
    private @Nullable Instant currentPeriodEnd;

    @Column(name = "trial_end", updatable = false)
    private @Nullable Instant trialEnd;

    @Column(name = "cancel_at_period_end", nullable = false, updatable = false)
    private boolean cancelAtPeriodEnd;

    @Column(name = "canceled_at", updatable = false)
    private @Nullable Instant canceledAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private @Nullable Instant createdAt;

    protected Subscription() {}

    long id() {
        return java.util.Objects.requireNonNull(id);
    }

    long workspaceId() {
        return workspaceId;
    }

    @Override
    public String toString() {
        return "Subscription " + id + " of workspace " + workspaceId;
    }
}
