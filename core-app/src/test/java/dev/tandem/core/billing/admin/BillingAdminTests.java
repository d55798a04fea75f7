package dev.tandem.core.billing.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.WebIntegrationTest;
import dev.tandem.core.billing.BillingFixtures;
import dev.tandem.core.billing.BillingService;
import dev.tandem.core.billing.Reconciliation;
import dev.tandem.core.billing.SandboxPaymentProvider;
import dev.tandem.core.identity.mfa.TestSecondFactor;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Billing in the staff admin over HTTP: every billing model lists and opens; a price is added,
 * never edited, and the one it replaces is retired; a trial is extended and an invoice credited
 * through the actions, each written to the history with the staff member; a payment is refunded
 * once; a reconciliation corrects a workspace whose webhook was lost, and the daily job finds the
 * others.
 */
class BillingAdminTests extends WebIntegrationTest {

    @Autowired
    BillingService billing;

    @Autowired
    SandboxPaymentProvider sandbox;

    @Autowired
    Reconciliation reconciliation;

    @Test
    void everyBillingModelListsAndOpens() {
        long workspace = subscribedWorkspace(false);
        long subscription = subscription(workspace);
        TestBrowser admin = staff();

        for (String model : List.of(
                "plan",
                "plan_price",
                "tax_rate",
                "subscription",
                "subscription_event",
                "invoice",
                "credit_note",
                "payment",
                "refund",
                "webhook_event",
                "billing_reconciliation")) {
            assertThat(admin.get("/admin/" + model).status()).as(model).isEqualTo(200);
        }
        assertThat(admin.get("/admin/plan/" + planId("pro")).body()).contains("Pro", "3000000");
        assertThat(admin.get("/admin/subscription/" + subscription).body()).contains("trialing", "started");
    }

    @Test
    void anAddedPriceRetiresTheOneItReplacesAndSubscribersKeepTheirs() {
        // A plan of this test's own: the catalogue's prices are what the other tests bill.
        String code = "team-" + UUID.randomUUID().toString().substring(0, 8);
        long plan = jdbc.sql("""
                        insert into plans (code, name, included_seats, api_calls_per_month, inference_texts_per_month,
                            storage_bytes, requests_per_minute, listed)
                        values (?, 'Team', 5, 1000000, 10000, 1073741824, 300, false) returning id
                        """).param(code).query(Long.class).single();
        long before = jdbc.sql("insert into plan_prices (plan_id, billing_interval, currency, unit_amount)"
                        + " values (?, 'month', 'USD', 4900) returning id")
                .param(plan)
                .query(Long.class)
                .single();
        long workspace = subscribedWorkspace(false, before);
        TestBrowser admin = staff();
        admin.get("/admin/plan_price/add");

        TestBrowser.Page added = admin.post(
                "/admin/plan_price/add",
                Map.of(
                        "plan", Long.toString(plan),
                        "billingInterval", "month",
                        "currency", "USD",
                        "unitAmount", "5900",
                        "seatAmount", "0",
                        "overagePer1000", "0"));

        assertThat(added.status()).isEqualTo(302);
        long after = jdbc.sql("select id from plan_prices where plan_id = ? and active")
                .param(plan)
                .query(Long.class)
                .single();
        assertThat(after).isNotEqualTo(before);
        assertThat(jdbc.sql("select unit_amount from plan_prices where id = ?")
                        .param(after)
                        .query(Long.class)
                        .single())
                .isEqualTo(5900);
        assertThat(jdbc.sql("select count(*) from subscriptions where workspace_id = ? and price_id = ?")
                        .params(workspace, before)
                        .query(Long.class)
                        .single())
                .as("the subscriber keeps the price it pays")
                .isOne();
        assertThat(admin.get("/admin/plan_price/" + before).status()).isEqualTo(200);
    }

    @Test
    void extendingATrialAndCreditingAnInvoiceAreRecordedWithTheStaffMember() {
        long trialing = subscribedWorkspace(false);
        long subscription = subscription(trialing);
        String trialEnd = jdbc.sql("select trial_end::text from subscriptions where id = ?")
                .param(subscription)
                .query(String.class)
                .single();
        TestBrowser admin = staff();
        admin.get("/admin/subscription");

        admin.post(
                "/admin/subscription/actions",
                List.of(
                        Map.entry("action", "extend-trial"),
                        Map.entry("confirmed", "true"),
                        Map.entry("ids", Long.toString(subscription))));

        assertThat(jdbc.sql("select trial_end - ?::timestamptz from subscriptions where id = ?")
                        .params(trialEnd, subscription)
                        .query(String.class)
                        .single())
                .isEqualTo("14 days");
        assertThat(jdbc.sql("select count(*) from subscription_history where subscription_id = ?"
                                + " and action = 'trial_extended' and actor_id is not null")
                        .param(subscription)
                        .query(Long.class)
                        .single())
                .isOne();

        long paying = subscribedWorkspace(true);
        long invoice = jdbc.sql("select id from invoices where workspace_id = ?")
                .param(paying)
                .query(Long.class)
                .single();
        admin.get("/admin/invoice");
        admin.post(
                "/admin/invoice/actions",
                List.of(
                        Map.entry("action", "credit"),
                        Map.entry("confirmed", "true"),
                        Map.entry("ids", Long.toString(invoice))));
        assertThat(jdbc.sql("select amount from credit_notes where invoice_id = ? and actor_id is not null")
                        .param(invoice)
                        .query(Long.class)
                        .single())
                .isEqualTo(1900);
        assertThat(admin.get("/admin/invoice/" + invoice).body()).contains("CN-");
    }

    @Test
    void aRefundIsMadeOnceAtTheProviderAndKeptUnderThePaymentWithTheStaffMember() {
        long paying = subscribedWorkspace(true);
        long payment = jdbc.sql("select p.id from payments p join invoices i on i.id = p.invoice_id"
                        + " where i.workspace_id = ? and p.status = 'succeeded'")
                .param(paying)
                .query(Long.class)
                .single();
        TestBrowser admin = staff();
        admin.get("/admin/payment");

        for (int i = 0; i < 2; i++) {
            admin.post(
                    "/admin/payment/actions",
                    List.of(
                            Map.entry("action", "refund"),
                            Map.entry("confirmed", "true"),
                            Map.entry("ids", Long.toString(payment))));
        }

        assertThat(jdbc.sql("select amount || ' ' || status || ' ' || (actor_id is not null) || ' '"
                                + " || (refund_ref like 're_sandbox_refund-%') from refunds where payment_id = ?")
                        .param(payment)
                        .query(String.class)
                        .list())
                .as("the second refund is refused: nothing is left")
                .containsExactly("1900 succeeded true true");
        assertThat(admin.get("/admin/payment/" + payment).body()).contains("succeeded", "Refunded by staff");
    }

    @Test
    void reconcilingAWorkspaceWhoseWebhookWasLostCorrectsItOnceAndTheDailyJobFindsTheRest() {
        TestBrowser admin = staff();
        Waiting staffFixes = approvedWithoutWebhook();
        Waiting jobFixes = approvedWithoutWebhook();
        admin.get("/admin/subscription");

        for (int i = 0; i < 2; i++) {
            admin.post(
                    "/admin/subscription/actions",
                    List.of(
                            Map.entry("action", "reconcile"),
                            Map.entry("confirmed", "true"),
                            Map.entry("ids", Long.toString(subscription(staffFixes.workspace())))));
        }

        assertThat(status(staffFixes.workspace())).isEqualTo("active");
        assertThat(jdbc.sql("select changes from billing_reconciliations where workspace_id = ?"
                                + " and actor_id is not null order by id")
                        .param(staffFixes.workspace())
                        .query(String.class)
                        .list())
                .as("the second run finds nothing to change")
                .containsExactly(
                        staffFixes.intent() + ": payment requires_action -> succeeded (invoice "
                                + number(staffFixes.workspace()) + ")",
                        "");
        assertThat(status(jobFixes.workspace())).isEqualTo("incomplete");

        // An hour passes for this payment (the admin's sign-in runs on the real clock).
        jdbc.sql("update payments set updated_at = updated_at - ?::interval where intent_ref = ?")
                .params(Reconciliation.IN_DOUBT_AFTER.plusMinutes(1).toMinutes() + " minutes", jobFixes.intent())
                .update();
        reconciliation.reconcileInDoubt();

        assertThat(status(jobFixes.workspace())).isEqualTo("active");
        assertThat(jdbc.sql("select count(*) from billing_reconciliations where workspace_id = ? and actor_id is null")
                        .param(jobFixes.workspace())
                        .query(Long.class)
                        .single())
                .isOne();
    }

    private record Waiting(long workspace, String intent) {}

    /** A first payment that required the customer's action, approved at the bank, its webhook lost. */
    private Waiting approvedWithoutWebhook() {
        BillingFixtures fixtures = new BillingFixtures(jdbc);
        long owner = new TestAccounts(jdbc).active(TestAccounts.uniqueEmail("lost-webhook"));
        long workspace = fixtures.workspace(owner, "Lost Webhook");
        fixtures.trialUsed(workspace);
        billing.savePaymentMethod(workspace, "Lost Webhook", SandboxPaymentProvider.REQUIRES_ACTION);
        String intent =
                billing.subscribe(owner, workspace, price("pro")).orElseThrow().intentRef();
        sandbox.complete(intent);
        return new Waiting(workspace, intent);
    }

    private String status(long workspace) {
        return jdbc.sql("select status from subscriptions where workspace_id = ? and status <> 'canceled'")
                .param(workspace)
                .query(String.class)
                .single();
    }

    private String number(long workspace) {
        return jdbc.sql("select number from invoices where workspace_id = ?")
                .param(workspace)
                .query(String.class)
                .single();
    }

    /** A workspace on Pro monthly: trialing, or (trial used before) active with its first invoice paid. */
    private long subscribedWorkspace(boolean paidAlready) {
        return subscribedWorkspace(paidAlready, price("pro"));
    }

    private long subscribedWorkspace(boolean paidAlready, long price) {
        BillingFixtures fixtures = new BillingFixtures(jdbc);
        long owner = new TestAccounts(jdbc).active(TestAccounts.uniqueEmail("customer"));
        long workspace = fixtures.workspace(owner, "Admin Billing");
        if (paidAlready) {
            fixtures.trialUsed(workspace);
        }
        billing.savePaymentMethod(workspace, "Admin Billing", SandboxPaymentProvider.SUCCEEDS);
        billing.subscribe(owner, workspace, price);
        return workspace;
    }

    private long subscription(long workspace) {
        return jdbc.sql("select id from subscriptions where workspace_id = ? and status <> 'canceled'")
                .param(workspace)
                .query(Long.class)
                .single();
    }

    private long planId(String code) {
        return jdbc.sql("select id from plans where code = ?")
                .param(code)
                .query(Long.class)
                .single();
    }

    private long price(String plan) {
        return new BillingFixtures(jdbc).price(plan, "month");
    }

    private TestBrowser staff() {
        String email = TestAccounts.uniqueEmail("billing-admin");
        new TestAccounts(jdbc).active(email, "ADMIN");
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        TestSecondFactor.enroll(browser);
        return browser;
    }
}
