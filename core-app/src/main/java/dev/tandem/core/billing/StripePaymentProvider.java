package dev.tandem.core.billing;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.PaymentMethod;
import com.stripe.model.SetupIntent;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SetupIntentCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Stripe behind the {@link PaymentProvider} port, with Stripe's own client ({@code stripe-java}):
 * a Customer per workspace; a card saved by confirming a SetupIntent for off-session use with the
 * PaymentMethod that Stripe.js (or Checkout) made in the browser; each invoice charged by a
 * PaymentIntent confirmed off-session under the invoice's idempotency key (the client's own
 * retries reuse it); refunds; and webhook events verified with the endpoint's signing secret.
 *
 * <p>A decline is a {@code FAILED} outcome with Stripe's message for the customer; a bank asking
 * the customer to authenticate is {@code REQUIRES_ACTION}; a network error, a 5xx or a rate limit
 * is {@link ProviderUnavailableException} (nothing decided, tried again later). The keys come from
 * the environment, are required at start, and are never logged.
 */
@Component
@ConditionalOnProperty(name = "tandem.billing.provider", havingValue = "stripe")
class StripePaymentProvider implements PaymentProvider {

    private static final Logger log = LoggerFactory.getLogger(StripePaymentProvider.class);

    private final StripeClient stripe;
    private final String webhookSecret;

    StripePaymentProvider(BillingProperties properties) {
        BillingProperties.Stripe settings = properties.stripe();
        if (settings.secretKey().isBlank() || settings.webhookSecret().isBlank()) {
            throw new IllegalStateException("TANDEM_BILLING_PROVIDER=stripe needs TANDEM_BILLING_STRIPE_SECRET_KEY"
                    + " and TANDEM_BILLING_STRIPE_WEBHOOK_SECRET (docs/billing.md, \"Switching to Stripe\")");
        }
        this.stripe = StripeClient.builder()
                .setApiKey(settings.secretKey())
                .setApiBase(settings.apiBase())
                .setMaxNetworkRetries(2)
                .setConnectTimeout(10_000)
                .setReadTimeout(30_000)
                .build();
        this.webhookSecret = settings.webhookSecret();
        log.info(
                "Payments run on Stripe ({}), {}",
                settings.apiBase(),
                settings.secretKey().startsWith("sk_live_") ? "live mode" : "test mode");
    }

    @Override
    public String name() {
        return "stripe";
    }

    @Override
    public String createCustomer(long workspaceId, String name) {
        try {
            return stripe.v1()
                    .customers()
                    .create(
                            CustomerCreateParams.builder()
                                    .setName(name)
                                    .putMetadata("workspace_id", Long.toString(workspaceId))
                                    .build(),
                            idempotent("customer-" + workspaceId))
                    .getId();
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Setup setUp(String customerRef, String paymentMethodToken) {
        try {
            SetupIntent intent = stripe.v1()
                    .setupIntents()
                    .create(SetupIntentCreateParams.builder()
                            .setCustomer(customerRef)
                            .setPaymentMethod(paymentMethodToken)
                            .addPaymentMethodType("card")
                            .setUsage(SetupIntentCreateParams.Usage.OFF_SESSION)
                            .setConfirm(true)
                            .addExpand("payment_method")
                            .build());
            return switch (intent.getStatus()) {
                case "succeeded" -> {
                    PaymentMethod method = intent.getPaymentMethodObject();
                    yield new Setup(intent.getId(), Outcome.SUCCEEDED, method.getId(), card(method), null);
                }
                case "requires_action" ->
                    new Setup(
                            intent.getId(),
                            Outcome.REQUIRES_ACTION,
                            null,
                            null,
                            "Your bank asks you to confirm this card; add it again from the card form.");
                default -> new Setup(intent.getId(), Outcome.FAILED, null, null, "The card could not be saved.");
            };
        } catch (CardException e) {
            String intent = e.getStripeError() != null && e.getStripeError().getSetupIntent() != null
                    ? e.getStripeError().getSetupIntent().getId()
                    : "seti_declined";
            return new Setup(intent, Outcome.FAILED, null, null, customerMessage(e));
        } catch (InvalidRequestException e) {
            return new Setup("seti_invalid", Outcome.FAILED, null, null, "That payment method cannot be used.");
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean hostsSetup() {
        return true;
    }

    @Override
    public Optional<String> hostedSetup(String customerRef, String currency, String returnUrl, String cancelUrl) {
        try {
            Session session = stripe.v1()
                    .checkout()
                    .sessions()
                    .create(SessionCreateParams.builder()
                            .setMode(SessionCreateParams.Mode.SETUP)
                            .setCustomer(customerRef)
                            .setCurrency(currency.toLowerCase(Locale.ROOT))
                            .addPaymentMethodType(SessionCreateParams.PaymentMethodType.CARD)
                            .setSuccessUrl(returnUrl.replace("{SESSION}", "{CHECKOUT_SESSION_ID}"))
                            .setCancelUrl(cancelUrl)
                            .build());
            return Optional.of(session.getUrl());
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Setup completeHostedSetup(String customerRef, String sessionRef) {
        try {
            Session session = stripe.v1()
                    .checkout()
                    .sessions()
                    .retrieve(
                            sessionRef,
                            SessionRetrieveParams.builder()
                                    .addExpand("setup_intent.payment_method")
                                    .build());
            SetupIntent intent = session.getSetupIntentObject();
            if (!customerRef.equals(session.getCustomer())) {
                return new Setup(sessionRef, Outcome.FAILED, null, null, "That card was saved for someone else.");
            }
            if (!"complete".equals(session.getStatus()) || intent == null || !"succeeded".equals(intent.getStatus())) {
                return new Setup(sessionRef, Outcome.FAILED, null, null, "The card was not saved; add it again.");
            }
            PaymentMethod method = intent.getPaymentMethodObject();
            return new Setup(intent.getId(), Outcome.SUCCEEDED, method.getId(), card(method), null);
        } catch (InvalidRequestException e) {
            return new Setup(sessionRef, Outcome.FAILED, null, null, "That card page is unknown; add the card again.");
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Payment charge(Charge charge) {
        try {
            PaymentIntent intent = stripe.v1()
                    .paymentIntents()
                    .create(
                            PaymentIntentCreateParams.builder()
                                    .setAmount(charge.amount())
                                    .setCurrency(charge.currency().toLowerCase(Locale.ROOT))
                                    .setCustomer(charge.customerRef())
                                    .setPaymentMethod(charge.paymentMethodRef())
                                    .addPaymentMethodType("card")
                                    .setOffSession(true)
                                    .setConfirm(true)
                                    .setDescription(charge.description())
                                    .putMetadata("tandem_attempt", charge.idempotencyKey())
                                    .build(),
                            idempotent(charge.idempotencyKey()));
            return payment(intent);
        } catch (CardException e) {
            PaymentIntent intent =
                    e.getStripeError() == null ? null : e.getStripeError().getPaymentIntent();
            String ref = intent != null ? intent.getId() : "pi_declined_" + charge.idempotencyKey();
            if ("authentication_required".equals(e.getCode())) {
                return new Payment(ref, Outcome.REQUIRES_ACTION, null, null);
            }
            return new Payment(ref, Outcome.FAILED, customerMessage(e), null);
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Payment payment(String intentRef) {
        try {
            return payment(stripe.v1().paymentIntents().retrieve(intentRef));
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Refund refund(String intentRef, long amount, String idempotencyKey) {
        try {
            com.stripe.model.Refund refund = stripe.v1()
                    .refunds()
                    .create(
                            RefundCreateParams.builder()
                                    .setPaymentIntent(intentRef)
                                    .setAmount(amount)
                                    .build(),
                            idempotent(idempotencyKey));
            return switch (refund.getStatus()) {
                case "succeeded", "pending" -> new Refund(refund.getId(), Outcome.SUCCEEDED, null);
                case "requires_action" -> new Refund(refund.getId(), Outcome.REQUIRES_ACTION, null);
                default ->
                    new Refund(
                            refund.getId(),
                            Outcome.FAILED,
                            refund.getFailureReason() == null ? "The refund failed." : refund.getFailureReason());
            };
        } catch (InvalidRequestException e) {
            return new Refund(
                    "re_refused",
                    Outcome.FAILED,
                    e.getStripeError() == null
                            ? "Stripe refused the refund."
                            : e.getStripeError().getMessage());
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Event verify(String payload, @Nullable String signatureHeader, Clock clock) {
        return StripeEvents.verify(payload, signatureHeader, webhookSecret, clock);
    }

    @Override
    public Event parse(String payload, Instant signedAt) {
        return StripeEvents.parse(payload, signedAt);
    }

    private static Payment payment(PaymentIntent intent) {
        return switch (intent.getStatus()) {
            case "succeeded" -> new Payment(intent.getId(), Outcome.SUCCEEDED, null, null);
            case "requires_action", "processing" ->
                new Payment(
                        intent.getId(),
                        Outcome.REQUIRES_ACTION,
                        null,
                        intent.getNextAction() != null && intent.getNextAction().getRedirectToUrl() != null
                                ? intent.getNextAction().getRedirectToUrl().getUrl()
                                : null);
            case "canceled" -> new Payment(intent.getId(), Outcome.FAILED, "The payment was canceled.", null);
            default -> new Payment(intent.getId(), Outcome.FAILED, StripeEvents.failure(intent), null);
        };
    }

    private static @Nullable Card card(PaymentMethod method) {
        PaymentMethod.Card card = method.getCard();
        if (card == null) {
            return null;
        }
        String brand = card.getBrand() == null
                ? "Card"
                : card.getBrand().substring(0, 1).toUpperCase(Locale.ROOT)
                        + card.getBrand().substring(1);
        return new Card(brand, card.getLast4(), "%02d/%02d".formatted(card.getExpMonth(), card.getExpYear() % 100));
    }

    private static String customerMessage(StripeException e) {
        return e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getMessage()
                : "Your card was declined.";
    }

    private static RequestOptions idempotent(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    private static ProviderUnavailableException unavailable(StripeException e) {
        String kind = e instanceof ApiConnectionException
                ? "could not be reached"
                : e instanceof RateLimitException
                        ? "is limiting requests"
                        : e instanceof ApiException ? "failed on its side" : "refused the request";
        log.warn("Stripe {} (request {}, status {}): {}", kind, e.getRequestId(), e.getStatusCode(), e.getCode());
        return new ProviderUnavailableException(
                "The payment provider " + kind + "; nothing was charged. Try again in a few minutes.", e);
    }
}
