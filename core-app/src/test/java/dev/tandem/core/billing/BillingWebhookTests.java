package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.MovableClock;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.Waits;
import dev.tandem.core.WebIntegrationTest;
import dev.tandem.core.billing.PaymentProvider.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * {@code POST /billing/webhooks/sandbox} over HTTP, signed as Stripe signs (the sandbox uses
 * Stripe's library with its own secret): one event delivered three times at once changes the
 * subscription once; an older event after a newer one does not move it backwards; forged, tampered,
 * stale, unsigned and oversized deliveries are refused and record nothing; an unknown type is
 * recorded and ignored; a failed try reported by the charge and again by its webhook counts once;
 * a refund made in the provider's dashboard is recorded once; processed events are purged after
 * 90 days; each delivery is counted by its outcome.
 */
@Import(BillingClock.class)
class BillingWebhookTests extends WebIntegrationTest {

    @Autowired
    MovableClock clock;

    @Autowired
    BillingService billing;

    @Autowired
    Renewals renewals;

    @Autowired
    SandboxPaymentProvider sandbox;

    @Autowired
    WebhookInbox inbox;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();
    private TestAccounts accounts;
    private BillingFixtures fixtures;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        fixtures = new BillingFixtures(jdbc);
    }

    @Test
    void theSameEventDeliveredThreeTimesAtOnceChangesTheSubscriptionOnce() throws Exception {
        Waiting waiting = firstPaymentWaitingForAction("Thrice Co");
        String event = event("payment_intent.succeeded", waiting.intent(), clock.instant(), null);
        String signature = sandbox.sign(event, clock.instant());

        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(3)) {
            List<Callable<HttpResponse<String>>> deliveries = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                deliveries.add(() -> deliver(event, signature));
            }
            for (Future<HttpResponse<String>> answer : threads.invokeAll(deliveries)) {
                answers.add(answer.get());
            }
        }

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(answers)
                .extracting(HttpResponse::body)
                .filteredOn(body -> body.contains("\"duplicate\":true"))
                .hasSize(2);
        awaitProcessed(eventId(event));
        assertThat(fixtures.status(waiting.workspace())).isEqualTo("active");
        assertThat(jdbc.sql("select count(*) from subscription_history h join subscriptions s on s.id ="
                                + " h.subscription_id where s.workspace_id = ? and h.action = 'payment_succeeded'")
                        .param(waiting.workspace())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select status from invoices where workspace_id = ?")
                        .param(waiting.workspace())
                        .query(String.class)
                        .single())
                .isEqualTo("paid");
        assertThat(effect(eventId(event)))
                .isEqualTo("payment requires_action -> succeeded (invoice "
                        + jdbc.sql("select number from invoices where workspace_id = ?")
                                .param(waiting.workspace())
                                .query(String.class)
                                .single()
                        + ")");
    }

    @Test
    void anOlderEventArrivingAfterANewerOneDoesNotMoveTheSubscriptionBackwards() throws Exception {
        Waiting waiting = firstPaymentWaitingForAction("Reorder Co");
        Instant now = clock.instant();
        String succeeded = event("payment_intent.succeeded", waiting.intent(), now, null);
        String failedEarlier =
                event("payment_intent.payment_failed", waiting.intent(), now.minusSeconds(60), "Declined.");

        assertThat(deliver(succeeded, sandbox.sign(succeeded, now)).statusCode())
                .isEqualTo(200);
        awaitProcessed(eventId(succeeded));
        assertThat(deliver(failedEarlier, sandbox.sign(failedEarlier, now)).statusCode())
                .isEqualTo(200);
        awaitProcessed(eventId(failedEarlier));

        assertThat(effect(eventId(failedEarlier))).isEqualTo("none: the payment had already succeeded");
        assertThat(fixtures.status(waiting.workspace())).isEqualTo("active");
        assertThat(jdbc.sql("select status from payments where intent_ref = ?")
                        .param(waiting.intent())
                        .query(String.class)
                        .single())
                .isEqualTo("succeeded");
    }

    @Test
    void forgedTamperedStaleUnsignedMalformedAndOversizedDeliveriesAreRefusedAndRecordNothing() throws Exception {
        Waiting waiting = firstPaymentWaitingForAction("Forged Co");
        Instant now = clock.instant();
        String event = event("payment_intent.succeeded", waiting.intent(), now, null);

        HttpResponse<String> forged = deliver(event, StripeEvents.sign(event, "whsec_" + UUID.randomUUID(), now));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(forged.body()).contains("The signature does not match");

        String tampered = event.replace("\"amount\": 1900", "\"amount\": 1");
        assertThat(tampered).isNotEqualTo(event);
        assertThat(deliver(tampered, sandbox.sign(event, now)).statusCode()).isEqualTo(400);
        assertThat(deliver(event, sandbox.sign(event, now.minus(Duration.ofMinutes(6))))
                        .statusCode())
                .as("signed six minutes ago: a replay")
                .isEqualTo(400);
        assertThat(deliver(event, null).statusCode()).isEqualTo(400);
        assertThat(deliver("not json", sandbox.sign("not json", now)).statusCode())
                .isEqualTo(400);
        assertThat(post("/billing/webhooks/paypal", event, sandbox.sign(event, now))
                        .statusCode())
                .isEqualTo(404);
        String huge = "{\"pad\": \"" + "x".repeat(WebhookInbox.MAX_PAYLOAD_BYTES) + "\"}";
        assertThat(deliver(huge, sandbox.sign(huge, now)).statusCode()).isEqualTo(413);

        assertThat(jdbc.sql("select count(*) from billing_webhook_events where event_id = ?")
                        .param(eventId(event))
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(fixtures.status(waiting.workspace())).isEqualTo("incomplete");
    }

    @Test
    void anUnknownTypeIsRecordedAndIgnored() throws Exception {
        String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String event = """
                {"id": "%s", "object": "event", "api_version": "2025-03-31.basil", "created": %d,
                 "type": "customer.created", "livemode": false,
                 "data": {"object": {"id": "cus_123", "object": "customer", "email": "a@example.com"}}}
                """.formatted(id, clock.instant().getEpochSecond());

        HttpResponse<String> answer = deliver(event, sandbox.sign(event, clock.instant()));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"duplicate\":false", "customer.created");
        awaitProcessed(id);
        assertThat(effect(id)).isEqualTo("none: Tandem does not act on customer.created");
    }

    @Test
    void aFailedTryReportedByTheChargeAndAgainByItsWebhookCountsOnce() throws Exception {
        long owner = accounts.active(TestAccounts.uniqueEmail("webhook-dunning"));
        long workspace = fixtures.workspace(owner, "Twice Co");
        fixtures.trialUsed(workspace);
        billing.savePaymentMethod(workspace, "Twice Co", SandboxPaymentProvider.SUCCEEDS);
        billing.subscribe(owner, workspace, fixtures.price("pro", "month"));
        billing.savePaymentMethod(workspace, "Twice Co", SandboxPaymentProvider.CHARGES_DECLINED);
        clock.advance(
                Duration.between(clock.instant(), fixtures.periodEnd(workspace)).plusSeconds(1));
        renewals.renewDue();
        String intent = jdbc.sql("select p.intent_ref from payments p join invoices i on i.id = p.invoice_id"
                        + " where i.workspace_id = ? and p.status = 'failed'")
                .param(workspace)
                .query(String.class)
                .single();
        String event = event("payment_intent.payment_failed", intent, clock.instant(), "Your card was declined.");

        assertThat(deliver(event, sandbox.sign(event, clock.instant())).statusCode())
                .isEqualTo(200);
        awaitProcessed(eventId(event));

        assertThat(effect(eventId(event))).isEqualTo("none: the payment was already failed");
        assertThat(jdbc.sql("select d.tries from dunning d join invoices i on i.id = d.invoice_id"
                                + " where i.workspace_id = ?")
                        .param(workspace)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(fixtures.status(workspace)).isEqualTo("past_due");
    }

    @Test
    void aRefundMadeInTheProvidersDashboardIsRecordedOnceForWhatTheRecordsDoNotCover() throws Exception {
        long owner = accounts.active(TestAccounts.uniqueEmail("webhook-refund"));
        long workspace = fixtures.workspace(owner, "Refund Co");
        fixtures.trialUsed(workspace);
        billing.savePaymentMethod(workspace, "Refund Co", SandboxPaymentProvider.SUCCEEDS);
        String intent = billing.subscribe(owner, workspace, fixtures.price("pro", "month"))
                .orElseThrow()
                .intentRef();

        for (long refunded : new long[] {500, 500, 1900}) {
            String event = refunded(intent, refunded);
            assertThat(deliver(event, sandbox.sign(event, clock.instant())).statusCode())
                    .isEqualTo(200);
            awaitProcessed(eventId(event));
        }

        assertThat(jdbc.sql("select r.amount || ' ' || r.status || ' ' || r.reason || ' ' || (r.actor_id is null)"
                                + " from refunds r join payments p on p.id = r.payment_id where p.intent_ref = ?"
                                + " order by r.id")
                        .param(intent)
                        .query(String.class)
                        .list())
                .containsExactly(
                        "500 succeeded Refunded at the provider true", "1400 succeeded Refunded at the provider true");
    }

    @Test
    void processedEventsAreKeptNinetyDaysAndOnesNeverProcessedStayForStaff() {
        String kept = "evt_kept_" + UUID.randomUUID();
        String old = "evt_old_" + UUID.randomUUID();
        String stuck = "evt_stuck_" + UUID.randomUUID();
        Instant now = clock.instant();
        insertEvent(kept, now.minus(WebhookInbox.KEEP).plusSeconds(60), true);
        insertEvent(old, now.minus(WebhookInbox.KEEP).minusSeconds(60), true);
        insertEvent(stuck, now.minus(WebhookInbox.KEEP).minusSeconds(60), false);

        inbox.purge();

        assertThat(jdbc.sql("select event_id from billing_webhook_events where event_id in (?, ?, ?)")
                        .params(kept, old, stuck)
                        .query(String.class)
                        .list())
                .containsExactlyInAnyOrder(kept, stuck);
    }

    @Test
    void everyDeliveryIsCountedByItsOutcome() throws Exception {
        double before = webhooks("rejected");
        String event = event("payment_intent.succeeded", "pi_counted", clock.instant(), null);

        deliver(event, StripeEvents.sign(event, "whsec_forged", clock.instant()));

        assertThat(webhooks("rejected")).isEqualTo(before + 1);
    }

    private double webhooks(String outcome) {
        return meters.counter("tandem.billing.webhooks", "provider", "sandbox", "outcome", outcome)
                .count();
    }

    private void insertEvent(String eventId, Instant receivedAt, boolean processed) {
        jdbc.sql("""
                        insert into billing_webhook_events (provider, event_id, type, created_at, signed_at,
                            received_at, payload, processed_at, effect)
                        values ('sandbox', ?, 'customer.created', ?, ?, ?, '{}'::jsonb, ?, ?)
                        """)
                .params(
                        eventId,
                        Timestamp.from(receivedAt),
                        Timestamp.from(receivedAt),
                        Timestamp.from(receivedAt),
                        processed ? Timestamp.from(receivedAt) : null,
                        processed ? "none" : null)
                .update();
    }

    /** Stripe's {@code charge.refunded}: the Charge of {@code intent}, {@code amountRefunded} refunded in all. */
    private String refunded(String intent, long amountRefunded) {
        return """
                {"id": "evt_%s", "object": "event", "api_version": "2025-03-31.basil", "created": %d,
                 "type": "charge.refunded", "livemode": false,
                 "data": {"object": {"id": "ch_%s", "object": "charge", "amount": 1900, "amount_refunded": %d,
                   "currency": "usd", "payment_intent": "%s", "refunded": %s}}}
                """.formatted(
                        UUID.randomUUID().toString().replace("-", ""),
                        clock.instant().getEpochSecond(),
                        UUID.randomUUID().toString().replace("-", ""),
                        amountRefunded,
                        intent,
                        amountRefunded == 1900);
    }

    private record Waiting(long workspace, String intent) {}

    /** A workspace whose trial was used, its first Pro payment waiting for the customer's action. */
    private Waiting firstPaymentWaitingForAction(String name) {
        long owner = accounts.active(TestAccounts.uniqueEmail("webhook"));
        long workspace = fixtures.workspace(owner, name);
        fixtures.trialUsed(workspace);
        billing.savePaymentMethod(workspace, name, SandboxPaymentProvider.REQUIRES_ACTION);
        var payment = billing.subscribe(owner, workspace, fixtures.price("pro", "month"))
                .orElseThrow();
        assertThat(payment.outcome()).isEqualTo(Outcome.REQUIRES_ACTION);
        assertThat(fixtures.status(workspace)).isEqualTo("incomplete");
        return new Waiting(workspace, payment.intentRef());
    }

    /** A Stripe event about a PaymentIntent, shaped as Stripe's documentation shows one. */
    private static String event(String type, String intent, Instant created, @Nullable String failure) {
        String error = failure == null
                ? "null"
                : "{\"code\": \"card_declined\", \"type\": \"card_error\", \"message\": \"" + failure + "\"}";
        String status = type.equals("payment_intent.succeeded") ? "succeeded" : "requires_payment_method";
        return """
                {"id": "evt_%s", "object": "event", "api_version": "2025-03-31.basil", "created": %d,
                 "type": "%s", "livemode": false, "pending_webhooks": 1,
                 "request": {"id": null, "idempotency_key": null},
                 "data": {"object": {"id": "%s", "object": "payment_intent", "amount": 1900, "currency": "usd",
                   "status": "%s", "last_payment_error": %s}}}
                """.formatted(
                UUID.randomUUID().toString().replace("-", ""), created.getEpochSecond(), type, intent, status, error);
    }

    private static String eventId(String event) {
        return event.substring(event.indexOf("evt_"), event.indexOf('"', event.indexOf("evt_")));
    }

    private HttpResponse<String> deliver(String payload, @Nullable String signature)
            throws IOException, InterruptedException {
        return post("/billing/webhooks/sandbox", payload, signature);
    }

    private HttpResponse<String> post(String path, String payload, @Nullable String signature)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitProcessed(String eventId) {
        await().atMost(Waits.PATIENCE)
                .until(
                        () -> jdbc.sql("select processed_at is not null from billing_webhook_events"
                                        + " where provider = 'sandbox' and event_id = ?")
                                .param(eventId)
                                .query(Boolean.class)
                                .optional()
                                .orElse(false),
                        processed -> processed);
    }

    private String effect(String eventId) {
        return jdbc.sql("select effect from billing_webhook_events where provider = 'sandbox' and event_id = ?")
                .param(eventId)
                .query(String.class)
                .single();
    }
}
