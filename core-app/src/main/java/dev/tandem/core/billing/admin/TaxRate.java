package dev.tandem.core.billing.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** The tax charged to a billing country, in basis points (1 900 = 19 %); applies to invoices made after. */
@Entity
@Table(name = "tax_rates")
class TaxRate {

    @Id
    @Column(updatable = false)
    private String country = "";

    @NotBlank
    @Column(nullable = false)
    private String name = "";

    @Min(0)
    @Max(10_000)
    @Column(name = "basis_points", nullable = false)
    private int basisPoints;

    protected TaxRate() {}
}
