package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.billing.PaymentProvider.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Stripe adapter against a local HTTP double of Stripe's API that the test starts: it records
 * each request (method, path, form fields, idempotency key, key) and answers with the response
 * shapes of Stripe's API reference (objects, and {@code error} bodies with their HTTP status). The
 * adapter runs with Stripe's real client; only the address differs.
 */
class StripePaymentProviderTest {

    private static final String KEY = "sk_test_" + "double0123456789";

    private StripeDouble stripeApi;
    private StripePaymentProvider stripe;

    @BeforeEach
    void start() {
        stripeApi = new StripeDouble();
        stripe = new StripePaymentProvider(properties(KEY, "whsec_double"));
    }

    @AfterEach
    void stop() {
        stripeApi.close();
    }

    @Test
    void aCustomerIsCreatedWithTheWorkspaceInItsMetadataUnderAnIdempotencyKeyAndTheSecretKey() {
        answer("POST /v1/customers", 200, """
                {"id": "cus_NffrFeUfNV2Hib", "object": "customer", "name": "Acme Labs", "metadata": {"workspace_id": "42"}}
                """);

        assertThat(stripe.createCustomer(42, "Acme Labs")).isEqualTo("cus_NffrFeUfNV2Hib");

        StripeDouble.Request request = stripeApi.requests().getFirst();
        assertThat(request.form()).containsEntry("name", "Acme Labs").containsEntry("metadata[workspace_id]", "42");
        assertThat(request.idempotencyKey()).isEqualTo("customer-42");
        assertThat(request.auth()).isEqualTo("Bearer " + KEY);
    }

    @Test
    void aCardIsSavedByConfirmingASetupIntentForOffSessionUseAndADeclineIsTheCustomersMessage() {
        answer("POST /v1/setup_intents", 200, """
                {"id": "seti_1Mm8s8LkdIwHu7ix", "object": "setup_intent", "status": "succeeded", "usage": "off_session",
                 "customer": "cus_1", "payment_method": {"id": "pm_1Mm8s8", "object": "payment_method", "type": "card",
                   "card": {"brand": "visa", "last4": "4242", "exp_month": 8, "exp_year": 2031}}}
                """);

        PaymentProvider.Setup saved = stripe.setUp("cus_1", "pm_card_visa");

        assertThat(saved.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(saved.paymentMethodRef()).isEqualTo("pm_1Mm8s8");
        assertThat(saved.card()).isEqualTo(new PaymentProvider.Card("Visa", "4242", "08/31"));
        assertThat(stripeApi.requests().getFirst().form())
                .containsEntry("customer", "cus_1")
                .containsEntry("payment_method", "pm_card_visa")
                .containsEntry("usage", "off_session")
                .containsEntry("confirm", "true")
                .containsEntry("expand[0]", "payment_method");

        answer("POST /v1/setup_intents", 402, """
                {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                  "message": "Your card has insufficient funds.",
                  "setup_intent": {"id": "seti_declined1", "object": "setup_intent", "status": "requires_payment_method"}}}
                """);
        PaymentProvider.Setup declined = stripe.setUp("cus_1", "pm_card_visa_chargeDeclinedInsufficientFunds");
        assertThat(declined.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(declined.failure()).isEqualTo("Your card has insufficient funds.");
        assertThat(declined.intentRef()).isEqualTo("seti_declined1");
    }

    @Test
    void anInvoiceIsChargedOffSessionUnderItsAttemptsKeyAndEachAnswerBecomesAnOutcome() {
        answer("POST /v1/payment_intents", 200, """
                {"id": "pi_3MtwBwLkdIwHu7ix", "object": "payment_intent", "amount": 2299, "currency": "usd",
                 "status": "succeeded", "customer": "cus_1", "payment_method": "pm_1"}
                """);
        PaymentProvider.Payment paid = stripe.charge(charge("invoice-7-1"));
        assertThat(paid).isEqualTo(new PaymentProvider.Payment("pi_3MtwBwLkdIwHu7ix", Outcome.SUCCEEDED, null, null));
        StripeDouble.Request request = stripeApi.requests().getFirst();
        assertThat(request.idempotencyKey()).isEqualTo("invoice-7-1");
        assertThat(request.form())
                .containsEntry("amount", "2299")
                .containsEntry("currency", "usd")
                .containsEntry("customer", "cus_1")
                .containsEntry("payment_method", "pm_1")
                .containsEntry("off_session", "true")
                .containsEntry("confirm", "true");

        answer("POST /v1/payment_intents", 402, """
                {"error": {"type": "card_error", "code": "card_declined", "decline_code": "generic_decline",
                  "message": "Your card was declined.",
                  "payment_intent": {"id": "pi_declined2", "object": "payment_intent", "status": "requires_payment_method"}}}
                """);
        assertThat(stripe.charge(charge("invoice-7-2")))
                .isEqualTo(
                        new PaymentProvider.Payment("pi_declined2", Outcome.FAILED, "Your card was declined.", null));

        answer("POST /v1/payment_intents", 402, """
                {"error": {"type": "card_error", "code": "authentication_required",
                  "message": "Your card was declined. This transaction requires authentication.",
                  "payment_intent": {"id": "pi_auth3", "object": "payment_intent", "status": "requires_payment_method"}}}
                """);
        assertThat(stripe.charge(charge("invoice-7-3")).outcome()).isEqualTo(Outcome.REQUIRES_ACTION);

        answer("GET /v1/payment_intents/pi_auth3", 200, """
                {"id": "pi_auth3", "object": "payment_intent", "status": "requires_payment_method",
                 "last_payment_error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined."}}
                """);
        assertThat(stripe.payment("pi_auth3"))
                .isEqualTo(new PaymentProvider.Payment("pi_auth3", Outcome.FAILED, "Your card was declined.", null));
    }

    @Test
    void aCardIsSavedOnStripeCheckoutInSetupModeAndReadBackOnlyForItsOwnCustomer() {
        answer("POST /v1/checkout/sessions", 200, """
                {"id": "cs_test_a1", "object": "checkout.session", "mode": "setup", "customer": "cus_1",
                 "status": "open", "url": "https://checkout.stripe.com/c/pay/cs_test_a1"}
                """);

        assertThat(stripe.hostedSetup(
                        "cus_1", "USD", "https://t.example/return?session={SESSION}", "https://t.example/"))
                .hasValue("https://checkout.stripe.com/c/pay/cs_test_a1");
        assertThat(stripeApi.requests().getFirst().form())
                .containsEntry("mode", "setup")
                .containsEntry("customer", "cus_1")
                .containsEntry("currency", "usd")
                .containsEntry("payment_method_types[0]", "card")
                .containsEntry("success_url", "https://t.example/return?session={CHECKOUT_SESSION_ID}");

        answer("GET /v1/checkout/sessions/cs_test_a1", 200, """
                {"id": "cs_test_a1", "object": "checkout.session", "mode": "setup", "customer": "cus_1",
                 "status": "complete", "setup_intent": {"id": "seti_9", "object": "setup_intent", "status": "succeeded",
                   "payment_method": {"id": "pm_9", "object": "payment_method", "type": "card",
                     "card": {"brand": "mastercard", "last4": "4444", "exp_month": 1, "exp_year": 2030}}}}
                """);
        PaymentProvider.Setup saved = stripe.completeHostedSetup("cus_1", "cs_test_a1");
        assertThat(saved.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(saved.paymentMethodRef()).isEqualTo("pm_9");
        assertThat(saved.card()).isEqualTo(new PaymentProvider.Card("Mastercard", "4444", "01/30"));
        assertThat(stripeApi.requests().getLast().form()).containsEntry("expand[0]", "setup_intent.payment_method");

        PaymentProvider.Setup stolen = stripe.completeHostedSetup("cus_other", "cs_test_a1");
        assertThat(stolen.outcome()).as("another customer's session").isEqualTo(Outcome.FAILED);
        assertThat(stripe.completeHostedSetup("cus_1", "cs_unknown").failure())
                .isEqualTo("That card page is unknown; add the card again.");
    }

    @Test
    void aServerErrorIsRetriedWithTheSameKeyThenReportedAsUnavailableNeverAsADecline() {
        answer("POST /v1/payment_intents", 500, error("api_error", null, "An unknown error occurred"));

        assertThatThrownBy(() -> stripe.charge(charge("invoice-8-1")))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage(
                        "The payment provider failed on its side; nothing was charged. Try again in a few minutes.");

        assertThat(stripeApi.requests())
                .hasSize(3)
                .extracting(StripeDouble.Request::idempotencyKey)
                .containsOnly("invoice-8-1");
    }

    @Test
    void aRefundIsMadeForThePaymentUnderItsKey() {
        answer("POST /v1/refunds", 200, """
                {"id": "re_1Nispe", "object": "refund", "amount": 500, "payment_intent": "pi_1", "status": "succeeded"}
                """);

        assertThat(stripe.refund("pi_1", 500, "refund-3"))
                .isEqualTo(new PaymentProvider.Refund("re_1Nispe", Outcome.SUCCEEDED, null));
        assertThat(stripeApi.requests().getFirst().form())
                .containsEntry("payment_intent", "pi_1")
                .containsEntry("amount", "500");
        assertThat(stripeApi.requests().getFirst().idempotencyKey()).isEqualTo("refund-3");
    }

    @Test
    void webhookEventsAreVerifiedWithTheEndpointsSecret() {
        Instant now = Instant.parse("2026-12-08T10:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        String event = """
                {"id": "evt_1", "object": "event", "created": %d, "type": "payment_intent.succeeded",
                 "data": {"object": {"id": "pi_1", "object": "payment_intent", "status": "succeeded"}}}
                """.formatted(now.getEpochSecond());

        PaymentProvider.Event verified = stripe.verify(event, StripeEvents.sign(event, "whsec_double", now), clock);

        assertThat(verified.payment()).isEqualTo(new PaymentProvider.Payment("pi_1", Outcome.SUCCEEDED, null, null));
        assertThat(verified.signedAt()).isEqualTo(now);
        assertThatThrownBy(() -> stripe.verify(event, StripeEvents.sign(event, "whsec_sandbox", now), clock))
                .isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void theProviderRefusesToStartWithoutItsKeysAndNeverPrintsThem() {
        assertThatThrownBy(() -> new StripePaymentProvider(properties("", "whsec_x")))
                .hasMessageContaining("TANDEM_BILLING_STRIPE_SECRET_KEY")
                .hasMessageNotContaining("whsec_x");
        assertThatThrownBy(() -> new StripePaymentProvider(properties(KEY, "")))
                .hasMessageContaining("TANDEM_BILLING_STRIPE_WEBHOOK_SECRET");
        assertThat(properties(KEY, "whsec_double").toString()).doesNotContain(KEY, "whsec_double");
    }

    private BillingProperties properties(String key, String webhookSecret) {
        return new BillingProperties(
                "stripe",
                "USD",
                java.time.Duration.ofMinutes(1),
                List.of(java.time.Duration.ofDays(1)),
                new BillingProperties.Sandbox("whsec_sandbox"),
                new BillingProperties.Stripe(
                        key, webhookSecret, stripeApi == null ? "http://127.0.0.1:1" : stripeApi.url()));
    }

    private static PaymentProvider.Charge charge(String key) {
        return new PaymentProvider.Charge("cus_1", "pm_1", 2299, "USD", key, "Invoice 2026-000007");
    }

    private void answer(String route, int status, String body) {
        stripeApi.answer(route, status, body);
    }

    private static String error(String type, String code, String message) {
        return StripeDouble.error(type, code, message);
    }
}
