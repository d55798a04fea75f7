package dev.tandem.core.billing;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The port to a payment provider, shaped on Stripe's model: a customer per workspace, a payment
 * method saved for later through a setup (Stripe's SetupIntent, confirmed with the PaymentMethod the
 * browser created, so no card number reaches Tandem), and each invoice collected by a payment
 * (a PaymentIntent, confirmed off-session, under an idempotency key so a retried call never
 * charges twice). A setup or payment may need the customer's action (3-D Secure): it then waits,
 * and its status is read again when the customer comes back.
 */
public interface PaymentProvider {

    enum Outcome {
        SUCCEEDED,
        REQUIRES_ACTION,
        FAILED
    }

    /** A card as the provider describes it. */
    record Card(String brand, String last4, String expires) {}

    record Setup(
            String intentRef,
            Outcome outcome,
            @Nullable String paymentMethodRef,
            @Nullable Card card,
            @Nullable String failure) {}

    record Payment(
            String intentRef,
            Outcome outcome,
            @Nullable String failure,
            @Nullable String actionUrl) {}

    record Charge(
            String customerRef,
            String paymentMethodRef,
            long amount,
            String currency,
            String idempotencyKey,
            String description) {}

    /**
     * A webhook event of the provider, verified: its id (the inbox's key), type, when the provider
     * made it, the object it is about (a payment's reference for payments and refunds), what it says
     * of a payment ({@code null} when the type says nothing the ledger uses), and for a refund the
     * payment's whole refunded amount so far.
     */
    record Event(
            String id,
            String type,
            Instant created,
            Instant signedAt,
            @Nullable String objectRef,
            @Nullable Payment payment,
            @Nullable Long amountRefunded) {}

    /** A refund of (part of) a payment: {@code SUCCEEDED} once the provider accepted it. */
    record Refund(
            String refundRef, Outcome outcome, @Nullable String failure) {}

    /** The name stored beside each reference ({@code sandbox}, {@code stripe}). */
    String name();

    String createCustomer(long workspaceId, String name);

    /** Saves the payment method the browser produced ({@code paymentMethodToken}) for off-session charges. */
    Setup setUp(String customerRef, String paymentMethodToken);

    /** Whether cards are saved on the provider's own page ({@link #hostedSetup}) rather than in Tandem's form. */
    default boolean hostsSetup() {
        return false;
    }

    /**
     * A page of the provider's where the customer saves a card for {@code customerRef} (Stripe
     * Checkout in setup mode), coming back to {@code returnUrl} (its {@code {SESSION}} replaced by
     * the page's reference) or {@code cancelUrl}; empty when cards are typed into Tandem's own form
     * (the sandbox).
     */
    default Optional<String> hostedSetup(String customerRef, String currency, String returnUrl, String cancelUrl) {
        return Optional.empty();
    }

    /** The card saved on the hosted page {@code sessionRef}, which must be {@code customerRef}'s. */
    default Setup completeHostedSetup(String customerRef, String sessionRef) {
        return new Setup(sessionRef, Outcome.FAILED, null, null, "This provider saves cards in Tandem's own form.");
    }

    Payment charge(Charge charge);

    /** A payment's status now (after the customer's action, or to reconcile). */
    Payment payment(String intentRef);

    /** Refunds {@code amount} of the payment {@code intentRef}, under an idempotency key. */
    Refund refund(String intentRef, long amount, String idempotencyKey);

    /**
     * Verifies a webhook's signature header against its exact payload and refuses one signed more
     * than {@link StripeEvents#TOLERANCE} from {@code clock}'s now (a replay); throws {@link
     * WebhookRejectedException}.
     */
    Event verify(String payload, @Nullable String signatureHeader, Clock clock);

    /** Reads again an event {@link #verify} accepted before (from the inbox), signed at {@code signedAt}. */
    Event parse(String payload, Instant signedAt);
}
