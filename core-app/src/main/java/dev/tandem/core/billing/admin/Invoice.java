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
import org.jspecify.annotations.Nullable;

/** A finalized invoice, read-only: amounts in minor units of its currency; corrections are credit notes. */
@Entity
@Table(name = "invoices")
class Invoice {

    @Id
    private @Nullable Long id;

    @Column(nullable = false, updatable = false)
    private String number = "";

    @Column(name = "workspace_id", updatable = false)
    private @Nullable Long workspaceId;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "subscription_id", updatable = false)
    private @Nullable Subscription subscription;

    @Column(name = "billed_to", nullable = false, updatable = false)
    private String billedTo = "";

    @Column(nullable = false, updatable = false)
    private String kind = "";

    @Column(nullable = false, updatable = false)
    private String status = "";

    @Column(nullable = false, updatable = false)
    private String currency = "";

    @Column(name = "period_start", nullable = false, updatable = false)
    private @Nullable Instant periodStart;

    @Column(name = "period_end", nullable = false, updatable = false)
    private @Nullable Instant periodEnd;

    @Column(nullable = false, updatable = false)
    private long subtotal;

    @Column(nullable = false, updatable = false)
    private long tax;

    @Column(nullable = false, updatable = false)
    private long total;

    @Column(name = "issued_at", nullable = false, updatable = false)
    private @Nullable Instant issuedAt;

    @Column(name = "paid_at", updatable = false)
    private @Nullable Instant paidAt;

    protected Invoice() {}

    long id() {
        return java.util.Objects.requireNonNull(id);
    }

    String totalAsText() {
        return Money.format(total, currency);
    }

    @Override
    public String toString() {
        return "Invoice " + number;
    }
}
