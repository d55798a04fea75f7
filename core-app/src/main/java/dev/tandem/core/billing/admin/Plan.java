package dev.tandem.core.billing.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A plan of the catalogue as staff edit it: names, trial, seats and quotas (prices are {@link PlanPrice}). */
@Entity
@Table(name = "plans")
class Plan {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Pattern(regexp = "[a-z][a-z0-9-]{1,30}", message = "2–31 lower-case letters, digits and hyphens")
    @Column(nullable = false)
    private String code = "";

    @NotBlank
    @Size(max = 60)
    @Column(nullable = false)
    private String name = "";

    @Size(max = 200)
    @Column(nullable = false)
    private String description = "";

    @Min(0)
    @Max(365)
    @Column(name = "trial_days", nullable = false)
    private int trialDays;

    @Min(1)
    @Column(name = "included_seats", nullable = false)
    private int includedSeats = 1;

    @Min(0)
    @Column(name = "api_calls_per_month", nullable = false)
    private long apiCallsPerMonth;

    @Min(0)
    @Column(name = "inference_texts_per_month", nullable = false)
    private long inferenceTextsPerMonth;

    @Min(0)
    @Column(name = "storage_bytes", nullable = false)
    private long storageBytes;

    @Min(1)
    @Column(name = "requests_per_minute", nullable = false)
    private int requestsPerMinute = 60;

    @Column(nullable = false)
    private boolean listed = true;

    @Column(name = "sort_order", nullable = false)
    private int sortOrder;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private @Nullable Instant createdAt;

    @Version
    private long version;

    protected Plan() {}

    @Override
    public String toString() {
        return name;
    }
}
