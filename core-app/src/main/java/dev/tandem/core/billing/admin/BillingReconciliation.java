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

/** One comparison of a workspace's payments with the provider (table {@code billing_reconciliations}). */
@Entity
@Table(name = "billing_reconciliations")
class BillingReconciliation {

    @Id
    private @Nullable Long id;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    private long workspaceId;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "actor_id", updatable = false)
    private @Nullable User actor;

    @Column(name = "ran_at", nullable = false, updatable = false)
    private @Nullable Instant ranAt;

    @Column(nullable = false, updatable = false)
    private int checked;

    @Column(nullable = false, updatable = false)
    private String changes = "";

    protected BillingReconciliation() {}

    @Override
    public String toString() {
        return "Reconciliation " + id + " of workspace " + workspaceId;
    }
}
