package dev.tandem.core.billing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Billing's settings ({@code tandem.billing.*}).
 *
 * @param provider the payment provider: {@code sandbox} (devstack, tests) or {@code stripe}
 * @param currency the currency the catalogue is sold in (ISO 4217)
 * @param renewalInterval how often the billing job looks for ended periods and due retries
 * @param dunningRetries when an unpaid invoice is tried again, counted from its first failed try;
 *     after the last one fails the subscription is canceled (the default: 8 tries over 14 days)
 * @param sandbox the sandbox provider's settings
 * @param stripe the Stripe provider's settings
 */
@Validated
@ConfigurationProperties("tandem.billing")
public record BillingProperties(
        @DefaultValue("sandbox") @NotBlank String provider,
        @DefaultValue("USD") @Pattern(regexp = "[A-Z]{3}") String currency,
        @DefaultValue("PT1M") Duration renewalInterval,

        @DefaultValue({"P1D", "P2D", "P3D", "P5D", "P7D", "P10D", "P14D"}) @NotEmpty
        List<@NotNull Duration> dunningRetries,

        @DefaultValue @Valid Sandbox sandbox,
        @DefaultValue @Valid Stripe stripe) {

    public BillingProperties {
        for (int i = 0; i < dunningRetries.size(); i++) {
            if (!dunningRetries.get(i).isPositive()
                    || (i > 0 && dunningRetries.get(i).compareTo(dunningRetries.get(i - 1)) <= 0)) {
                throw new IllegalArgumentException(
                        "tandem.billing.dunning-retries must grow strictly from a positive first delay: "
                                + dunningRetries);
            }
        }
    }

    /** @param webhookSecret what the sandbox signs its webhook events with (not a secret: devstack and tests) */
    public record Sandbox(
            @DefaultValue("whsec_sandbox") @NotBlank String webhookSecret) {}

    /**
     * @param secretKey the API secret key ({@code sk_live_…} or {@code sk_test_…}); required with the Stripe provider
     * @param webhookSecret the webhook endpoint's signing secret ({@code whsec_…}); required with the Stripe provider
     * @param apiBase where Stripe's API is (its own address; a test's stand-in elsewhere)
     */
    public record Stripe(
            @DefaultValue("") String secretKey,
            @DefaultValue("") String webhookSecret,
            @DefaultValue("https://api.stripe.com") String apiBase) {

        /** Never the keys: this may be logged. */
        @Override
        public String toString() {
            return "Stripe[secretKey=" + (secretKey.isEmpty() ? "<none>" : "<set>") + ", webhookSecret="
                    + (webhookSecret.isEmpty() ? "<none>" : "<set>") + ", apiBase=" + apiBase + "]";
        }
    }
}
