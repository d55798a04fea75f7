package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.Waits;
import dev.tandem.core.WebIntegrationTest;
import dev.tandem.core.billing.PaymentProvider.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * core-app configured for Stripe, against the local double of Stripe's API: the billing page
 * offers Stripe's Checkout instead of a card field; Stripe answering 500 is a message on the page;
 * the card saved there comes back through the return URL; the first invoice's charge needs the
 * customer's authentication; Stripe's signed webhook then makes the subscription active; the
 * sandbox's endpoint does not exist.
 */
class StripeBillingTests extends WebIntegrationTest {

    private static final StripeDouble STRIPE = new StripeDouble();
    private static final String WEBHOOK_SECRET = "whsec_e2e_" + "secret";

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("tandem.billing.provider", () -> "stripe");
        registry.add("tandem.billing.stripe.secret-key", () -> "sk_test_e2e");
        registry.add("tandem.billing.stripe.webhook-secret", () -> WEBHOOK_SECRET);
        registry.add("tandem.billing.stripe.api-base", STRIPE::url);
    }

    @AfterAll
    static void stopStripe() {
        STRIPE.close();
    }

    @Autowired
    BillingService billing;

    @Test
    void aWorkspaceSavesItsCardOnCheckoutAuthenticatesItsFirstPaymentAndStripesWebhookActivatesIt() throws Exception {
        BillingFixtures fixtures = new BillingFixtures(jdbc);
        long owner = new TestAccounts(jdbc).active(TestAccounts.uniqueEmail("stripe-owner"));
        long workspace = fixtures.workspace(owner, "Stripe Co");
        fixtures.trialUsed(workspace);
        String slug = jdbc.sql("select slug from workspaces where id = ?")
                .param(workspace)
                .query(String.class)
                .single();
        STRIPE.answer("POST /v1/customers", 200, """
                {"id": "cus_e2e", "object": "customer", "name": "Stripe Co"}
                """);
        TestBrowser browser = signedIn(owner);

        TestBrowser.Page page = browser.get("/w/" + slug + "/billing");
        assertThat(page.body()).contains("Add a card", "Stripe").doesNotContain("4242 4242 4242 4242");
        STRIPE.answer("POST /v1/checkout/sessions", 500, StripeDouble.error("api_error", null, "Internal error"));
        TestBrowser.Page down = browser.post("/w/" + slug + "/billing/payment-method/hosted", Map.of());
        assertThat(down.location()).hasValueSatisfying(to -> assertThat(to).endsWith("/w/" + slug + "/billing"));
        assertThat(browser.get("/w/" + slug + "/billing").body())
                .as("Stripe down: a message on the page, not an error page")
                .contains("The payment provider failed on its side; nothing was charged.");

        STRIPE.answer("POST /v1/checkout/sessions", 200, """
                {"id": "cs_test_e2e", "object": "checkout.session", "mode": "setup", "customer": "cus_e2e",
                 "status": "open", "url": "https://checkout.stripe.com/c/pay/cs_test_e2e"}
                """);
        TestBrowser.Page toCheckout = browser.post("/w/" + slug + "/billing/payment-method/hosted", Map.of());

        assertThat(toCheckout.location()).hasValue("https://checkout.stripe.com/c/pay/cs_test_e2e");
        assertThat(STRIPE.requests("/v1/checkout/sessions").getLast().form())
                .containsEntry("customer", "cus_e2e")
                .hasEntrySatisfying(
                        "success_url",
                        url -> assertThat(url)
                                .endsWith(
                                        "/w/" + slug + "/billing/payment-method/return?session={CHECKOUT_SESSION_ID}"));

        STRIPE.answer("GET /v1/checkout/sessions/cs_test_e2e", 200, """
                {"id": "cs_test_e2e", "object": "checkout.session", "mode": "setup", "customer": "cus_e2e",
                 "status": "complete", "setup_intent": {"id": "seti_e2e", "object": "setup_intent", "status": "succeeded",
                   "payment_method": {"id": "pm_e2e", "object": "payment_method", "type": "card",
                     "card": {"brand": "visa", "last4": "1881", "exp_month": 3, "exp_year": 2032}}}}
                """);
        TestBrowser.Page back = browser.get("/w/" + slug + "/billing/payment-method/return?session=cs_test_e2e");
        assertThat(back.location()).hasValueSatisfying(to -> assertThat(to).endsWith("/w/" + slug + "/billing"));
        assertThat(browser.get("/w/" + slug + "/billing").body()).contains("Visa ending in 1881");

        STRIPE.answer("POST /v1/payment_intents", 402, """
                {"error": {"type": "card_error", "code": "authentication_required",
                  "message": "This transaction requires authentication.",
                  "payment_intent": {"id": "pi_e2e", "object": "payment_intent", "status": "requires_action"}}}
                """);
        var payment = billing.subscribe(owner, workspace, fixtures.price("pro", "month"))
                .orElseThrow();
        assertThat(payment.outcome()).isEqualTo(Outcome.REQUIRES_ACTION);
        assertThat(STRIPE.requests("/v1/payment_intents").getLast().form())
                .containsEntry("customer", "cus_e2e")
                .containsEntry("payment_method", "pm_e2e");

        Instant now = Instant.now();
        String event = """
                {"id": "evt_e2e_%d", "object": "event", "api_version": "2025-03-31.basil", "created": %d,
                 "type": "payment_intent.succeeded", "livemode": false,
                 "data": {"object": {"id": "pi_e2e", "object": "payment_intent", "status": "succeeded",
                   "amount": 1900, "currency": "usd"}}}
                """.formatted(now.toEpochMilli(), now.getEpochSecond());
        assertThat(deliver("/billing/webhooks/stripe", event, StripeEvents.sign(event, WEBHOOK_SECRET, now)))
                .isEqualTo(200);
        assertThat(deliver("/billing/webhooks/sandbox", event, StripeEvents.sign(event, "whsec_sandbox", now)))
                .isEqualTo(404);

        await().atMost(Waits.PATIENCE)
                .until(
                        () -> jdbc.sql(
                                        "select status from subscriptions where workspace_id = ? and status <> 'canceled'")
                                .param(workspace)
                                .query(String.class)
                                .single(),
                        "active"::equals);
        assertThat(jdbc.sql("select provider || ' ' || status from payments where intent_ref = 'pi_e2e'")
                        .query(String.class)
                        .single())
                .isEqualTo("stripe succeeded");
    }

    private int deliver(String path, String payload, String signature) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                    .header("Content-Type", "application/json")
                                    .header("Stripe-Signature", signature)
                                    .POST(HttpRequest.BodyPublishers.ofString(payload))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }
}
