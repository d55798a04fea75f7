package dev.tandem.core.billing;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Billing's settings ({@code tandem.billing.*}).
 *
 * @param provider the payment provider: {@code sandbox} (devstack, tests)
 * @param currency the currency the catalogue is sold in (ISO 4217)
 * @param renewalInterval how often the renewal job looks for ended periods
 */
@Validated
@ConfigurationProperties("tandem.billing")
public record BillingProperties(
        @DefaultValue("sandbox") @NotBlank String provider,
        @DefaultValue("USD") @Pattern(regexp = "[A-Z]{3}") String currency,
        @DefaultValue("PT1M") Duration renewalInterval) {}
