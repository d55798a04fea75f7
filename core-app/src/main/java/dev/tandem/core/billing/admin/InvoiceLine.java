package dev.tandem.core.billing.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/** A line of an invoice, shown inside it. */
@Entity
@Table(name = "invoice_lines")
class InvoiceLine {

    @Id
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "invoice_id", nullable = false, updatable = false)
    private @Nullable Invoice invoice;

    @Column(nullable = false, updatable = false)
    private int position;

    @Column(nullable = false, updatable = false)
    private String kind = "";

    @Column(nullable = false, updatable = false)
    private String description = "";

    @Column(nullable = false, updatable = false)
    private long quantity;

    @Column(nullable = false, updatable = false)
    private long amount;

    protected InvoiceLine() {}
}
