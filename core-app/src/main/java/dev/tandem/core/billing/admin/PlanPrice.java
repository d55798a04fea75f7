package dev.tandem.core.billing.admin;

import dev.tandem.core.billing.Money;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One version of a plan's price, in minor units. Staff add prices and never edit them: an added
 * active price retires the one it replaces (a trigger), and subscribers keep the price they pay.
 */
@Entity
@Table(name = "plan_prices")
class PlanPrice {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @NotNull
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "plan_id", nullable = false)
    private @Nullable Plan plan;

    @Pattern(regexp = "month|year", message = "month or year")
    @Column(name = "billing_interval", nullable = false)
    private String billingInterval = "month";

    @Pattern(regexp = "[A-Z]{3}", message = "an ISO 4217 code such as USD")
    @Column(nullable = false)
    private String currency = "USD";

    @Min(0)
    @Column(name = "unit_amount", nullable = false)
    private long unitAmount;

    @Min(0)
    @Column(name = "seat_amount", nullable = false)
    private long seatAmount;

    @Min(0)
    @Column(name = "overage_per_1000", nullable = false)
    private long overagePer1000;

    @Column(nullable = false)
    private boolean active = true;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private @Nullable Instant createdAt;

    protected PlanPrice() {}

    boolean isNew() {
        return id == null;
    }

    String amounts() {
        return Money.format(unitAmount, currency) + " / " + billingInterval + ", " + Money.format(seatAmount, currency)
                + " per extra seat";
    }
}
