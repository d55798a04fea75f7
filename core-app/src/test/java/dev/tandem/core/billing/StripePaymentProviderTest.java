package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.core.billing.PaymentProvider.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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

    record Request(String method, String path, Map<String, String> form, String idempotencyKey, String auth) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<String[]>> answers = new HashMap<>();
    private HttpServer server;
    private StripePaymentProvider stripe;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String route =
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    form(body),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Deque<String[]> queue = answers.get(route);
            String[] answer = queue == null || queue.isEmpty()
                    ? new String[] {"404", error("invalid_request_error", "resource_missing", "No such route")}
                    : queue.size() == 1 ? queue.peek() : queue.poll();
            byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Request-Id", "req_double");
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        stripe = new StripePaymentProvider(properties(KEY, "whsec_double"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aCustomerIsCreatedWithTheWorkspaceInItsMetadataUnderAnIdempotencyKeyAndTheSecretKey() {
        answer("POST /v1/customers", 200, """
                {"id": "cus_NffrFeUfNV2Hib", "object": "customer", "name": "Acme Labs", "metadata": {"workspace_id": "42"}}
                """);

        assertThat(stripe.createCustomer(42, "Acme Labs")).isEqualTo("cus_NffrFeUfNV2Hib");

        Request request = requests.getFirst();
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
        assertThat(requests.getFirst().form())
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
        Request request = requests.getFirst();
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
    void aServerErrorIsRetriedWithTheSameKeyThenReportedAsUnavailableNeverAsADecline() {
        answer("POST /v1/payment_intents", 500, error("api_error", null, "An unknown error occurred"));

        assertThatThrownBy(() -> stripe.charge(charge("invoice-8-1")))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage(
                        "The payment provider failed on its side; nothing was charged. Try again in a few minutes.");

        assertThat(requests).hasSize(3).extracting(Request::idempotencyKey).containsOnly("invoice-8-1");
    }

    @Test
    void aRefundIsMadeForThePaymentUnderItsKey() {
        answer("POST /v1/refunds", 200, """
                {"id": "re_1Nispe", "object": "refund", "amount": 500, "payment_intent": "pi_1", "status": "succeeded"}
                """);

        assertThat(stripe.refund("pi_1", 500, "refund-3"))
                .isEqualTo(new PaymentProvider.Refund("re_1Nispe", Outcome.SUCCEEDED, null));
        assertThat(requests.getFirst().form())
                .containsEntry("payment_intent", "pi_1")
                .containsEntry("amount", "500");
        assertThat(requests.getFirst().idempotencyKey()).isEqualTo("refund-3");
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
                        key,
                        webhookSecret,
                        server == null
                                ? "http://127.0.0.1:1"
                                : "http://127.0.0.1:" + server.getAddress().getPort()));
    }

    private static PaymentProvider.Charge charge(String key) {
        return new PaymentProvider.Charge("cus_1", "pm_1", 2299, "USD", key, "Invoice 2026-000007");
    }

    private void answer(String route, int status, String body) {
        Deque<String[]> queue = new ArrayDeque<>();
        queue.add(new String[] {Integer.toString(status), body});
        answers.put(route, queue);
    }

    private static String error(String type, String code, String message) {
        return "{\"error\": {\"type\": \"" + type + "\", \"code\": " + (code == null ? "null" : "\"" + code + "\"")
                + ", \"message\": \"" + message + "\"}}";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            fields.put(
                    URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }
}
