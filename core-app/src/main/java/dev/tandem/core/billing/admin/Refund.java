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

/** A refund staff made of a payment (table {@code refunds}): the history of the payment's refund action. */
@Entity
@Table(name = "refunds")
class Refund {

    @Id
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "payment_id", nullable = false, updatable = false)
    private @Nullable Payment payment;

    @Column(nullable = false, updatable = false)
    private long amount;

    @Column(nullable = false, updatable = false)
    private String reason = "";

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "actor_id", updatable = false)
    private @Nullable User actor;

    @Column(nullable = false, updatable = false)
    private String status = "";

    @Column(name = "refund_ref", updatable = false)
    private @Nullable String refundRef;

    @Column(name = "failure_reason", updatable = false)
    private @Nullable String failureReason;

    @Column(name = "created_at", nullable = false, updatable = false)
    private @Nullable Instant createdAt;

    @Column(name = "updated_at", nullable = false, updatable = false)
    private @Nullable Instant updatedAt;

    protected Refund() {}

    @Override
    public String toString() {
        return "Refund " + id;
    }
}
