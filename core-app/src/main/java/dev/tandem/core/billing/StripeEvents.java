package dev.tandem.core.billing;

import com.google.gson.JsonParseException;
import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeObject;
import com.stripe.net.ApiResource;
import com.stripe.net.Webhook;
import dev.tandem.core.billing.PaymentProvider.Outcome;
import dev.tandem.core.billing.PaymentProvider.Payment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Stripe's webhook events, verified and read with Stripe's own library ({@link
 * Webhook#constructEvent}: the {@code Stripe-Signature} header's HMAC-SHA256 over the timestamp and
 * the exact payload, compared in constant time). The sandbox signs its events the same way with its
 * own secret, so one path serves both.
 *
 * <p>The payment events the ledger uses: {@code payment_intent.succeeded}, {@code
 * payment_intent.payment_failed}, {@code payment_intent.canceled}, {@code
 * payment_intent.requires_action}; {@code charge.refunded} (a refund, also one made in Stripe's
 * dashboard). Any other type is kept in the inbox and changes nothing.
 */
final class StripeEvents {

    /** How old a signature may be: Stripe's default, five minutes. */
    static final Duration TOLERANCE = Duration.ofSeconds(Webhook.DEFAULT_TOLERANCE);

    private StripeEvents() {}

    static PaymentProvider.Event verify(String payload, @Nullable String header, String secret, Clock clock) {
        if (header == null || header.isBlank()) {
            throw new WebhookRejectedException("The Stripe-Signature header is missing.");
        }
        try {
            Event event = Webhook.constructEvent(payload, header, secret, TOLERANCE.toSeconds(), clock);
            return read(event, signedAt(header));
        } catch (SignatureVerificationException e) {
            throw new WebhookRejectedException("The signature does not match: " + e.getMessage());
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new WebhookRejectedException("The payload is not an event.");
        }
    }

    static PaymentProvider.Event parse(String payload, Instant signedAt) {
        return read(ApiResource.GSON.fromJson(payload, Event.class), signedAt);
    }

    /** A signed header for {@code payload} at {@code at}, as Stripe makes it (the sandbox's events). */
    static String sign(String payload, String secret, Instant at) {
        try {
            return Webhook.Signature.generateSignatureHeader(payload, secret, at.getEpochSecond());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static PaymentProvider.Event read(Event event, Instant signedAt) {
        if (event == null || event.getId() == null || event.getType() == null || event.getCreated() == null) {
            throw new WebhookRejectedException("The payload is not an event.");
        }
        StripeObject object = object(event);
        String objectRef = null;
        Payment payment = null;
        Long amountRefunded = null;
        if (object instanceof PaymentIntent intent) {
            objectRef = intent.getId();
            payment = switch (event.getType()) {
                case "payment_intent.succeeded" -> new Payment(intent.getId(), Outcome.SUCCEEDED, null, null);
                case "payment_intent.payment_failed" ->
                    new Payment(intent.getId(), Outcome.FAILED, failure(intent), null);
                case "payment_intent.canceled" ->
                    new Payment(intent.getId(), Outcome.FAILED, "The payment was canceled.", null);
                case "payment_intent.requires_action" ->
                    new Payment(intent.getId(), Outcome.REQUIRES_ACTION, null, null);
                default -> null;
            };
        } else if (object instanceof Charge charge) {
            objectRef = charge.getPaymentIntent();
            if (event.getType().equals("charge.refunded")) {
                amountRefunded = charge.getAmountRefunded();
            }
        }
        return new PaymentProvider.Event(
                event.getId(),
                event.getType(),
                Instant.ofEpochSecond(event.getCreated()),
                signedAt,
                objectRef,
                payment,
                amountRefunded);
    }

    /** Why a PaymentIntent failed, in Stripe's words for the customer. */
    static String failure(PaymentIntent intent) {
        return intent.getLastPaymentError() != null
                        && intent.getLastPaymentError().getMessage() != null
                ? intent.getLastPaymentError().getMessage()
                : "The payment failed.";
    }

    private static @Nullable StripeObject object(Event event) {
        try {
            return event.getDataObjectDeserializer().deserializeUnsafe();
        } catch (EventDataObjectDeserializationException | RuntimeException e) {
            return null;
        }
    }

    private static Instant signedAt(String header) {
        return Arrays.stream(header.split(","))
                .map(String::strip)
                .filter(part -> part.startsWith("t="))
                .findFirst()
                .map(part -> Instant.ofEpochSecond(Long.parseLong(part.substring(2))))
                .orElseThrow(() -> new WebhookRejectedException("The signature has no timestamp."));
    }
}
