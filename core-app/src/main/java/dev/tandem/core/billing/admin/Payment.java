package dev.tandem.core.billing.admin;

import dev.tandem.core.billing.Money;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One try to collect an invoice at the payment provider (table {@code payments}), read-only; refunds inside. */
@Entity
@Table(name = "payments")
class Payment {

    @Id
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "invoice_id", nullable = false, updatable = false)
    private @Nullable Invoice invoice;

    @Column(nullable = false, updatable = false)
    private String provider = "";

    @Column(name = "intent_ref", nullable = false, updatable = false)
    private String intentRef = "";

    @Column(nullable = false, updatable = false)
    private String status = "";

    @Column(nullable = false, updatable = false)
    private long amount;

    @Column(nullable = false, updatable = false)
    private String currency = "";

    @Column(name = "failure_reason", updatable = false)
    private @Nullable String failureReason;

    @Column(name = "created_at", nullable = false, updatable = false)
    private @Nullable Instant createdAt;

    @Column(name = "updated_at", nullable = false, updatable = false)
    private @Nullable Instant updatedAt;

    protected Payment() {}

    long id() {
        return Objects.requireNonNull(id);
    }

    String amountAsText() {
        return Money.format(amount, currency);
    }

    @Override
    public String toString() {
        return "Payment " + intentRef;
    }
}
