package dev.tandem.core.billing.admin;

import dev.tandem.core.identity.account.User;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A line of a subscription's history (table {@code subscription_history}), shown inside the subscription. */
@Entity
@Table(name = "subscription_history")
class SubscriptionEvent {

    @Id
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "subscription_id", nullable = false, updatable = false)
    private @Nullable Subscription subscription;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    private @Nullable Instant occurredAt;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "actor_id", updatable = false)
    private @Nullable User actor;

    @Column(nullable = false, updatable = false)
    private String action = "";

    @Column(name = "from_status", updatable = false)
    private @Nullable String fromStatus;

    @Column(name = "to_status", nullable = false, updatable = false)
    private String toStatus = "";

    @Column(name = "plan_code", nullable = false, updatable = false)
    private String planCode = "";

    @Column(nullable = false, updatable = false)
    private String note = "";

    protected SubscriptionEvent() {}
}
