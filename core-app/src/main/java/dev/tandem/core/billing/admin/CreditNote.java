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

/** A credit note correcting an invoice (table {@code credit_notes}), shown inside it; made by the invoice's action. */
@Entity
@Table(name = "credit_notes")
class CreditNote {

    @Id
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "invoice_id", nullable = false, updatable = false)
    private @Nullable Invoice invoice;

    @Column(nullable = false, updatable = false)
    private String number = "";

    @Column(nullable = false, updatable = false)
    private long amount;

    @Column(nullable = false, updatable = false)
    private String reason = "";

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "actor_id", updatable = false)
    private @Nullable User actor;

    @Column(name = "created_at", nullable = false, updatable = false)
    private @Nullable Instant createdAt;

    protected CreditNote() {}
}
