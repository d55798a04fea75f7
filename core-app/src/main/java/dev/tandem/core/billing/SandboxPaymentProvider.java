package dev.tandem.core.billing;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * The built-in provider of devstack and the tests: no network, Stripe's test card numbers.
 * <ul>
 *   <li>{@code 4242 4242 4242 4242}: every payment succeeds;
 *   <li>{@code 4000 0000 0000 0002}: declined when saved ({@code 4000 0000 0000 9995}: insufficient funds);
 *   <li>{@code 4000 0000 0000 0341}: saved, then every payment is declined;
 *   <li>{@code 4000 0027 6000 3184}: saved, then every payment requires the customer's action, which
 *       completes when they confirm it on the sandbox's page ({@link #complete}).
 * </ul>
 * Its payments live in this instance's memory: a sandbox, not a ledger. Repeating a charge with the
 * same idempotency key answers the first payment, as Stripe does.
 */
@Component
@ConditionalOnProperty(name = "tandem.billing.provider", havingValue = "sandbox", matchIfMissing = true)
public class SandboxPaymentProvider implements PaymentProvider {

    public static final String SUCCEEDS = "4242424242424242";
    public static final String DECLINED = "4000000000000002";
    public static final String INSUFFICIENT_FUNDS = "4000000000009995";
    public static final String CHARGES_DECLINED = "4000000000000341";
    public static final String REQUIRES_ACTION = "4000002760003184";

    private final Map<String, Payment> payments = new ConcurrentHashMap<>();
    private final Map<String, Payment> byIdempotencyKey = new ConcurrentHashMap<>();

    private final String webhookSecret;

    SandboxPaymentProvider(Environment environment, BillingProperties properties) {
        this.webhookSecret = properties.sandbox().webhookSecret();
        if (environment.acceptsProfiles(Profiles.of("prod"))) {
            LoggerFactory.getLogger(SandboxPaymentProvider.class)
                    .warn("Payments run on the sandbox provider: test cards only, nothing is charged."
                            + " Set TANDEM_BILLING_PROVIDER to a real provider before charging customers.");
        }
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public String createCustomer(long workspaceId, String name) {
        return "cus_sandbox_" + workspaceId;
    }

    @Override
    public Setup setUp(String customerRef, String paymentMethodToken) {
        String number = paymentMethodToken.replaceAll("[\\s-]", "");
        String intent = "seti_sandbox_" + UUID.randomUUID();
        return switch (number) {
            case DECLINED -> new Setup(intent, Outcome.FAILED, null, null, "Your card was declined.");
            case INSUFFICIENT_FUNDS ->
                new Setup(intent, Outcome.FAILED, null, null, "Your card has insufficient funds.");
            case SUCCEEDS, CHARGES_DECLINED, REQUIRES_ACTION ->
                new Setup(
                        intent,
                        Outcome.SUCCEEDED,
                        "pm_sandbox_" + number,
                        new PaymentProvider.Card("Visa", number.substring(12), "12/34"),
                        null);
            default -> new Setup(intent, Outcome.FAILED, null, null, "The sandbox knows only its test card numbers.");
        };
    }

    @Override
    public Payment charge(Charge charge) {
        return byIdempotencyKey.computeIfAbsent(charge.idempotencyKey(), key -> {
            String intent = "pi_sandbox_" + UUID.randomUUID();
            Payment payment = switch (charge.paymentMethodRef().substring("pm_sandbox_".length())) {
                case CHARGES_DECLINED -> new Payment(intent, Outcome.FAILED, "Your card was declined.", null);
                case REQUIRES_ACTION ->
                    new Payment(intent, Outcome.REQUIRES_ACTION, null, "/billing/sandbox/" + intent);
                default -> new Payment(intent, Outcome.SUCCEEDED, null, null);
            };
            payments.put(intent, payment);
            return payment;
        });
    }

    @Override
    public Payment payment(String intentRef) {
        Payment payment = payments.get(intentRef);
        return payment != null
                ? payment
                : new Payment(
                        intentRef,
                        Outcome.FAILED,
                        "The sandbox no longer knows this payment (it keeps payments in memory); pay again.",
                        null);
    }

    @Override
    public Refund refund(String intentRef, long amount, String idempotencyKey) {
        Payment payment = payments.get(intentRef);
        return payment != null && payment.outcome() == Outcome.SUCCEEDED
                ? new Refund("re_sandbox_" + idempotencyKey, Outcome.SUCCEEDED, null)
                : new Refund(
                        "re_sandbox_" + idempotencyKey,
                        Outcome.FAILED,
                        "The sandbox knows no succeeded payment " + intentRef + " (it keeps payments in memory).");
    }

    @Override
    public Event verify(String payload, @Nullable String signatureHeader, Clock clock) {
        return StripeEvents.verify(payload, signatureHeader, webhookSecret, clock);
    }

    @Override
    public Event parse(String payload, Instant signedAt) {
        return StripeEvents.parse(payload, signedAt);
    }

    /**
     * A {@code Stripe-Signature} header for {@code payload} signed at {@code at} with the sandbox's
     * webhook secret: how a test, or a developer with curl, sends the sandbox an event.
     */
    public String sign(String payload, Instant at) {
        return StripeEvents.sign(payload, webhookSecret, at);
    }

    /** The customer completed the action a payment required (the sandbox's confirmation page); null for no such payment. */
    public @Nullable Payment complete(String intentRef) {
        return payments.computeIfPresent(
                intentRef,
                (ref, payment) -> payment.outcome() == Outcome.REQUIRES_ACTION
                        ? new Payment(ref, Outcome.SUCCEEDED, null, null)
                        : payment);
    }
}
